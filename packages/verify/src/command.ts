/**
 * The `verify` command for the umbrella `tofu-oci` and the `tofu-oci-verify` bin; loads the CLI kit.
 * @module
 */
import {
  defineCommand,
  positionalOrRecords,
  readPackageVersion,
  referenceDefaults,
  withRegistryOptions,
  type CliSpec,
} from "@tofu-oci/cli-kit";
import { TofuOciError, plural } from "@tofu-oci/core";

const verifyCommand = defineCommand({
  command: "$0 [ref]",
  describe: "Check that an artifact installs with tofu init (OpenTofu >= 1.10), exactly by OpenTofu's rules",
  builder: (y) =>
    withRegistryOptions(y)
      .positional("ref", {
        type: "string",
        describe:
          "HOST/REPO[:TAG|@DIGEST], oci://HOST/REPO[//SUBDIR][?tag=|?digest=], or with --oci-layout PATH[:TAG]; omit or - to read tofu-oci-push records on stdin",
      })
      .option("type", {
        choices: ["module", "provider"] as const,
        describe: "What the artifact is (default: detected)",
      })
      .option("platform", {
        type: "string",
        array: true,
        describe: "Provider platform to check, os_arch or os/arch (repeatable; default: all in the index)",
      })
      .option("lockfile", { type: "string", describe: "A .terraform.lock.hcl whose hashes tofu init would enforce" })
      .option("provider", {
        type: "string",
        describe: "The lock-file entry to use, HOST/NAMESPACE/TYPE (default: the only one at the version)",
      })
      .option("extract", {
        type: "string",
        describe: "Unpack the module (or the one provider platform) into this new directory once every check passed",
      })
      .option("require-sbom", { type: "boolean", describe: "Fail unless an SPDX or CycloneDX SBOM is attached" })
      .option("oci-layout", { type: "boolean", describe: "REF is an OCI image layout directory PATH[:TAG|@DIGEST]" })
      .example("$0 'oci://registry.example.com/modules/net//vpc?tag=1.0.0'", "A module, as a module block names it")
      .example(
        "$0 registry.example.com/providers/acme/thing:1.2.0 --lockfile .terraform.lock.hcl",
        "A provider version, with the lock file's hashes",
      )
      .example(
        "$0 registry.example.com/providers/acme/thing:1.2.0 --platform linux_amd64 --extract ./thing",
        "Unpack one platform once every check passed",
      )
      .example(
        "tofu-oci-pack module ./net | tofu-oci-push registry.example.com/modules/net:1.0.0 | $0",
        "Verify what was just pushed",
      )
      .example("$0 --oci-layout ./oci-layout:1.0.0 --require-sbom", "An OCI layout; fail without an SBOM"),
  handler: async (args, output) => {
    const ref = positionalOrRecords(args.ref, args, {
      records: "artifact",
      pipeline: "tofu-oci-push REF ZIP | tofu-oci-verify",
      instead: "give REF as an argument",
    });
    const [{ verify }, { describeVerification }, { commandClientOptions }] = await Promise.all([
      import("./verify.js"),
      import("./text.js"),
      import("@tofu-oci/auth/command"),
    ]);
    const client = args.ociLayout ? undefined : await commandClientOptions(args, output);
    const { qualify } = await referenceDefaults(args.ctx);
    const records = await verify(
      {
        ...(ref === undefined ? {} : { reference: args.ociLayout ? ref : qualify(ref) }),
        ...(args.type ? { type: args.type } : {}),
        platforms: args.platform ?? [],
        ...(args.lockfile !== undefined ? { lockFile: args.lockfile } : {}),
        ...(args.provider !== undefined ? { provider: args.provider } : {}),
        ...(args.extract !== undefined ? { extract: args.extract } : {}),
        requireSbom: args.requireSbom ?? false,
        ociLayout: args.ociLayout ?? false,
        ...(client ? { clientOptions: client } : {}),
        onRecord: (record) => output.record(record, describeVerification),
        onOtherRecord: (record) => output.forward(record),
      },
      { stdin: args.ctx.stdin, cwd: args.ctx.cwd, signal: args.ctx.signal },
    );
    const failed = records.filter((record) => !record.ok);
    const missing = failed.filter((record) => record.notFound);
    // Nothing to check is "not found" (3), not a failed check (1); it wins when both happen.
    if (missing.length > 0) {
      const what =
        missing.length === 1
          ? `${missing[0]!.reference} does not exist`
          : `${missing.length} of ${records.length} artifacts do not exist`;
      throw new TofuOciError("not-found", what, {
        hint: "The resolve check in the verification record names what is missing; check the reference, or push the artifact.",
      });
    }
    if (failed.length > 0) {
      throw new TofuOciError(
        "verification-failed",
        `${failed.length} of ${plural(records.length, "artifact")} would not install with tofu init`,
        {
          hint: "Each failed check in the verification record says what to fix.",
        },
      );
    }
  },
});

/** The tofu-oci-verify command line; the umbrella runs it as `tofu-oci verify`. */
export const cli: CliSpec = {
  scriptName: "tofu-oci-verify",
  version: readPackageVersion(import.meta.url),
  commands: [verifyCommand],
  epilogue:
    "Exit codes: 0 installs, 1 a check failed, 2 usage, 3 not found, 4 auth, 5 registry/network, 6 bad lock file or record.",
};
