import { pipeline } from "node:stream";
import {
  ProgressStream,
  Semaphore,
  isMounter,
  isTofuOciError,
  type Content,
  type Descriptor,
  type EncodedManifest,
  type ResumableContent,
  type Target,
} from "@tofu-oci/core";

/** A blob as progress hooks see it. */
export interface BlobEvent {
  digest: string;
  size: number;
  /** A name for people: the file name, or "config". */
  title: string;
}

/** How a blob reached the destination. */
export type BlobOutcome = "uploaded" | "exists" | "mounted";

/** Progress hooks; libraries never draw, commands turn these into progress bars. */
export interface TransferHooks {
  onStart?(blob: BlobEvent): void;
  /** Bytes of this blob read and sent so far. */
  onProgress?(blob: BlobEvent, bytes: number): void;
  onDone?(blob: BlobEvent, outcome: BlobOutcome): void;
}

/** What one push transferred. */
export interface TransferStats {
  blobsUploaded: number;
  blobsSkipped: number;
  blobsMounted: number;
  manifestsPushed: number;
  /** Bytes of blobs and manifests sent. */
  bytesUploaded: number;
}

export interface UploaderOptions {
  /** Blob uploads at once. Default 4. */
  concurrency?: number;
  /** Repositories of the same registry to mount missing blobs from before uploading them. */
  mountFrom?: readonly string[];
  hooks?: TransferHooks;
  signal?: AbortSignal;
}

/** A blob to upload: its descriptor, a title, and content (bytes or a replayable stream factory). */
export interface BlobUpload {
  descriptor: Descriptor;
  title: string;
  content: (onProgress: (bytes: number) => void) => Content;
}

/**
 * Moves content into a target the way a careful client does: blobs the target has are skipped
 * (HEAD), missing blobs are mounted from `mountFrom` repositories when the registry allows it,
 * the rest are streamed, at most `concurrency` at once; manifests go only after their blobs, and
 * a tag is written only when it does not already name the manifest.
 */
export class Uploader {
  readonly stats: TransferStats = { blobsUploaded: 0, blobsSkipped: 0, blobsMounted: 0, manifestsPushed: 0, bytesUploaded: 0 };
  readonly #target: Target;
  readonly #options: UploaderOptions;
  readonly #slots: Semaphore;
  readonly #blobs = new Map<string, Promise<void>>();

  constructor(target: Target, options: UploaderOptions = {}) {
    this.#target = target;
    this.#options = options;
    this.#slots = new Semaphore(options.concurrency ?? 4);
  }

  /** Uploads blobs concurrently (each digest once); resolves when all are in the target. */
  async blobs(uploads: readonly BlobUpload[]): Promise<void> {
    await Promise.all(uploads.map((upload) => this.#blobOnce(upload)));
  }

  /**
   * Stores a manifest whose blobs are already in the target, and points `tags` at it. Nothing
   * is sent when the manifest exists and every tag already names it.
   */
  async manifest(encoded: EncodedManifest, tags: readonly string[] = []): Promise<void> {
    const { descriptor, bytes } = encoded;
    const stale = [];
    for (const tag of tags) if ((await this.currentDigest(tag)) !== descriptor.digest) stale.push(tag);
    const signal = this.#options.signal;
    if (stale.length === 0 && !(await this.#target.exists(descriptor, { signal }))) {
      await this.#target.push(descriptor, bytes, { signal });
      this.#countManifest(bytes.length);
    }
    for (const tag of stale) {
      await this.#target.push(descriptor, bytes, { signal, tag });
      this.#countManifest(bytes.length);
    }
  }

  /** The digest a tag names now, or undefined when the tag does not exist. */
  async currentDigest(tag: string): Promise<string | undefined> {
    try {
      return (await this.#target.resolve(tag, { signal: this.#options.signal })).digest;
    } catch (error) {
      if (isTofuOciError(error) && error.code === "not-found") return undefined;
      throw error;
    }
  }

  #blobOnce(upload: BlobUpload): Promise<void> {
    let pending = this.#blobs.get(upload.descriptor.digest);
    if (!pending) {
      pending = this.#slots.run(() => this.#blob(upload));
      this.#blobs.set(upload.descriptor.digest, pending);
    }
    return pending;
  }

  async #blob({ descriptor, title, content }: BlobUpload): Promise<void> {
    const { hooks, signal } = this.#options;
    const event: BlobEvent = { digest: descriptor.digest, size: descriptor.size, title };
    hooks?.onStart?.(event);
    let outcome: BlobOutcome;
    if (await this.#target.exists(descriptor, { signal })) {
      outcome = "exists";
      this.stats.blobsSkipped++;
    } else if (await this.#mount(descriptor)) {
      outcome = "mounted";
      this.stats.blobsMounted++;
    } else {
      const source = content((bytes) => hooks?.onProgress?.(event, bytes));
      let read = 0;
      const counted = countingReads(source, (bytes) => (read += bytes));
      await this.#target.push(descriptor, counted ?? source, { signal });
      outcome = "uploaded";
      this.stats.blobsUploaded++;
      // A resumed upload sends only what the registry lacks; a retried chunk is sent twice.
      this.stats.bytesUploaded += counted ? read : descriptor.size;
    }
    hooks?.onDone?.(event, outcome);
  }

  async #mount(descriptor: Descriptor): Promise<boolean> {
    const target = this.#target;
    if (!isMounter(target)) return false;
    for (const from of this.#options.mountFrom ?? []) {
      if (from === target.repository) continue;
      const mounted = await target.mount(descriptor, from, { signal: this.#options.signal }).catch((error: unknown) => {
        // No pull access to the source repository just means an ordinary upload.
        if (isTofuOciError(error) && (error.code === "unauthorized" || error.code === "not-found")) return false;
        throw error;
      });
      if (mounted) return true;
    }
    return false;
  }

  #countManifest(size: number): void {
    this.stats.manifestsPushed++;
    this.stats.bytesUploaded += size;
  }
}

/** Resumable content (a file) whose reads report their size: the bytes an upload really sent. */
function countingReads(content: Content, onRead: (bytes: number) => void): ResumableContent | undefined {
  const openRange = (content as Partial<ResumableContent>).openRange;
  if (typeof openRange !== "function") return undefined;
  return {
    openRange: async (start, end) => {
      let seen = 0;
      const counter = new ProgressStream((total) => {
        onRead(total - seen);
        seen = total;
      });
      return pipeline(await openRange.call(content, start, end), counter, () => {});
    },
  };
}
