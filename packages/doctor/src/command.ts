import {
  defineCommand,
  readPackageVersion,
  referenceDefaults,
  withRegistryOptions,
  type CliSpec,
} from "@tofu-oci/cli-kit";

const doctorCommand = defineCommand({
  command: "$0 <ref>",
  describe: "Probe a registry and repository, and prove OpenTofu can install modules and providers from it",
  builder: (y) =>
    withRegistryOptions(y, { concurrency: false })
      .positional("ref", {
        type: "string",
        demandOption: true,
        describe: "HOST, HOST/REPO, or an artifact HOST/REPO:TAG (oci://... too) to verify as well",
      })
      .option("scratch-repository", {
        type: "string",
        describe:
          "Repository on REF's registry to push the scratch module and provider to (default REPO/tofu-oci-doctor)",
      })
      .option("read-only", {
        type: "boolean",
        describe: "Write nothing: probe reading only (the verdict then says so)",
      })
      .example(
        "$0 registry.example.com/modules",
        "Everything, with a scratch module and provider in modules/tofu-oci-doctor",
      )
      .example("$0 ghcr.io/acme/modules --scratch-repository acme/tofu-oci-doctor", "Name the scratch repository")
      .example(
        "$0 registry.example.com/modules/net:1.0.0 --read-only",
        "Reading only: can tofu init install this module from here?",
      )
      .example(
        "$0 registry.example.com/modules --format json | jq '.probes[] | select(.status != \"ok\")'",
        "What does not work, as NDJSON",
      ),
  handler: async (args, output) => {
    const [{ doctor }, { describeDoctor }, { doctorFailure }, { commandClientOptions }] = await Promise.all([
      import("./doctor.js"),
      import("./text.js"),
      import("./report.js"),
      import("@tofu-oci/auth/command"),
    ]);
    const { config, qualify } = await referenceDefaults(args.ctx);
    const reference = qualify(args.ref);
    const fromFlags = args.username !== undefined || args.password !== undefined || args.passwordStdin === true;
    const registryConfig = args.registryConfig ?? config.registryConfig;
    const clientOptions = await commandClientOptions(args, output);
    output.info(`probing ${reference}...`);
    const record = await doctor(
      {
        reference,
        ...(args.scratchRepository !== undefined ? { scratchRepository: args.scratchRepository } : {}),
        readOnly: args.readOnly ?? false,
        clientOptions,
        credentials: fromFlags
          ? { from: "flags", username: args.username ?? "" }
          : { from: "opentofu", ...(registryConfig ? { registryConfig } : {}) },
        onProbe: (probe) => output.debug(`${probe.id}: ${probe.status}: ${probe.summary}`),
      },
      args.ctx,
    );
    if (record.credentials.from === "opentofu") record.credentials.warnings.forEach((warning) => output.warn(warning));
    output.record(record, describeDoctor);
    const failure = doctorFailure(record);
    if (failure) throw failure;
  },
});

/** The tofu-oci-doctor command line; the umbrella runs it as `tofu-oci doctor`. */
export const cli: CliSpec = {
  scriptName: "tofu-oci-doctor",
  version: readPackageVersion(import.meta.url),
  commands: [doctorCommand],
  epilogue:
    "Exit codes: 0 OpenTofu can install from here (with --read-only: read), 1 a probe failed (the registry refuses what OpenTofu needs), 2 usage, 3 not found, 4 authentication or permission, 5 network or TLS, 6 bad CLI configuration.",
};
