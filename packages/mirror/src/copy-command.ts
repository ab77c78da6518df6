import { defineCommand, referenceDefaults, withRegistryOptions, withTransferProgress } from "@tofu-oci/cli-kit";

/** `tofu-oci-mirror copy SRC DST`: byte-preserving copy between registries and OCI layouts. */
export const copyCommand = defineCommand({
  command: "copy <src> <dst>",
  describe:
    "Copy a module or provider version (every manifest and blob, byte for byte) between registries and OCI layouts",
  builder: (y) =>
    withRegistryOptions(y)
      .positional("src", {
        type: "string",
        demandOption: true,
        describe: "HOST/REPO:TAG, HOST/REPO@sha256:..., or with --from-oci-layout PATH[:TAG]",
      })
      .positional("dst", {
        type: "string",
        demandOption: true,
        describe: "HOST/REPO[:TAG], or with --to-oci-layout PATH[:TAG]; the tag defaults to SRC's",
      })
      .option("recursive", {
        alias: "r",
        type: "boolean",
        describe: "Also copy referrers (SBOMs, signatures), recursively",
      })
      .option("all-tags", { type: "boolean", describe: "Copy every tag of SRC's repository" })
      .option("shard", {
        type: "string",
        describe:
          "With --all-tags, copy only share K of N of the tags (K/N, split by tag name): N machines together copy each tag once",
      })
      .option("platform", {
        type: "string",
        array: true,
        describe:
          "Keep only this platform of a provider index, os/arch or os_arch (repeatable); changes the index digest",
      })
      .option("from-oci-layout", { type: "boolean", describe: "SRC is an OCI image layout directory" })
      .option("to-oci-layout", {
        type: "boolean",
        describe: "DST is an OCI image layout directory (created when missing)",
      })
      .example(
        "$0 copy registry.example.com/providers/acme/thing:1.2.0 mirror.internal/acme/thing -r",
        "Registry to registry, SBOMs and signatures included",
      )
      .example(
        "$0 copy registry.example.com/modules/net --all-tags ./air-gap --to-oci-layout",
        "Every tag into an OCI layout on disk",
      )
      .example(
        "$0 copy ./air-gap:1.0.0 mirror.internal/modules/net --from-oci-layout",
        "From the layout into a registry",
      )
      .example(
        "$0 copy registry.example.com/modules/net mirror.internal/modules/net --all-tags --shard 2/4",
        "The second of four machines sharing the tags",
      )
      .example(
        "$0 copy registry.example.com/providers/acme/thing:1.2.0 mirror.internal/acme/thing --platform linux_amd64",
        "One platform only (a new index digest)",
      ),
  handler: async (args, output) => {
    const [{ copyArtifacts }, { describeArtifactRecord }, { commandClientOptions }, { parseShard }] = await Promise.all(
      [
        import("./copy-artifacts.js"),
        import("./artifact-record.js"),
        import("@tofu-oci/auth/command"),
        import("./shard.js"),
      ],
    );
    const shard = args.shard === undefined ? undefined : parseShard(args.shard);
    const clientOptions = await commandClientOptions(args, output);
    const { qualify } = await referenceDefaults(args.ctx);
    const records = await withTransferProgress(args.ctx, output, (hooks) =>
      copyArtifacts(
        {
          source: args.fromOciLayout ? args.src : qualify(args.src),
          destination: args.toOciLayout ? args.dst : qualify(args.dst),
          recursive: args.recursive ?? false,
          allTags: args.allTags ?? false,
          ...(shard ? { shard } : {}),
          platforms: args.platform ?? [],
          fromOciLayout: args.fromOciLayout ?? false,
          toOciLayout: args.toOciLayout ?? false,
          concurrency: clientOptions.concurrency,
          clientOptions,
          hooks,
        },
        { cwd: args.ctx.cwd, signal: args.ctx.signal },
      ),
    );
    for (const record of records) {
      if (record.note && output.format === "json") output.info(`note: ${record.note}`);
      output.record(record, describeArtifactRecord);
    }
  },
});
