import type { Descriptor } from "./manifest.js";

/**
 * What one transfer moved: the counter fields of every push and mirror record (docs/contract/design.md §2.2).
 * A blob or manifest the destination has is skipped, and a manifest found at the destination is
 * not walked, because a registry stores a manifest only once all it references is there.
 */
export interface TransferCounts {
  /** Blobs (layers, configs) sent. */
  blobsCopied: number;
  /** Blobs the destination already had. */
  blobsSkipped: number;
  /** Blobs the registry mounted from another of its repositories instead of an upload. */
  blobsMounted: number;
  /** Manifest uploads: each manifest stored, and each tag moved to the copied manifest. */
  manifestsCopied: number;
  /** Manifests the destination already had. */
  manifestsSkipped: number;
  /** Bytes sent: blob bytes read for uploads (a resumed upload counts what it sent) and manifest bytes. */
  bytesCopied: number;
}

/** Counts of a transfer that moved nothing. */
export const NO_TRANSFER: Readonly<TransferCounts> = Object.freeze({
  blobsCopied: 0,
  blobsSkipped: 0,
  blobsMounted: 0,
  manifestsCopied: 0,
  manifestsSkipped: 0,
  bytesCopied: 0,
});

/** The sum of two transfers' counts. */
export function addCounts(a: TransferCounts, b: TransferCounts): TransferCounts {
  return {
    blobsCopied: a.blobsCopied + b.blobsCopied,
    blobsSkipped: a.blobsSkipped + b.blobsSkipped,
    blobsMounted: a.blobsMounted + b.blobsMounted,
    manifestsCopied: a.manifestsCopied + b.manifestsCopied,
    manifestsSkipped: a.manifestsSkipped + b.manifestsSkipped,
    bytesCopied: a.bytesCopied + b.bytesCopied,
  };
}

/** Only the counter fields of `counts` (a copy result also carries its descriptor). */
export function countsOf(counts: TransferCounts): TransferCounts {
  return addCounts(NO_TRANSFER, counts);
}

/**
 * Progress of a transfer, reported by core's copy (oras-go's PreCopy, PostCopy, OnCopySkipped,
 * OnMounted). Libraries never draw; commands turn these into progress bars.
 */
export interface TransferHooks {
  /** A blob or manifest the destination lacks is about to be sent. */
  onStart?(descriptor: Descriptor): void;
  /** Bytes of one blob sent so far (counted from its first byte, also when an upload resumes). */
  onProgress?(descriptor: Descriptor, bytes: number): void;
  /** A blob or manifest was sent (a manifest also when it was sent again under a tag). */
  onCopied?(descriptor: Descriptor): void;
  /** The destination already had it. */
  onSkipped?(descriptor: Descriptor): void;
  /** The destination registry mounted the blob from `fromRepository` instead of an upload. */
  onMounted?(descriptor: Descriptor, fromRepository: string): void;
}

/**
 * Progress of downloads that are not content-addressed yet (a provider registry's release zips):
 * `id` names one download; the size may arrive with the response headers.
 */
export interface DownloadHooks {
  /** A download began; `total` is 0 while the size is unknown. */
  onDownloadStart?(id: string, label: string, total: number): void;
  /** Bytes so far, and the size once the server told it. */
  onDownloadProgress?(id: string, bytes: number, total?: number): void;
  /** The download ended (finished or failed). */
  onDownloadDone?(id: string): void;
}
