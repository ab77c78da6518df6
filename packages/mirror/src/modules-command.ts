import { defineCommand, referenceDefaults, withRegistryOptions, withTransferProgress } from "@tofu-oci/cli-kit";

/** `tofu-oci-mirror modules NAMESPACE/NAME/SYSTEM[@CONSTRAINT] --to REPO`. */
export const modulesCommand = defineCommand({
  command: "modules <module>",
  describe: "Mirror module versions from a module registry into an OCI repository, one tag per version",
  builder: (y) =>
    withRegistryOptions(y)
      .positional("module", {
        type: "string",
        demandOption: true,
        describe:
          "[HOST/]NAMESPACE/NAME/SYSTEM[@CONSTRAINT], e.g. terraform-aws-modules/vpc/aws@'~> 5.0' (default: the newest version)",
      })
      .option("to", {
        type: "string",
        demandOption: true,
        describe: "HOST/REPO to push to (each version is a tag), or with --to-oci-layout a directory",
      })
      .option("to-oci-layout", {
        alias: "oci-layout",
        type: "boolean",
        describe: "--to is an OCI image layout directory (created when missing)",
      })
      .option("source-plain-http", {
        type: "boolean",
        describe: "Allow http to a loopback module registry (for tests)",
      })
      .option("allow-download-host", {
        type: "string",
        array: true,
        describe:
          "A host (HOST[:PORT]) that may serve packages besides the registry itself (repeatable); when given, no other host may",
      })
      .option("max-download-size", {
        type: "string",
        describe: "The most one package download may write, e.g. 512MiB (default 1GiB)",
      })
      .example(
        "$0 modules terraform-aws-modules/vpc/aws@'~> 5.0' --to mirror.internal/modules/vpc",
        "Every 5.x version, one tag each",
      )
      .example(
        "$0 modules registry.example.com/acme/net/aws --to ./modules-layout --to-oci-layout",
        "The newest version into an OCI layout",
      ),
  handler: async (args, output) => {
    const [{ mirrorModules }, { commandClientOptions }, { parseByteSize }] = await Promise.all([
      import("./mirror-modules.js"),
      import("@tofu-oci/auth/command"),
      import("./byte-size.js"),
    ]);
    const maxDownloadSize =
      args.maxDownloadSize === undefined ? undefined : parseByteSize(args.maxDownloadSize, "--max-download-size");
    const clientOptions = await commandClientOptions(args, output);
    const { qualify } = await referenceDefaults(args.ctx);
    const records = await withTransferProgress(args.ctx, output, (hooks) =>
      mirrorModules(
        {
          module: args.module,
          to: args.toOciLayout ? args.to : qualify(args.to),
          toOciLayout: args.toOciLayout ?? false,
          sourcePlainHttp: args.sourcePlainHttp ?? false,
          allowDownloadHosts: args.allowDownloadHost ?? [],
          ...(maxDownloadSize ? { maxDownloadSize } : {}),
          concurrency: clientOptions.concurrency,
          clientOptions,
          hooks,
          onVersion: (version, state) =>
            output.info(
              state === "present" ? `${version}: already mirrored` : `${version}: fetching, packing and pushing`,
            ),
          onNote: (message) => output.info(`note: ${message}`),
          log: (line) => output.debug(line),
        },
        { cwd: args.ctx.cwd, env: args.ctx.env, signal: args.ctx.signal },
      ),
    );
    for (const record of records)
      output.record(
        record,
        (r: typeof record) =>
          `module ${r.module} ${r.version} -> ${r.reference}${r.alreadyMirrored ? " (already mirrored)" : ""}\n  source: ${r.source}`,
      );
  },
});
