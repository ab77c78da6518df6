import { Semaphore } from "./concurrency.js";
import { fetchManifest } from "./content.js";
import { isManifestMediaType } from "./media-types.js";
import { successors, type Descriptor } from "./manifest.js";
import { isTofuOciError } from "./errors.js";
import { isMounter, type OperationOptions, type PushOptions, type ReadOnlyTarget, type Target } from "./target.js";

const TRANSFER_ATTEMPTS = 3;

export interface CopyOptions extends OperationOptions {
  /** Blob transfers at once. Default 4. */
  concurrency?: number;
  /** Also copy referrers (SBOMs, signatures) of every manifest copied, recursively. Default false. */
  referrers?: boolean;
  /** Called after content was transferred. */
  onCopied?: (descriptor: Descriptor) => void;
  /** Called for content the destination already had. */
  onSkipped?: (descriptor: Descriptor) => void;
  /** Called when the destination registry mounted a blob from the source repository. */
  onMounted?: (descriptor: Descriptor, fromRepository: string) => void;
  /** Bytes of one blob sent so far. */
  onProgress?: (descriptor: Descriptor, bytes: number) => void;
  /** With `referrers`: called with what the source lists as referring to `subject`, before copying it. */
  onReferrers?: (subject: Descriptor, referrers: readonly Descriptor[]) => void;
}

/** What `copy` transferred and skipped. */
export interface CopyResult {
  /** The root manifest, identical at source and destination. */
  descriptor: Descriptor;
  /** Blobs and manifests transferred. */
  copied: number;
  /** Bytes of blobs and manifests transferred. */
  bytesCopied: number;
  skipped: number;
  mounted: number;
}

/**
 * Copies the manifest `srcRef` names and everything it references from `src` to `dst`, then
 * tags it with `tags`. Bytes are never re-serialized, so digests stay the same. Content the
 * destination has is skipped; children go before the manifests that reference them.
 */
export async function copy(
  src: ReadOnlyTarget,
  srcRef: string,
  dst: Target,
  tags: readonly string[],
  options: CopyOptions = {},
): Promise<CopyResult> {
  const root = await src.resolve(srcRef, options);
  const result = await copyGraph(src, dst, root, options);
  for (const tag of tags) await dst.tag(root, tag, options);
  return result;
}

/** Copies `root` and all it references (and with `referrers`, what refers to it), untagged. */
export async function copyGraph(src: ReadOnlyTarget, dst: Target, root: Descriptor, options: CopyOptions = {}): Promise<CopyResult> {
  const copier = new GraphCopier(src, dst, options);
  await copier.node(root);
  return { descriptor: root, ...copier.stats };
}

class GraphCopier {
  readonly stats = { copied: 0, bytesCopied: 0, skipped: 0, mounted: 0 };
  readonly #done = new Map<string, Promise<void>>();
  readonly #transfers: Semaphore;

  constructor(
    readonly src: ReadOnlyTarget,
    readonly dst: Target,
    readonly options: CopyOptions,
  ) {
    this.#transfers = new Semaphore(options.concurrency ?? 4);
  }

  /** Each digest is copied once, however many manifests reference it. */
  node(descriptor: Descriptor): Promise<void> {
    let pending = this.#done.get(descriptor.digest);
    if (!pending) {
      pending = isManifestMediaType(descriptor.mediaType) ? this.#manifest(descriptor) : this.#blob(descriptor);
      this.#done.set(descriptor.digest, pending);
    }
    return pending;
  }

  async #manifest(descriptor: Descriptor): Promise<void> {
    const { signal } = this.options;
    if (await this.dst.exists(descriptor, { signal })) {
      this.#skipped(descriptor);
    } else {
      const { manifest, bytes } = await fetchManifest(this.src, descriptor, { signal });
      await Promise.all(successors(manifest).map((child) => this.node(child)));
      await this.dst.push(descriptor, bytes, { signal });
      this.#copied(descriptor);
    }
    if (this.options.referrers) await this.#referrersOf(descriptor);
  }

  async #referrersOf(subject: Descriptor): Promise<void> {
    const referrers = await this.src.referrers(subject, { signal: this.options.signal });
    this.options.onReferrers?.(subject, referrers);
    await Promise.all(referrers.map((referrer) => this.node(referrer)));
  }

  async #blob(descriptor: Descriptor): Promise<void> {
    const { signal, onProgress } = this.options;
    await this.#transfers.run(async () => {
      if (await this.dst.exists(descriptor, { signal })) return this.#skipped(descriptor);
      if (await this.#mounted(descriptor)) return;
      await this.#transfer(descriptor, {
        signal,
        ...(onProgress ? { onProgress: (bytes: number) => onProgress(descriptor, bytes) } : {}),
      });
      this.#copied(descriptor);
    });
  }

  /**
   * Streams one blob from source to destination. Damaged or cut-off content (a flaky link, a
   * proxy that corrupts bytes) is fetched again; the destination never keeps unverified bytes.
   */
  async #transfer(descriptor: Descriptor, options: PushOptions): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dst.push(descriptor, () => this.src.fetch(descriptor, { signal: options.signal }), options);
      } catch (error) {
        const retryable = isTofuOciError(error) && (error.code === "verification-failed" || error.code === "network");
        if (!retryable || attempt >= TRANSFER_ATTEMPTS || options.signal?.aborted) throw error;
      }
    }
  }

  async #mounted(descriptor: Descriptor): Promise<boolean> {
    const { src, dst } = this;
    if (!isMounter(src) || !isMounter(dst)) return false;
    if (src.registry !== dst.registry || src.repository === dst.repository) return false;
    if (!(await dst.mount(descriptor, src.repository, { signal: this.options.signal }))) return false;
    this.stats.mounted++;
    this.options.onMounted?.(descriptor, src.repository);
    return true;
  }

  #copied(descriptor: Descriptor): void {
    this.stats.copied++;
    this.stats.bytesCopied += descriptor.size;
    this.options.onCopied?.(descriptor);
  }

  #skipped(descriptor: Descriptor): void {
    this.stats.skipped++;
    this.options.onSkipped?.(descriptor);
  }
}
