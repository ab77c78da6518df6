import type { Credential } from "@tofu-oci/core";
import { loadCliConfig, type CliConfig } from "./cli-config/load-cli-config.js";
import { CredentialsError, type SelectedSource } from "./errors.js";
import { HelperError, helperGet } from "./helpers/credential-helper.js";
import type { AuthIo } from "./io/auth-io.js";
import { buildPolicy, type BuildPolicyOptions, type Policy } from "./policy/build-policy.js";
import type { CredentialsSource } from "./policy/credentials-source.js";
import { selectSource, type Selection } from "./policy/select-source.js";
import { formatSpecificity } from "./policy/specificity.js";

/** A repository to find credentials for: the registry domain as written (port included, case kept) and the path. */
export interface CredentialsQuery {
  /** The registry host, with its port when the reference names one. */
  registry: string;
  /** The repository path, e.g. `opentofu-providers/hashicorp/aws`. */
  repository: string;
}

/** Everything OpenTofu decided on the way to a credentials source; `resolve` explains it. */
export interface Resolution {
  /** The registry and repository asked about. */
  query: CredentialsQuery;
  /** The CLI configuration as loaded (files, credentials blocks, diagnostics). */
  cliConfig: CliConfig;
  /** The credentials configs in OpenTofu's order and the ambient file search. */
  policy: Policy;
  /** The source chosen (if any), every candidate considered, and errors met. */
  selection: Selection;
  /** The config locations in policy order (conformance `configLocations`). */
  configLocations: string[];
}

/** Options of `resolveSource`: how the credentials policy is built (OpenTofu's CLI config and ambient files). */
export type ResolveOptions = BuildPolicyOptions;

/**
 * Loads the CLI configuration, builds the policy and selects a source for `query`, exactly as
 * `tofu init` would before contacting the registry. Does not run helpers.
 * @throws CredentialsError with the stage that failed: config, policy or select.
 */
export async function resolveSource(
  io: AuthIo,
  query: CredentialsQuery,
  options: ResolveOptions = {},
): Promise<Resolution> {
  const cliConfig = await loadCliConfig(io);
  assertValidCliConfig(cliConfig);
  const policy = await buildPolicy(io, cliConfig, options);
  const selection = selectSource(policy.configs, query.registry, query.repository);
  if (selection.selected && selection.errors.length > 0) {
    throw new CredentialsError(
      "select",
      `finding credentials for ${JSON.stringify(query.registry)}: ${selection.errors.join("; ")}`,
      "Fix the entries named above: OpenTofu refuses to pick credentials while any matching entry is broken.",
    );
  }
  return { query, cliConfig, policy, selection, configLocations: policy.configs.map((config) => config.location) };
}

/**
 * Reads the CLI configuration and builds the policy without a query, so a command can refuse a
 * broken configuration before its first request instead of at the registry's first challenge.
 * @throws CredentialsError (stage config or policy), as {@link resolveSource} would.
 */
export async function checkConfiguration(io: AuthIo, options: ResolveOptions = {}): Promise<void> {
  const cliConfig = await loadCliConfig(io);
  assertValidCliConfig(cliConfig);
  await buildPolicy(io, cliConfig, options);
}

function assertValidCliConfig(config: CliConfig): void {
  const errors = config.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
  if (errors.length === 0) return;
  const hint = "Fix the CLI configuration: OpenTofu reports these problems too, and drops what it cannot decode.";
  throw new CredentialsError(
    "config",
    `There are some problems with the CLI configuration: ${errors.map((e) => e.message).join("; ")}`,
    hint,
  );
}

/** The credentials a source gives, after running its helper; `anonymous` when there are none. */
export interface Materialized {
  /** The credential to send, after running a helper; absent when anonymous. */
  credential?: Credential;
  /** True when no source matched, the helper has no entry, or the credential is empty. */
  anonymous: boolean;
}

/**
 * Produces the credentials of a selected source, running its helper if it is one (docs/contract/auth/spec.md §8).
 * A helper's "not found" means anonymous: OpenTofu does not fall back to other sources.
 * @throws CredentialsError (stage "credentials") when the helper fails.
 */
export async function materialize(io: AuthIo, source: CredentialsSource | undefined): Promise<Materialized> {
  if (!source) return { anonymous: true };
  if (source.kind === "static-oauth")
    return withAnonymous({ accessToken: source.accessToken ?? "", refreshToken: source.refreshToken ?? "" });
  if (source.kind === "static-basic")
    return withAnonymous({ username: source.username ?? "", password: source.password ?? "" });
  try {
    const answer = await helperGet(io, source.helper!, source.serverURL!);
    return answer.found ? withAnonymous({ username: answer.username, password: answer.secret }) : { anonymous: true };
  } catch (error) {
    if (!(error instanceof HelperError)) throw error;
    const message = `from ${JSON.stringify(source.helper)} credential helper: ${error.message}`;
    const selected = selectedSource(source);
    const hint = `OpenTofu selected ${source.location} (${selected.specificity}); check that docker-credential-${source.helper} is on PATH and works: printf %s ${source.serverURL} | docker-credential-${source.helper} get`;
    throw new CredentialsError("credentials", message, hint, error, selected);
  }
}

function selectedSource(source: CredentialsSource): SelectedSource {
  const { location, entry, kind, helper, serverURL } = source;
  return { location, entry, kind, specificity: formatSpecificity(source.specificity), helper, serverURL };
}

function withAnonymous(credential: Credential): Materialized {
  const anonymous = !credential.username && !credential.password && !credential.accessToken && !credential.refreshToken;
  return anonymous ? { anonymous } : { credential, anonymous };
}
