import type { Readable } from "node:stream";
import { Semaphore } from "./concurrency.js";
import { fetchManifest } from "./content.js";
import { observeVerified } from "./digest.js";
import { TofuOciError, isTofuOciError } from "./errors.js";
import { successors, type Descriptor } from "./manifest.js";
import { isManifestMediaType } from "./media-types.js";
import { ProgressStream } from "./progress-stream.js";
import { currentBudget, withRetryScope } from "./retry-budget.js";
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
 * alone; the first moved tag is set by the manifest upload itself. The copy is one operation:
 * its requests share one retry budget and deadline (see RetryBudget), and after the first failure
 * nothing more is started.
 */
export function copy(
  src: ReadOnlyTarget,
  srcRef: string | Descriptor,
  dst: Target,
  tags: readonly string[] = [],
  options: CopyOptions = {},
): Promise<CopyResult> {
  return withRetryScope(async () => {
    const signal = { signal: options.signal };
    const root = typeof srcRef === "string" ? await src.resolve(srcRef, signal) : srcRef;
    // The tags are looked up while the graph is copied; only the root's upload waits for them.
    const stale = staleTags(dst, tags, root, options.signal);
    const rootTag = stale.then((found) => found[0]);
    rootTag.catch(() => {}); // awaited only when the root is uploaded; `stale` reports the failure
    const copier = new GraphCopier(src, dst, options, { digest: root.digest, tag: rootTag });
    try {
      await copier.node(root);
    } finally {
      await stale.catch(() => undefined);
    }
    for (const tag of (await stale).slice(copier.rootTagged ? 1 : 0)) await copier.tagRoot(root, tag);
    return { descriptor: root, ...copier.counts };
  });
}

/** The tags (in order, each once) that do not name `root` at `dst` yet, looked up at once. */
async function staleTags(
  dst: Target,
  tags: readonly string[],
  root: Descriptor,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const unique = [...new Set(tags)];
  const named = await Promise.all(unique.map(async (tag) => (await resolveIfExists(dst, tag, { signal }))?.digest));
  return unique.filter((_, i) => named[i] !== root.digest);
}

/** Copies `root` and all it references (and with `referrers`, what refers to it), untagged; one operation, as {@link copy}. */
export function copyGraph(
  src: ReadOnlyTarget,
  dst: Target,
  root: Descriptor,
  options: CopyOptions = {},
): Promise<CopyResult> {
  return withRetryScope(async () => {
    const copier = new GraphCopier(src, dst, options);
    await copier.node(root);
    return { descriptor: root, ...copier.counts };
  });
}

/**
 * Reads `tag` back after a push and throws unless it names `descriptor`. A registry without tag
 * immutability lets the last of two concurrent pushes win; the loser must not report a digest the
 * tag does not serve. It narrows the race to the moment between the two reads, no more.
 * @throws TofuOciError "verification-failed" (exit 1).
 */
export async function confirmTag(
  target: ReadOnlyTarget,
  tag: string,
  descriptor: Descriptor,
  options: OperationOptions = {},
): Promise<void> {
  const current = await resolveIfExists(target, tag, options);
  if (current?.digest === descriptor.digest) return;
  throw new TofuOciError(
    "verification-failed",
    `${target.name}:${tag} names ${current?.digest ?? "nothing"} right after ${descriptor.digest} was pushed under it: another push changed it at the same time`,
    {
      hint: "See which content the tag serves now (tofu-oci verify); only the registry's tag immutability keeps a version tag from concurrent pushes.",
      reference: `${target.name}:${tag}`,
    },
  );
}

/** The descriptor a tag or digest names in `target`, or undefined when it names nothing. */
export async function resolveIfExists(
  target: ReadOnlyTarget,
  reference: string,
  options: OperationOptions = {},
): Promise<Descriptor | undefined> {
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
  tag: Promise<string | undefined>;
}

