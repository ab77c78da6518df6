import {
  defineCommand,
  isStdout,
  referenceDefaults,
  withRegistryOptions,
  withTransferProgress,
  writeToStdout,
} from "@tofu-oci/cli-kit";
import { formatBytes, plural } from "@tofu-oci/core";
import type { MirroredArtifactRecord } from "./artifact-record.js";
import type { BundleRecord } from "./export-bundle.js";

/** `tofu-oci-mirror export REF... -o bundle.tar`. */
export const exportCommand = defineCommand({
  command: "export <refs..>",
  describe: "Write artifacts and their referrers into one tar (an OCI image layout) to carry across an air gap",
  builder: (y) =>
    withRegistryOptions(y)
      // `default: undefined` keeps yargs from listing "[default: []]" next to "[required]".
      .positional("refs", {
        type: "string",
        array: true,
        demandOption: true,
        default: undefined,
        describe: "HOST/REPO:TAG or HOST/REPO@sha256:... (several allowed)",
      })
      .option("output", {
        alias: "o",
        type: "string",
        demandOption: true,
        describe: "The tar file to write; - writes it to stdout",
      })
      .option("recursive", {
        alias: "r",
        type: "boolean",
        default: true,
        describe: "Carry referrers (SBOMs, signatures); --no-recursive leaves them out",
      })
      .example(
        "$0 export registry.example.com/modules/net:1.0.0 registry.example.com/providers/acme/thing:1.2.0 -o bundle.tar",
        "Two artifacts and their referrers in one tar",
      ),
  handler: async (args, output) => {
    const [{ exportBundle }, { describeArtifactRecord }, { commandClientOptions }] = await Promise.all([
      import("./export-bundle.js"),
      import("./artifact-record.js"),
      import("@tofu-oci/auth/command"),
    ]);
    const clientOptions = await commandClientOptions(args, output);
    const { qualify } = await referenceDefaults(args.ctx);
    const exportTo = (file: string) =>
      withTransferProgress(args.ctx, output, (hooks) =>
        exportBundle(
          { references: args.refs.map(qualify), output: file, recursive: args.recursive ?? true, clientOptions, hooks },
          { cwd: args.ctx.cwd, signal: args.ctx.signal },
        ),
      );
    // With -o - the tar is stdout, and the records go to stderr as text.
    const toStdout = isStdout(args.output);
    const records = toStdout ? await writeToStdout(args.ctx, "bundle.tar", exportTo) : await exportTo(args.output);
    for (const record of records) {
      const text =
        record.kind === "bundle"
          ? describeBundle({ ...(record as BundleRecord), ...(toStdout ? { file: "stdout" } : {}) })
          : describeArtifactRecord(record as MirroredArtifactRecord);
      if (toStdout) output.info(text);
      else output.record(record, () => text);
    }
  },
});

/** The text line of an export's bundle record. */
function describeBundle(record: BundleRecord): string {
  return `bundle ${record.file}: ${plural(record.artifacts, "artifact")}, ${plural(record.blobs, "blob")}, ${formatBytes(record.size)}, ${record.digest}`;
}

/** `tofu-oci-mirror import bundle.tar --to TEMPLATE|REF`. */
export const importCommand = defineCommand({
  command: "import <bundle>",
  describe:
    "Push the artifacts of a bundle made by export; every digest is checked before anything is pushed or tagged",
  builder: (y) =>
    withRegistryOptions(y)
      .positional("bundle", { type: "string", demandOption: true, describe: "The tar file" })
      .option("to", {
        type: "string",
        demandOption: true,
        describe:
          "HOST/REPO[:TAG], or a template such as 'mirror.internal/${repository}' (${registry}, ${repository}, ${name})",
      })
      .example(
        "$0 import bundle.tar --to 'mirror.internal/${repository}'",
        "Every artifact under its own repository name",
      )
      .example(
        "$0 import bundle.tar --to mirror.internal/modules/net:1.0.0",
        "A bundle of one artifact, to one reference",
      ),
  handler: async (args, output) => {
    const [{ importBundle }, { describeArtifactRecord }, { commandClientOptions }] = await Promise.all([
      import("./import-bundle.js"),
      import("./artifact-record.js"),
      import("@tofu-oci/auth/command"),
    ]);
    const clientOptions = await commandClientOptions(args, output);
    const { qualify } = await referenceDefaults(args.ctx);
    const records = await withTransferProgress(args.ctx, output, (hooks) =>
      importBundle(
        { bundle: args.bundle, to: qualify(args.to), concurrency: clientOptions.concurrency, clientOptions, hooks },
        { cwd: args.ctx.cwd, signal: args.ctx.signal },
      ),
    );
    for (const record of records) output.record(record, describeArtifactRecord);
  },
});
