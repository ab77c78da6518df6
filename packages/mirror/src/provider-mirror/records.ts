import type { CheckResult, ProviderArtifactRecord, VerificationRecord } from "@tofu-oci/core";

/** An SBOM attached to one platform manifest. */
export interface AttachedSbom {
  os: string;
  arch: string;
  /** The referrer manifest's digest. */
  digest: string;
  /** The platform manifest it refers to. */
  subject: string;
  artifactType: string;
  /** Dependency modules listed; 0 for a minimal SBOM. */
  modules: number;
}

/**
 * The record of one mirrored provider version: push's provider artifact record (design.md §2.2)
 * plus what was downloaded, every check that passed, and SBOMs attached in this run.
 */
export interface ProviderMirrorRecord extends ProviderArtifactRecord {
  /** Provider package bytes downloaded (registry metadata does not count). */
  bytesDownloaded: number;
  checks: CheckResult[];
  sboms: AttachedSbom[];
}

/** A version that failed a check: nothing of it was pushed. */
export interface ProviderFailureRecord extends VerificationRecord {
  type: "provider";
  provider: string;
  version: string;
}

/** What `--dry-run` would do for a version, after the checks that need no download. */
export interface ProviderPlanRecord {
  kind: "plan";
  type: "provider";
  provider: string;
  version: string;
  reference: string;
  platforms: string[];
  /** `mirror`: not there yet; `add-platforms`: the index gains platforms; `unchanged`: nothing to do. */
  action: "mirror" | "add-platforms" | "unchanged";
  checks: CheckResult[];
}

/** What `tofu-oci-mirror providers` prints: a mirrored version, a failed one, or a plan (`--dry-run`). */
export type ProvidersRecord = ProviderMirrorRecord | ProviderFailureRecord | ProviderPlanRecord;

/** The failure record of a version, naming each failed check. */
export function failureRecord(provider: string, version: string, reference: string, checks: CheckResult[]): ProviderFailureRecord {
  return { kind: "verification", ok: false, type: "provider", reference, provider, version, checks };
}
