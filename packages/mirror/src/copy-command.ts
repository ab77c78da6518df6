import { outputFor, withRegistryOptions, type HandlerArgs, type RegistryArgs } from "@tofu-oci/cli-kit";
import type { Argv, CommandModule } from "yargs";
import { clientOptionsFor, withProgress } from "./command-support.js";

interface CopyArgs extends RegistryArgs {
  src: string;
  dst: string;
  recursive?: boolean;
  allTags?: boolean;
  platform?: string[];
  fromOciLayout?: boolean;
  toOciLayout?: boolean;
}

/** `tofu-oci-mirror copy SRC DST`: byte-preserving copy between registries and OCI layouts. */
export const copyCommand: CommandModule<object, CopyArgs> = {
  command: "copy <src> <dst>",
  describe: "Copy a module or provider version (every manifest and blob, byte for byte) between registries and OCI layouts",
  builder: (y) =>
    withRegistryOptions(y)
      .positional("src", { type: "string", demandOption: true, describe: "HOST/REPO:TAG, HOST/REPO@sha256:..., or with --from-oci-layout PATH[:TAG]" })
      .positional("dst", { type: "string", demandOption: true, describe: "HOST/REPO[:TAG], or with --to-oci-layout PATH[:TAG]; the tag defaults to SRC's" })
      .option("recursive", { alias: "r", type: "boolean", describe: "Also copy referrers (SBOMs, signatures), recursively" })
      .option("all-tags", { type: "boolean", describe: "Copy every tag of SRC's repository" })
      .option("platform", { type: "string", array: true, describe: "Keep only this platform of a provider index, os_arch (repeatable); changes the index digest" })
      .option("from-oci-layout", { type: "boolean", describe: "SRC is an OCI image layout directory" })
      .option("to-oci-layout", { type: "boolean", describe: "DST is an OCI image layout directory (created when missing)" }) as Argv<CopyArgs>,
  handler: async (argv) => {
    const args = argv as unknown as HandlerArgs<CopyArgs>;
    const output = outputFor(args);
    const clientOptions = await clientOptionsFor(args, args.ctx, output);
    const [{ copyArtifacts }, { describeArtifactRecord }] = await Promise.all([import("./copy-artifacts.js"), import("./artifact-record.js")]);
    const records = await withProgress(args.ctx, output, (hooks) =>
      copyArtifacts(
        {
          source: args.src,
          destination: args.dst,
          recursive: args.recursive ?? false,
          allTags: args.allTags ?? false,
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
};
