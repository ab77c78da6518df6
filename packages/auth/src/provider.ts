import type { Credential, CredentialProvider } from "@tofu-oci/core";
import { authIoOf, type AuthEffects } from "./effects.js";
import type { AuthIo } from "./io/auth-io.js";
import { nodeAuthIo, type NodeAuthIoOptions } from "./io/node-io.js";
import { checkConfiguration, materialize, resolveSource } from "./resolver.js";

/** Where the provider's I/O comes from: the caller's process (see {@link NodeAuthIoOptions}), or `io`. */
export interface OpenTofuCredentialsOptions extends NodeAuthIoOptions {
  /**
   * A docker-style config.json to use instead of the configured or default search
   * (`--registry-config`); explicit `oci_credentials` blocks still apply. Default: none.
   */
  registryConfig?: string;
  /** Replaces all I/O (for tests); the options above are then ignored except `registryConfig`. */
  io?: AuthIo;
}

/**
 * The CredentialProvider every tofu-oci command uses: for each (registry, repository) it picks
 * exactly the credentials `tofu init` would (OpenTofu's CLI config `oci_credentials` and
 * `oci_default_credentials` blocks, docker-style files, credential helpers, specificity rules;
 * see the package README). Like OpenTofu, the configuration is read again for each new
 * repository and the answer is kept for the rest of the run; a helper runs only when a registry
 * asks for credentials. Resolves to undefined for anonymous access.
 * @throws CredentialsError when OpenTofu would fail too (bad CLI config, broken entries, failing helper).
 */
export function opentofuCredentials(options: OpenTofuCredentialsOptions): CredentialProvider {
  return providerOn(options.io ?? nodeAuthIo(options), options.registryConfig);
}

/** {@link opentofuCredentials} on this I/O, with `registryConfig` as the only docker-style file if given. */
export function providerOn(io: AuthIo, registryConfig: string | undefined): CredentialProvider {
  const files = registryConfig ? [io.path.resolve(io.cwd, registryConfig)] : undefined;
  const answers = new Map<string, Promise<Credential | undefined>>();
  return (registry, repository) => {
    const key = `${registry}\u0000${repository}`;
    let answer = answers.get(key);
    if (!answer) {
      answer = lookUp(io, { registry, repository }, files);
      answers.set(key, answer);
    }
    return answer;
  };
}

async function lookUp(
  io: AuthIo,
  query: { registry: string; repository: string },
  files: string[] | undefined,
): Promise<Credential | undefined> {
  const resolution = await resolveSource(io, query, files ? { dockerStyleConfigFiles: files } : {});
  return (await materialize(io, resolution.selection.selected)).credential;
}

/**
 * The credentials factory every tofu-oci command passes to cli-kit's `registryClientOptions`:
 * given `--registry-config` (or none), the OpenTofu-identical provider for these effects (the
 * command's environment and directory), after checking the CLI configuration and the
 * docker-style files it lists.
 * @throws CredentialsError (exit 6) for a configuration `tofu init` would refuse.
 */
export function commandCredentials(
  effects: AuthEffects,
): (registryConfig: string | undefined) => Promise<CredentialProvider> {
  return async (registryConfig) => {
    const io = authIoOf(effects);
    // A broken CLI configuration is bad local input: refuse it before the first request.
    await checkConfiguration(
      io,
      registryConfig ? { dockerStyleConfigFiles: [io.path.resolve(io.cwd, registryConfig)] } : {},
    );
    return providerOn(io, registryConfig);
  };
}
