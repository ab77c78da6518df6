import type { CliSpec } from "@tofu-oci/cli-kit";

/** A package the umbrella runs in-process as `tofu-oci <name>`. */
export interface BuiltInCommand {
  /** One line for `tofu-oci --help`. */
  describe: string;
  /** Loads the package's CLI only when its command runs, to keep start-up fast. */
  load: () => Promise<CliSpec>;
}

/** The tofu-oci packages, each run in-process as `tofu-oci <name> ...`. */
export const BUILT_IN_COMMANDS: Record<string, BuiltInCommand> = {
  pack: {
    describe: "Pack modules into deterministic zips and collect provider release zips",
    load: async () => (await import("@tofu-oci/pack/command")).cli,
  },
  auth: {
    describe: "Registry credentials exactly as OpenTofu picks them: resolve, login, logout, token",
    load: async () => (await import("@tofu-oci/auth/command")).cli,
  },
  verify: {
    describe: "Check that a module or provider installs with tofu init; lock-file hashes; safe extract",
    load: async () => (await import("@tofu-oci/verify/command")).cli,
  },
  push: {
    describe: "Push modules and providers to a registry or OCI layout; attach SBOMs",
    load: async () => (await import("@tofu-oci/push/command")).cli,
  },
  doctor: {
    describe: "Probe a registry and prove OpenTofu can install modules and providers from it",
    load: async () => (await import("@tofu-oci/doctor/command")).cli,
  },
  deps: {
    describe: "Lock every platform's provider hashes from an OCI mirror; keep oci:// module pins current",
    load: async () => (await import("@tofu-oci/deps/command")).cli,
  },
  mirror: {
    describe: "Copy artifacts byte for byte, export/import air-gap bundles, mirror modules and providers into OCI",
    load: async () => (await import("@tofu-oci/mirror/command")).cli,
  },
};
