import { loadCliConfig } from "./cli-config/load-cli-config.js";
import type { ProviderInstallationMethod } from "./cli-config/provider-installation.js";
import { authIoOf, type AuthEffects } from "./effects.js";

export type { ProviderInstallationMethod } from "./cli-config/provider-installation.js";

/** The provider installation methods OpenTofu would use, from its CLI configuration. */
export interface ProviderInstallationConfig {
  /** The methods of the `provider_installation` block in order; undefined without one (OpenTofu then installs directly). */
  methods?: ProviderInstallationMethod[];
  /** The CLI config file the block is in. */
  file?: string;
  /** The CLI config files read. */
  files: string[];
  /** OpenTofu's messages about the block, one line each; a method with an error is left out, as OpenTofu leaves it out. */
  errors: string[];
}

/**
 * Reads the `provider_installation` block of OpenTofu's CLI configuration (with the environment
 * and machine of `effects`), found and merged
 * exactly as for credentials (TF_CLI_CONFIG_FILE, `~/.tofurc`, the `*.tfrc` files of the config
 * directory; docs/contract/auth/spec.md §2), decoded as OpenTofu decodes it
 * (internal/command/cliconfig/provider_installation.go:64). `oci_mirror` templates and
 * include/exclude patterns come as written; `@tofu-oci/opentofu` checks them.
 */
export async function providerInstallation(effects: AuthEffects): Promise<ProviderInstallationConfig> {
  const config = await loadCliConfig(authIoOf(effects));
  const errors = config.installationDiagnostics.filter((d) => d.severity === "error").map((d) => d.message);
  const block = config.providerInstallation[0];
  return { ...(block ? { methods: block.methods, file: block.file } : {}), files: config.files, errors };
}