class GraphCopier {
  readonly counts: TransferCounts = { ...NO_TRANSFER };
  /** True when the root manifest was uploaded with the first tag. */
  rootTagged = false;
  readonly #done = new Map<string, Promise<void>>();
  readonly #transfers: Semaphore;
  /** Bounds manifest reads, so a subject listing thousands of referrers does not fire them all at once. */
  readonly #manifestReads: Semaphore;
  /** The first failure: once set, no node starts work (a copy stops at its first error). */
  #failure: unknown;
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
    this.#manifestReads = new Semaphore(options.concurrency ?? 4);
    this.#mountFrom = mountSources(src, dst, options.mountFrom ?? []);
  }

  /** Each digest is copied once, however many manifests reference it. */
  node(descriptor: Descriptor): Promise<void> {
    let pending = this.#done.get(descriptor.digest);
    if (!pending) {
      const work = isManifestMediaType(descriptor.mediaType) ? this.#manifest(descriptor) : this.#blob(descriptor);
      pending = work.then(
        // A finished node is progress: the operation's retry budget starts afresh.
        () => currentBudget()?.progress(),
        (error: unknown) => {
          this.#failure ??= error;
          throw error;
        },
      );
      this.#done.set(descriptor.digest, pending);
    }
    return pending;
  }

  /** Throws the copy's first failure, so nothing new starts after it. */
  #stopIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
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
    const fetched = await this.#manifestReads.run(async () => {
      this.#stopIfFailed();
      return (await this.dst.exists(descriptor, { signal }))
        ? undefined
        : fetchManifest(this.src, descriptor, { signal });
    });
    if (!fetched) {
      this.counts.manifestsSkipped++;
      this.options.onSkipped?.(descriptor);
    } else {
      const { manifest, bytes } = fetched;
      await Promise.all(successors(manifest).map((child) => this.node(child)));
      const isRoot = this.root?.digest === descriptor.digest;
      if (isRoot) this.#rootBytes = bytes;
      const tag = isRoot ? await this.root?.tag : undefined;
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
    await Promise.all(referrers.map((referrer) => this.node(referrer)));
  }

  async #blob(descriptor: Descriptor): Promise<void> {
    await this.#transfers.run(async () => {
      this.#stopIfFailed();
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
    const { content, release } = this.#content(descriptor, (bytes) => (sent += bytes));
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.dst.push(descriptor, content, { signal });
          return sent;
        } catch (error) {
          const retryable = isTofuOciError(error) && (error.code === "verification-failed" || error.code === "network");
          if (!retryable || attempt >= TRANSFER_ATTEMPTS || signal?.aborted) throw error;
          // The transfer's own retries come from the operation's budget too, so layers do not
          // multiply (a network failure was counted where it happened, damaged content is counted here).
          const budget = currentBudget();
          if (budget && (error.code === "verification-failed" ? !budget.spend(error.message) : budget.exhausted))
            throw error;
        }
      }
    } finally {
      release();
    }
  }

  /**
   * The blob as the destination reads it: resumable when the source can read parts (so an
   * interrupted upload continues mid-blob), else a fresh stream per attempt, the first of which
   * is requested right away, while the destination starts its upload. Every read reports
   * progress and its size; a whole read keeps the source's verification, so the destination does
   * not hash it again. `release` closes a first stream the destination never took.
   */
  #content(descriptor: Descriptor, onRead: (bytes: number) => void): { content: Content; release: () => void } {
    const { src, options } = this;
    const { signal } = options;
    const open = async (start: number, end?: number): Promise<Readable> => {
      const whole = start === 0 && end === undefined;
      const stream =
        whole || !isRangeFetcher(src)
          ? await src.fetch(descriptor, { signal })
          : await src.fetchRange(descriptor, start, end, { signal });
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
    if (isRangeFetcher(src)) return { content: { openRange: open }, release: () => {} };
    let early: Promise<Readable> | undefined = open(0);
    early.catch(() => {}); // its failure reaches the destination when it takes the stream
    const take = () => {
      const first = early;
      early = undefined;
      return first;
    };
    return {
      content: () => take() ?? open(0),
      release: () =>
        void take()?.then(
          (stream) => stream.destroy(),
          () => {},
        ),
    };
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
