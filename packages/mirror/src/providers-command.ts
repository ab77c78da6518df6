import {
  defineCommand,
  readPackageVersion,
  referenceDefaults,
  withRegistryOptions,
  withTransferProgress,
} from "@tofu-oci/cli-kit";
import { TofuOciError } from "@tofu-oci/core";

/** `tofu-oci-mirror providers PROVIDER[@CONSTRAINT]... --to TEMPLATE`: provider registry -> OCI mirror. */
export const providersCommand = defineCommand({
  command: "providers [provider..]",
  describe:
    "Mirror provider versions from their registry into OCI repositories, checking every zip's hashes and signature first",
  builder: (y) =>
    withRegistryOptions(y)
      .positional("provider", {
        type: "string",
        array: true,
        describe:
          "NAMESPACE/TYPE or HOST/NAMESPACE/TYPE, optionally @CONSTRAINT (e.g. hashicorp/aws@'~> 5.0'); default the newest release",
      })
      .option("to", {
        type: "string",
        describe:
          "Repository template as in oci_mirror { repository_template }, e.g. 'registry.example.com/providers/${namespace}/${type}'; with --oci-layout a directory template (default: mirrorTemplate from the config file)",
      })
      .option("platform", {
        type: "string",
        array: true,
        describe: "os/arch or os_arch to mirror (repeatable), or all; default the current platform",
      })
      .option("latest", {
        type: "boolean",
        describe: "Mirror only the newest version each constraint matches (default: every matching version)",
      })
      .option("lockfile", {
        type: "string",
        describe: "Mirror exactly the versions this .terraform.lock.hcl pins, checking its hashes",
      })
      .conflicts("latest", "lockfile")
      .option("sbom", {
        type: "boolean",
        describe: "Attach a CycloneDX SBOM from each executable's Go build info to its platform manifest",
      })
      .option("dry-run", {
        type: "boolean",
        describe: "Check signatures and report what would be mirrored; download and push nothing",
      })
      .option("print-config", {
        type: "boolean",
        describe: "Print the provider_installation block that makes tofu init use the mirror",
      })
      .option("source-plain-http", {
        type: "boolean",
        describe: "Allow http for a loopback provider registry (testing only)",
      })
      .option("shard", {
        type: "string",
        describe:
          "Mirror only share K of N of the versions (K/N, split by provider and version): N machines together mirror each version once",
      })
      .option("max-download-size", {
        type: "string",
        describe: "The most one zip download may write, e.g. 512MiB (default 1GiB); an endless body stops there",
      })
      .option("oci-layout", {
        alias: "to-oci-layout",
        type: "boolean",
        describe: "The template names OCI image layout directories (created when missing)",
      })
      .example(
        "$0 providers hashicorp/aws@'~> 5.0' --latest --platform linux_amd64 --to 'mirror.internal/providers/${namespace}/${type}' --print-config",
        "The newest aws 5.x, then the CLI configuration that uses it",
      )
      .example(
        "$0 providers hashicorp/random@'>= 3.5' --platform linux_amd64 --to 'mirror.internal/providers/${namespace}/${type}'",
        "Every random version from 3.5 on (a constraint mirrors every match)",
      )
      .example(
        "$0 providers --lockfile .terraform.lock.hcl --platform all --sbom --to 'mirror.internal/providers/${namespace}/${type}'",
        "Exactly what a lock file pins, every platform, with SBOMs",
      )
      .example(
        "$0 providers hashicorp/random --to './providers/${namespace}/${type}' --oci-layout",
        "To disk for an air gap",
      ),
  handler: async (args, output) => {
    const [
      { mirrorProviders },
      { describeProvidersRecord },
      { commandClientOptions },
      { parseByteSize },
      { parseShard },
    ] = await Promise.all([
      import("./providers.js"),
      import("./providers-text.js"),
      import("@tofu-oci/auth/command"),
      import("./byte-size.js"),
      import("./shard.js"),
    ]);
    const maxDownloadSize =
      args.maxDownloadSize === undefined ? undefined : parseByteSize(args.maxDownloadSize, "--max-download-size");
    const shard = args.shard === undefined ? undefined : parseShard(args.shard);
    const clientOptions = await commandClientOptions(args, output);
    const { config, qualify } = await referenceDefaults(args.ctx);
    const to = args.to ?? config.mirrorTemplate;
    const { ctx } = args;
    const result = await withTransferProgress(ctx, output, (progress) =>
      mirrorProviders(
        {
          providers: args.provider ?? [],
          ...(to !== undefined ? { to: args.ociLayout ? to : qualify(to) } : {}),
          platforms: args.platform ?? [],
          ...(args.lockfile !== undefined ? { lockfile: args.lockfile } : {}),
          sbom: args.sbom ?? false,
          dryRun: args.dryRun ?? false,
          latest: args.latest ?? false,
          printConfig: args.printConfig ?? false,
          sourcePlainHttp: args.sourcePlainHttp ?? false,
          ...(maxDownloadSize ? { maxDownloadSize } : {}),
          ociLayout: args.ociLayout ?? false,
          concurrency: clientOptions.concurrency,
          ...(shard ? { shard } : {}),
          clientOptions,
          tool: { name: "tofu-oci-mirror", version: readPackageVersion(import.meta.url) },
          hooks: {
            ...progress,
            onWarning: (message) => output.warn(message),
            onLog: (message) => output.debug(message),
          },
        },
        { cwd: ctx.cwd, env: ctx.env, signal: ctx.signal, now: ctx.now },
      ),
    );
    for (const record of result.records) output.record(record, describeProvidersRecord);
    if (result.config) output.record(result.config, (config: { text: string }) => config.text);
    if (result.failures.length > 0) throw summarize(result.failures);
  },
});

/** Failures listed in the summary; a hostile registry can make thousands. */
const LISTED_FAILURES = 10;

/** One error for the exit code: a registry or network failure wins over failed checks (exit 1). */
function summarize(failures: readonly TofuOciError[]): TofuOciError {
  if (failures.length === 1) return failures[0]!;
  const worst = failures.find((failure) => failure.code !== "verification-failed") ?? failures[0]!;
  const more = failures.length > LISTED_FAILURES ? [`  ... and ${failures.length - LISTED_FAILURES} more`] : [];
  const lines = [...failures.slice(0, LISTED_FAILURES).map((failure) => `  ${failure.message}`), ...more].join("\n");
  return new TofuOciError(
    worst.code,
    `${failures.length} provider versions failed:\n${lines}`,
    worst.hint ? { hint: worst.hint } : {},
  );
}
