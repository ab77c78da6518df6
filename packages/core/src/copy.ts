import type { Readable } from "node:stream";
import { Semaphore, settleAll } from "./concurrency.js";
import { fetchManifest } from "./content.js";
import { observeVerified } from "./digest.js";
import { isTofuOciError } from "./errors.js";
import { successors, type Descriptor } from "./manifest.js";
import { isManifestMediaType } from "./media-types.js";
import { ProgressStream } from "./progress-stream.js";
import {
  isMounter,
  isRangeFetcher,
  type Content,
  type OperationOptions,
  type ReadOnlyTarget,
  type Target,
} from "./target.js";
import { NO_TRANSFER, type TransferCounts, type TransferHooks } from "./transfer.js";

const TRANSFER_ATTEMPTS = 3;

/** Options of {@link copy} and {@link copyGraph}; every field is optional. */
export interface CopyOptions extends OperationOptions, TransferHooks {
  /** Blob transfers at once. Default 4. */
  concurrency?: number;
  /** Also copy referrers (SBOMs, signatures) of every manifest copied, recursively. Default false. */
  referrers?: boolean;
  /**
   * Repositories of the destination's registry to mount a missing blob from before uploading it
   * (the registry answers whether it could). A source repository on the destination's registry
   * is tried too. A repository the credentials cannot read just means an upload. Default: none.
   */
  mountFrom?: readonly string[];
  /** With `referrers`: called with what the source lists as referring to `subject`, before copying it. */
  onReferrers?: (subject: Descriptor, referrers: readonly Descriptor[]) => void;
}

/** What a copy transferred and skipped, and the root it copied. */
export interface CopyResult extends TransferCounts {
  /** The root manifest, identical at source and destination. */
  descriptor: Descriptor;
}

/**
 * Copies the manifest `srcRef` names (a tag, a digest or its descriptor) and everything it
 * references from `src` to `dst`, then points `tags` at it: the one engine behind push and mirror
 * (oras-go's `Copy`). Bytes are never re-serialized, so digests stay the same. Blobs go first,
 * each once, at most `concurrency` at a time; a manifest goes only after all it references; a
 * manifest the destination has is not walked. A tag that already names the manifest is left
 * alone; the first moved tag is set by the manifest upload itself.
 */
export async function copy(
  src: ReadOnlyTarget,
  srcRef: string | Descriptor,
  dst: Target,
  tags: readonly string[] = [],
  options: CopyOptions = {},
): Promise<CopyResult> {
  const signal = { signal: options.signal };
  const root = typeof srcRef === "string" ? await src.resolve(srcRef, signal) : srcRef;
  const stale: string[] = [];
  for (const tag of new Set(tags)) if ((await resolveIfExists(dst, tag, signal))?.digest !== root.digest) stale.push(tag);
  const copier = new GraphCopier(src, dst, options, { digest: root.digest, tag: stale[0] });
  await copier.node(root);
  for (const tag of stale.slice(copier.rootTagged ? 1 : 0)) await copier.tagRoot(root, tag);
  return { descriptor: root, ...copier.counts };
}

/** Copies `root` and all it references (and with `referrers`, what refers to it), untagged. */
export async function copyGraph(src: ReadOnlyTarget, dst: Target, root: Descriptor, options: CopyOptions = {}): Promise<CopyResult> {
  const copier = new GraphCopier(src, dst, options);
  await copier.node(root);
  return { descriptor: root, ...copier.counts };
}

/** The descriptor a tag or digest names in `target`, or undefined when it names nothing. */
export async function resolveIfExists(target: ReadOnlyTarget, reference: string, options: OperationOptions = {}): Promise<Descriptor | undefined> {
  try {
    return await target.resolve(reference, options);
  } catch (error) {
    if (isTofuOciError(error) && error.code === "not-found") return undefined;
    throw error;
  }
}

/** The root of a tagged copy: its first moved tag rides on the manifest upload. */
interface RootTag {
  digest: string;
  tag: string | undefined;
}

class GraphCopier {
  readonly counts: TransferCounts = { ...NO_TRANSFER };
  /** True when the root manifest was uploaded with the first tag. */
  rootTagged = false;
  readonly #done = new Map<string, Promise<void>>();
  readonly #transfers: Semaphore;
  readonly #mountFrom: string[];
  /** Manifest bytes fetched from the source, kept for the root's further tags. */
  #rootBytes: Uint8Array | undefined;

