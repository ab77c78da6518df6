/**
 * The `push` command (and `attach`) for the umbrella `tofu-oci` and the `tofu-oci-push` bin; loads the CLI kit.
 * @module
 */
import {
  defineCommand,
  positionalOrRecords,
  readPackageVersion,
  referenceDefaults,
  withRegistryOptions,
  type Argv,
  withTransferProgress,
  type CliSpec,
} from "@tofu-oci/cli-kit";
import { usageError } from "@tofu-oci/core";

/** The registry flags, `--oci-layout` and `-a/--annotation`, which push and attach share. */
function commonOptions<T>(parser: Argv<T>) {
  return withRegistryOptions(parser)
    .option("oci-layout", {
      type: "boolean",
      describe: "The reference is an OCI image layout directory PATH[:TAG] (created when missing)",
    })
    .option("annotation", {
      alias: "a",
      type: "string",
      array: true,
      describe: "Manifest annotation key=value (repeatable)",
    });
}

const pushCommand = defineCommand({
  command: "$0 <ref> [zip]",
  describe: "Push a module zip, or the packages piped from tofu-oci-pack, to REF",
  builder: (y) =>
    commonOptions(y)
      .positional("ref", {
        type: "string",
        demandOption: true,
        describe: "HOST/REPO[:TAG], oci://HOST/REPO[?tag=TAG], or with --oci-layout PATH[:TAG]",
      })
      .positional("zip", { type: "string", describe: "Module zip; omit or - to read package records on stdin" })
      .option("tag", {
        alias: "t",
        type: "string",
        array: true,
        describe: "Another tag to point at the pushed artifact (repeatable)",
      })
      .option("sbom", {
        type: "string",
        array: true,
        describe: "SPDX or CycloneDX JSON file to attach as a referrer (repeatable)",
      })
      .option("force", { type: "boolean", describe: "Replace a provider version tag that holds different content" })
      .option("mount-from", {
        type: "string",
        array: true,
        describe: "Repository of the same registry to mount existing blobs from (repeatable)",
      })
      .example(
        "tofu-oci-pack module ./net | $0 registry.example.com/modules/net:1.0.0",
        "Push what tofu-oci-pack packed",
      )
      .example(
        "$0 registry.example.com/modules/net:1.0.0 net.zip -t latest --sbom sbom.spdx.json",
        "Push a zip, tag it twice, attach an SBOM",
      )
      .example(
        "tofu-oci-pack provider --provider example.com/acme/thing --version 1.2.0 dist/ | $0 registry.example.com/providers/acme/thing",
        "Push a provider version (tag 1.2.0)",
      )
      .example("$0 --oci-layout ./oci-layout:1.0.0 net.zip", "Push into an OCI image layout directory"),
  handler: async (args, output) => {
    const zip = positionalOrRecords(args.zip, args, {
      records: "package",
      pipeline: "tofu-oci-pack module DIR | tofu-oci-push REF",
      instead: "give the module ZIP as an argument",
    });
    const created = createdFrom(args.ctx.env.SOURCE_DATE_EPOCH);
    const [{ push }, { parseAnnotations }, { describePushRecord }, { commandClientOptions }] = await Promise.all([
      import("./push.js"),
      import("./annotations.js"),
      import("./text.js"),
      import("@tofu-oci/auth/command"),
    ]);
    const client = args.ociLayout ? undefined : await commandClientOptions(args, output);
    const { qualify } = await referenceDefaults(args.ctx);
    const records = await withTransferProgress(args.ctx, output, (hooks) =>
      push(
        {
          reference: args.ociLayout ? args.ref : qualify(args.ref),
          ...(zip !== undefined ? { zip } : {}),
          tags: args.tag ?? [],
          ociLayout: args.ociLayout ?? false,
          annotations: parseAnnotations(args.annotation),
          ...(created ? { created } : {}),
          sboms: args.sbom ?? [],
          force: args.force ?? false,
          concurrency: client?.concurrency ?? args.concurrency ?? 4,
          ...(args.mountFrom ? { mountFrom: args.mountFrom } : {}),
          ...(client ? { clientOptions: client } : {}),
          hooks,
          onOtherRecord: (record) => output.forward(record),
        },
        args.ctx,
      ),
    );
    for (const record of records) output.record(record, describePushRecord);
  },
});

const attachCommand = defineCommand({
  command: "attach <subject> <file>",
  describe: "Attach a file (an SBOM, a signature, ...) to an existing artifact as a referrer",
  builder: (y) =>
    commonOptions(y)
      .positional("subject", {
        type: "string",
        demandOption: true,
        describe: "The artifact: HOST/REPO:TAG or HOST/REPO@sha256:...",
      })
      .positional("file", {
        type: "string",
        demandOption: true,
        describe: "The file to attach; SPDX and CycloneDX JSON are detected",
      })
      .option("artifact-type", {
        type: "string",
        describe: "The referrer's artifactType (required unless the file is an SBOM)",
      })
      .example(
        "$0 attach registry.example.com/modules/net:1.0.0 sbom.cdx.json",
        "Attach a CycloneDX SBOM (type detected)",
      )
      .example(
        "$0 attach registry.example.com/modules/net:1.0.0 notes.txt --artifact-type application/vnd.example.notes -a org.opencontainers.image.description=notes",
        "Attach any file with its own artifactType",
      ),
  handler: async (args, output) => {
    const [{ attach }, { parseAnnotations }, { describeReferrerRecord }, { commandClientOptions }] = await Promise.all([
      import("./attach.js"),
      import("./annotations.js"),
      import("./text.js"),
      import("@tofu-oci/auth/command"),
    ]);
    const client = args.ociLayout ? undefined : await commandClientOptions(args, output);
    const { qualify } = await referenceDefaults(args.ctx);
    const record = await withTransferProgress(args.ctx, output, (hooks) =>
      attach(
        {
          subject: args.ociLayout ? args.subject : qualify(args.subject),
          file: args.file,
          ...(args.artifactType ? { artifactType: args.artifactType } : {}),
          annotations: parseAnnotations(args.annotation),
          ociLayout: args.ociLayout ?? false,
          ...(client ? { clientOptions: client } : {}),
          hooks,
        },
        args.ctx,
      ),
    );
    output.record(record, describeReferrerRecord);
  },
});

/** `org.opencontainers.image.created` from SOURCE_DATE_EPOCH (reproducible builds), if set. */
function createdFrom(epoch: string | undefined): Date | undefined {
  if (epoch === undefined || epoch === "") return undefined;
  if (!/^\d+$/.test(epoch)) throw usageError(`SOURCE_DATE_EPOCH must be whole seconds since 1970, got "${epoch}"`);
  return new Date(Number(epoch) * 1000);
}

/** The tofu-oci-push command line; the umbrella runs it as `tofu-oci push`. */
export const cli: CliSpec = {
  scriptName: "tofu-oci-push",
  version: readPackageVersion(import.meta.url),
  commands: [attachCommand, pushCommand],
  epilogue: "Credentials: -u/-p, else exactly the ones tofu init would use (see tofu-oci-auth resolve).",
};
