import type { CliConfig } from "../cli-config/load-cli-config.js";
import { DEFAULT_OCI_CREDENTIALS, type OciDefaultCredentials } from "../cli-config/oci-blocks.js";
import { discoverDefault, discoverExplicit, type AmbientDiscovery } from "../docker-config/discover.js";
import { CredentialsError } from "../errors.js";
import type { AuthIo } from "../io/auth-io.js";
import { dockerFileConfig, explicitBlockConfig, globalHelperConfig } from "./configs.js";
import type { CredentialsConfig } from "./credentials-source.js";

/** The ordered credential configs OpenTofu consults, with what went into them. */
export interface Policy {
  configs: CredentialsConfig[];
  defaults: OciDefaultCredentials;
  ambient: AmbientDiscovery;
}

export interface BuildPolicyOptions {
  /**
   * Use exactly these docker-style files instead of the configured or default ones, as if
   * `docker_style_config_files` listed them (`--registry-config`). Default: as configured.
   */
  dockerStyleConfigFiles?: string[];
}

/**
 * Builds the policy (docs/contract/auth/spec.md §7.1): explicit blocks in config order, the global helper, then the
 * ambient docker-style files.
 * @throws CredentialsError (stage "policy") when an explicitly listed file cannot be used.
 */
export async function buildPolicy(io: AuthIo, cliConfig: CliConfig, options: BuildPolicyOptions = {}): Promise<Policy> {
  const defaults = effectiveDefaults(cliConfig, options);
  const configs: CredentialsConfig[] = cliConfig.credentials.map(explicitBlockConfig);
  if (defaults.helper !== "") configs.push(globalHelperConfig(defaults.helper));
  const ambient = await discoverAmbient(io, defaults);
  if (ambient.failure) {
    throw new CredentialsError(
      "policy",
      `invalid credentials configuration for OCI registries: ${ambient.failure}`,
      "Create the file, or fix or remove it from docker_style_config_files in the CLI configuration.",
    );
  }
  if (!ambient.discarded) {
    for (const file of ambient.files) if (file.config) configs.push(dockerFileConfig(file.path, file.config));
  }
  return { configs, defaults, ambient };
}

function effectiveDefaults(cliConfig: CliConfig, options: BuildPolicyOptions): OciDefaultCredentials {
  const configured = cliConfig.defaults[0] ?? DEFAULT_OCI_CREDENTIALS;
  if (!options.dockerStyleConfigFiles) return configured;
  return { ...configured, discoverAmbientCredentials: true, dockerStyleConfigFiles: options.dockerStyleConfigFiles };
}

async function discoverAmbient(io: AuthIo, defaults: OciDefaultCredentials): Promise<AmbientDiscovery> {
  if (!defaults.discoverAmbientCredentials) return { mode: "disabled", searchPaths: [], files: [], discarded: false };
  if (defaults.dockerStyleConfigFiles) return discoverExplicit(io, defaults.dockerStyleConfigFiles);
  return discoverDefault(io);
}