  constructor(
    readonly src: ReadOnlyTarget,
    readonly dst: Target,
    readonly options: CopyOptions,
    readonly root?: RootTag,
  ) {
    this.#transfers = new Semaphore(options.concurrency ?? 4);
    this.#mountFrom = mountSources(src, dst, options.mountFrom ?? []);
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

  /** Points another tag at the root by sending its manifest again under that tag. */
  async tagRoot(root: Descriptor, tag: string): Promise<void> {
    const { signal } = this.options;
    this.#rootBytes ??= (await fetchManifest(this.src, root, { signal })).bytes;
    this.options.onStart?.(root);
    await this.dst.push(root, this.#rootBytes, { signal, tag });
    this.#manifestCopied(root);
  }

  async #manifest(descriptor: Descriptor): Promise<void> {
    const { signal } = this.options;
    if (await this.dst.exists(descriptor, { signal })) {
      this.counts.manifestsSkipped++;
      this.options.onSkipped?.(descriptor);
    } else {
      const { manifest, bytes } = await fetchManifest(this.src, descriptor, { signal });
      await settleAll(successors(manifest).map((child) => this.node(child)));
      const isRoot = this.root?.digest === descriptor.digest;
      if (isRoot) this.#rootBytes = bytes;
      const tag = isRoot ? this.root?.tag : undefined;
      this.options.onStart?.(descriptor);
      await this.dst.push(descriptor, bytes, { signal, ...(tag ? { tag } : {}) });
      if (tag) this.rootTagged = true;
      this.#manifestCopied(descriptor);
    }
    if (this.options.referrers) await this.#referrersOf(descriptor);
  }

  async #referrersOf(subject: Descriptor): Promise<void> {
    const referrers = await this.src.referrers(subject, { signal: this.options.signal });
    this.options.onReferrers?.(subject, referrers);
    await settleAll(referrers.map((referrer) => this.node(referrer)));
  }

  async #blob(descriptor: Descriptor): Promise<void> {
    await this.#transfers.run(async () => {
      if (await this.dst.exists(descriptor, { signal: this.options.signal })) {
        this.counts.blobsSkipped++;
        this.options.onSkipped?.(descriptor);
      } else if (!(await this.#mounted(descriptor))) {
        this.options.onStart?.(descriptor);
        const sent = await this.#transfer(descriptor);
        this.counts.blobsCopied++;
        this.counts.bytesCopied += sent;
        this.options.onCopied?.(descriptor);
      }
    });
  }

  /**
   * Streams one blob from source to destination and returns the bytes read for it. Damaged or
   * cut-off content (a flaky link, a proxy that corrupts bytes) is fetched again; the destination
   * never keeps unverified bytes.
   */
  async #transfer(descriptor: Descriptor): Promise<number> {
    const { signal } = this.options;
    let sent = 0;
    const content = this.#content(descriptor, (bytes) => (sent += bytes));
    for (let attempt = 1; ; attempt++) {
      try {
        await this.dst.push(descriptor, content, { signal });
        return sent;
      } catch (error) {
        const retryable = isTofuOciError(error) && (error.code === "verification-failed" || error.code === "network");
        if (!retryable || attempt >= TRANSFER_ATTEMPTS || signal?.aborted) throw error;
      }
    }
  }

  /**
   * The blob as the destination reads it: resumable when the source can read parts (so an
   * interrupted upload continues mid-blob), else a fresh stream per attempt. Every read reports
   * progress and its size; a whole read keeps the source's verification, so the destination does
   * not hash it again.
   */
  #content(descriptor: Descriptor, onRead: (bytes: number) => void): Content {
    const { src, options } = this;
    const { signal } = options;
    const open = async (start: number, end?: number): Promise<Readable> => {
      const whole = start === 0 && end === undefined;
      const stream = whole || !isRangeFetcher(src) ? await src.fetch(descriptor, { signal }) : await src.fetchRange(descriptor, start, end, { signal });
      let seen = 0;
      return observeVerified(
        stream,
        new ProgressStream((total) => {
          onRead(total - seen);
          seen = total;
          options.onProgress?.(descriptor, start + total);
        }),
      );
    };
    return isRangeFetcher(src) ? { openRange: open } : () => open(0);
  }

  async #mounted(descriptor: Descriptor): Promise<boolean> {
    const { dst } = this;
    if (!isMounter(dst)) return false;
    for (const from of this.#mountFrom) {
      const mounted = await dst.mount(descriptor, from, { signal: this.options.signal }).catch((error: unknown) => {
        // No pull access to the other repository, or no such repository: an ordinary upload.
        if (isTofuOciError(error) && (error.code === "unauthorized" || error.code === "not-found")) return false;
        throw error;
      });
      if (mounted) {
        this.counts.blobsMounted++;
        this.options.onMounted?.(descriptor, from);
        return true;
      }
    }
    return false;
  }

  #manifestCopied(descriptor: Descriptor): void {
    this.counts.manifestsCopied++;
    this.counts.bytesCopied += descriptor.size;
    this.options.onCopied?.(descriptor);
  }
}

/** The repositories to mount from: those asked for, then the source's when it shares the registry. */
function mountSources(src: ReadOnlyTarget, dst: Target, asked: readonly string[]): string[] {
  if (!isMounter(dst)) return [];
  const fromSource = isMounter(src) && src.registry === dst.registry ? [src.repository] : [];
  return [...new Set([...asked, ...fromSource])].filter((repository) => repository !== dst.repository);
}
