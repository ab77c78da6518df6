import { isManifestMediaType, type CopyOptions, type Descriptor } from "@tofu-oci/core";

/** Progress hooks a caller may pass to follow transfers (the CLI draws bars with them). */
export type TransferHooks = Pick<CopyOptions, "onCopied" | "onSkipped" | "onMounted" | "onProgress">;

/** What one artifact's copy moved, as its record reports it. */
export interface TransferCounts {
  /** Blobs (layers, configs) transferred. */
  blobsCopied: number;
  manifestsCopied: number;
  /** Bytes of blobs and manifests transferred. */
  bytesCopied: number;
  /** Blobs and manifests the destination already had. */
  skipped: number;
  /** Blobs the registry mounted from the source repository instead of an upload. */
  mounted: number;
  /** True when nothing had to be transferred or mounted. */
  unchanged: boolean;
}

/** A referrer (SBOM, signature) found and copied with `--recursive`. */
export interface ReferrerSummary {
  digest: string;
  artifactType?: string;
  /** The digest of the manifest it refers to. */
  subject: string;
}

/**
 * Counts what core's copy reports through its hooks, for one artifact's record, and passes
 * every event on to the caller's hooks.
 */
export class TransferTally {
  readonly #hooks: TransferHooks;
  readonly #referrers = new Map<string, ReferrerSummary>();
  #blobs = 0;
  #manifests = 0;
  #bytes = 0;
  #skipped = 0;
  #mounted = 0;

  constructor(hooks: TransferHooks = {}) {
    this.#hooks = hooks;
  }

  /** Options for core's copy that feed this tally. */
  copyOptions(): Pick<CopyOptions, "onCopied" | "onSkipped" | "onMounted" | "onProgress" | "onReferrers"> {
    const hooks = this.#hooks;
    return {
      onCopied: (descriptor) => {
        this.#copied(descriptor);
        hooks.onCopied?.(descriptor);
      },
      onSkipped: (descriptor) => {
        this.#skipped++;
        hooks.onSkipped?.(descriptor);
      },
      onMounted: (descriptor, from) => {
        this.#mounted++;
        hooks.onMounted?.(descriptor, from);
      },
      onReferrers: (subject, referrers) => this.#found(subject, referrers),
      ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
    };
  }

  /** Counts a manifest the caller pushed itself (a filtered index). */
  manifestPushed(descriptor: Descriptor): void {
    this.#copied(descriptor);
    this.#hooks.onCopied?.(descriptor);
  }

  counts(): TransferCounts {
    return {
      blobsCopied: this.#blobs,
      manifestsCopied: this.#manifests,
      bytesCopied: this.#bytes,
      skipped: this.#skipped,
      mounted: this.#mounted,
      unchanged: this.#blobs + this.#manifests + this.#mounted === 0,
    };
  }

  referrers(): ReferrerSummary[] {
    return [...this.#referrers.values()];
  }

  #copied(descriptor: Descriptor): void {
    if (isManifestMediaType(descriptor.mediaType)) this.#manifests++;
    else this.#blobs++;
    this.#bytes += descriptor.size;
  }

  #found(subject: Descriptor, referrers: readonly Descriptor[]): void {
    for (const referrer of referrers) {
      const summary: ReferrerSummary = { digest: referrer.digest, subject: subject.digest };
      if (referrer.artifactType) summary.artifactType = referrer.artifactType;
      this.#referrers.set(referrer.digest, summary);
    }
  }
}
