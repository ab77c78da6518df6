import { authIoOf, type AuthEffects } from "./effects.js";
import type { CredentialsSource } from "./policy/credentials-source.js";
import type { ConsideredCandidate } from "./policy/select-source.js";
import { formatSpecificity } from "./policy/specificity.js";
import { queryFromReference } from "./reference-query.js";
import type { CandidateRecord, CredentialsRecord } from "./records.js";
import { materialize, resolveSource, type Materialized, type Resolution } from "./resolver.js";
import { surprisingRules } from "./warnings.js";

/** Options of `resolve` (the `tofu-oci-auth resolve` command as a function). */
export interface ResolveCommandOptions {
  /** `HOST/REPO[:TAG]`, `oci://HOST/REPO[?tag=...]` or a bare `HOST`. */
  reference: string;
  /** Include the password or tokens in the record. Default false. */
  reveal?: boolean;
  /** Use this docker-style file instead of the configured or default ones. */
  registryConfig?: string;
}

/**
 * `tofu-oci-auth resolve REF`: the credentials `tofu init` would use for REF, where they come
 * from, and the whole decision (every candidate, the winner, OpenTofu's surprising rules).
 * Runs the selected credential helper, as OpenTofu does when a registry asks.
 * @throws CredentialsError, TofuOciError (usage) for a bad reference.
 */
export async function resolve(options: ResolveCommandOptions, effects: AuthEffects): Promise<CredentialsRecord> {
  const query = queryFromReference(options.reference);
  const io = authIoOf(effects);
  const files = options.registryConfig ? [io.path.resolve(io.cwd, options.registryConfig)] : undefined;
  const resolution = await resolveSource(io, query, files ? { dockerStyleConfigFiles: files } : {});
  const materialized = await materialize(io, resolution.selection.selected);
  return credentialsRecord(
    resolution,
    materialized,
    surprisingRules(resolution, io.env, materialized),
    options.reveal ?? false,
  );
}

function credentialsRecord(
  resolution: Resolution,
  materialized: Materialized,
  warnings: string[],
  reveal: boolean,
): CredentialsRecord {
  const source = resolution.selection.selected;
  const record: CredentialsRecord = {
    kind: "credentials",
    registry: resolution.query.registry,
    repository: resolution.query.repository,
    source: source?.location ?? null,
    entry: source?.entry ?? null,
    sourceKind: source?.kind ?? null,
    specificity: formatSpecificity(source?.specificity ?? 0),
    ...helperFields(source),
    anonymous: materialized.anonymous,
    cliConfigFiles: resolution.cliConfig.files,
    ambient: {
      mode: resolution.policy.ambient.mode,
      files: resolution.policy.ambient.files.map(({ path, status, error }) =>
        error && status !== "absent" ? { path, status, error } : { path, status },
      ),
    },
    configLocations: resolution.configLocations,
    candidates: resolution.selection.considered.map(candidateRecord),
    warnings,
  };
  const credential = materialized.credential;
  if (credential?.username !== undefined) record.username = credential.username;
  if (reveal && credential) {
    for (const key of ["password", "accessToken", "refreshToken"] as const)
      if (credential[key] !== undefined) record[key] = credential[key];
  }
  return record;
}

function helperFields(source: CredentialsSource | undefined): { helper?: string; serverURL?: string } {
  return source?.helper ? { helper: source.helper, serverURL: source.serverURL! } : {};
}

function candidateRecord(candidate: ConsideredCandidate): CandidateRecord {
  if (candidate.error !== undefined)
    return { location: candidate.location, entry: candidate.entry, outcome: candidate.outcome, error: candidate.error };
  const { source } = candidate;
  const record: CandidateRecord = {
    location: candidate.location,
    entry: source.entry,
    kind: source.kind,
    specificity: formatSpecificity(source.specificity),
    outcome: candidate.outcome,
  };
  if (source.helper) record.helper = source.helper;
  return record;
}
