import {
  assertStdinFree,
  positionalOrStdin,
  outputFor,
  readPackageVersion,
  referenceDefaults,
  withRegistryOptions,
  withTransferProgress,
  type CliSpec,
  type CommandContext,
  type HandlerArgs,
  type Output,
  type RegistryArgs,
} from "@tofu-oci/cli-kit";
import { usageError } from "@tofu-oci/core";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";
import type { Argv, CommandModule } from "yargs";

interface CommonArgs extends RegistryArgs {
  ociLayout?: boolean;
  annotation?: string[];
}

interface PushArgs extends CommonArgs {
  ref: string;
  zip?: string | boolean;
  tag?: string[];
  sbom?: string[];
  force?: boolean;
  mountFrom?: string[];
}

interface AttachArgs extends CommonArgs {
  subject: string;
  file: string;
  artifactType?: string;
}

function commonOptions<T>(parser: Argv<T>): Argv<T & CommonArgs> {
  return withRegistryOptions(parser)
    .option("oci-layout", { type: "boolean", describe: "The reference is an OCI image layout directory PATH[:TAG] (created when missing)" })
    .option("annotation", { alias: "a", type: "string", array: true, describe: "Manifest annotation key=value (repeatable)" }) as Argv<T & CommonArgs>;
}

const pushCommand: CommandModule<object, PushArgs> = {
  command: "$0 <ref> [zip]",
  describe: "Push a module zip, or the packages piped from tofu-oci-pack, to REF",
  builder: (y) =>
    commonOptions(y)
      .positional("ref", { type: "string", demandOption: true, describe: "HOST/REPO[:TAG], oci://HOST/REPO[?tag=TAG], or with --oci-layout PATH[:TAG]" })
      .positional("zip", { type: "string", describe: "Module zip; omit or - to read package records on stdin" })
      .option("tag", { alias: "t", type: "string", array: true, describe: "Another tag to point at the pushed artifact (repeatable)" })
      .option("sbom", { type: "string", array: true, describe: "SPDX or CycloneDX JSON file to attach as a referrer (repeatable)" })
      .option("force", { type: "boolean", describe: "Replace a provider version tag that holds different content" })
      .option("mount-from", { type: "string", array: true, describe: "Repository of the same registry to mount existing blobs from (repeatable)" })
      .example("tofu-oci-pack module ./net | $0 registry.example.com/modules/net:1.0.0", "Push what tofu-oci-pack packed")
      .example("$0 registry.example.com/modules/net:1.0.0 net.zip -t latest --sbom sbom.spdx.json", "Push a zip, tag it twice, attach an SBOM")
      .example("tofu-oci-pack provider --provider example.com/acme/thing --version 1.2.0 dist/ | $0 registry.example.com/providers/acme/thing", "Push a provider version (tag 1.2.0)")
      .example("$0 --oci-layout ./oci-layout:1.0.0 net.zip", "Push into an OCI image layout directory") as Argv<PushArgs>,
  handler: async (argv) => {
    const args = argv as unknown as HandlerArgs<PushArgs>;
    const output = outputFor(args);
    const zip = positionalOrStdin(args.zip);
    const fromStdin = zip === undefined;
    assertStdinFree(args, fromStdin, "package", "Give the module ZIP as an argument");
    const created = createdFrom(args.ctx.env.SOURCE_DATE_EPOCH);
    const client = args.ociLayout ? undefined : await clientOptionsFor(args, args.ctx, output);
    const { qualify } = await referenceDefaults(args.ctx);
    const [{ push }, { parseAnnotations }, { describePushRecord }] = await Promise.all([import("./push.js"), import("./annotations.js"), import("./text.js")]);
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
        },
        args.ctx,
      ),
    );
    for (const record of records) output.record(record, describePushRecord);
  },
};

const attachCommand: CommandModule<object, AttachArgs> = {
  command: "attach <subject> <file>",
  describe: "Attach a file (an SBOM, a signature, ...) to an existing artifact as a referrer",
  builder: (y) =>
    commonOptions(y)
      .positional("subject", { type: "string", demandOption: true, describe: "The artifact: HOST/REPO:TAG or HOST/REPO@sha256:..." })
      .positional("file", { type: "string", demandOption: true, describe: "The file to attach; SPDX and CycloneDX JSON are detected" })
      .option("artifact-type", { type: "string", describe: "The referrer's artifactType (required unless the file is an SBOM)" })
      .example("$0 attach registry.example.com/modules/net:1.0.0 sbom.cdx.json", "Attach a CycloneDX SBOM (type detected)")
      .example("$0 attach registry.example.com/modules/net:1.0.0 notes.txt --artifact-type application/vnd.example.notes -a org.opencontainers.image.description=notes", "Attach any file with its own artifactType") as Argv<AttachArgs>,
  handler: async (argv) => {
    const args = argv as unknown as HandlerArgs<AttachArgs>;
    const output = outputFor(args);
    const client = args.ociLayout ? undefined : await clientOptionsFor(args, args.ctx, output);
    const { qualify } = await referenceDefaults(args.ctx);
    const [{ attach }, { parseAnnotations }, { describeReferrerRecord }] = await Promise.all([import("./attach.js"), import("./annotations.js"), import("./text.js")]);
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
};

/** Registry settings and credentials (-u/-p, else exactly what `tofu init` would use). */
async function clientOptionsFor(args: RegistryArgs, ctx: CommandContext, output: Output): Promise<RegistryClientOptions & { concurrency: number }> {
  const { commandClientOptions } = await import("@tofu-oci/auth");
  return commandClientOptions(args, ctx, output);
}

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
