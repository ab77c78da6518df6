import type { CheckResult, ProviderArtifactRecord, VerificationRecord } from "@tofu-oci/core";

/** An SBOM attached to one platform manifest. */
export interface AttachedSbom {
  /** The platform's operating system, e.g. `linux`. */
  os: string;
  /** The platform's architecture, e.g. `amd64`. */
  arch: string;
  /** The referrer manifest's digest. */
  digest: string;
  /** The platform manifest it refers to. */
  subject: string;
  /** The referrer's artifact type: `application/vnd.cyclonedx+json`. */
  artifactType: string;
  /** Dependency modules listed; 0 for a minimal SBOM. */
  modules: number;
}

/**
 * The record of one mirrored provider version: push's provider artifact record (docs/contract/design.md §2.2)
 * plus what was downloaded, every check that passed, and SBOMs attached in this run.
 */
export interface ProviderMirrorRecord extends ProviderArtifactRecord {
  /** Provider package bytes downloaded (registry metadata does not count). */
  bytesDownloaded: number;
  /** Every check run on the version (signature, checksums, zip contents), all passed. */
  checks: CheckResult[];
  /** SBOMs attached in this run; empty without `sbom` or when each platform already had one. */
  sboms: AttachedSbom[];
}

/** A version that failed a check: nothing of it was pushed. */
export interface ProviderFailureRecord extends VerificationRecord {
  /** Always `provider`. */
  type: "provider";
  /** `HOST/NAMESPACE/TYPE`. */
  provider: string;
  /** The provider version that failed, e.g. `5.0.1`. */
  version: string;
}

/** What `--dry-run` would do for a version, after the checks that need no download. */
export interface ProviderPlanRecord {
  /** Always `plan`. */
  kind: "plan";
  /** Always `provider`. */
  type: "provider";
  /** `HOST/NAMESPACE/TYPE`. */
  provider: string;
  /** The provider version, e.g. `5.0.1`. */
  version: string;
  /** The destination, `HOST/REPO:TAG` or a layout path with its tag. */
  reference: string;
  /** The `os_arch` keys that would be mirrored. */
  platforms: string[];
  /** `mirror`: not there yet; `add-platforms`: the index gains platforms; `unchanged`: nothing to do. */
  action: "mirror" | "add-platforms" | "unchanged";
  /** The checks that need no download (e.g. the registry's version metadata). */
  checks: CheckResult[];
}

/** What `tofu-oci-mirror providers` prints: a mirrored version, a failed one, or a plan (`--dry-run`). */
export type ProvidersRecord = ProviderMirrorRecord | ProviderFailureRecord | ProviderPlanRecord;

/** The failure record of a version, naming each failed check. */
export function failureRecord(
  provider: string,
  version: string,
  reference: string,
  checks: CheckResult[],
): ProviderFailureRecord {
  return { kind: "verification", ok: false, type: "provider", reference, provider, version, checks };
}
