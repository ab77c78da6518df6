import type { CopyOptions } from "@tofu-oci/core";

/** A referrer (SBOM, signature) found and copied with `--recursive`. */
export interface ReferrerSummary {
  /** The referrer manifest's digest (`sha256:...`). */
  digest: string;
  /** The referrer's artifact type (e.g. `application/vnd.cyclonedx+json`), when its manifest names one. */
  artifactType?: string;
  /** The digest of the manifest it refers to. */
  subject: string;
}

/** Collects the referrers core's copy reports (`onReferrers`), for an artifact's record. */
export class ReferrerSummaries {
  readonly #found = new Map<string, ReferrerSummary>();

  /** The copy option that feeds this collection. */
  readonly onReferrers: NonNullable<CopyOptions["onReferrers"]> = (subject, referrers) => {
    for (const referrer of referrers) {
      const summary: ReferrerSummary = { digest: referrer.digest, subject: subject.digest };
      if (referrer.artifactType) summary.artifactType = referrer.artifactType;
      this.#found.set(referrer.digest, summary);
    }
  };

  list(): ReferrerSummary[] {
    return [...this.#found.values()];
  }
}
