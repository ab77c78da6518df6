import { Readable } from "node:stream";
import { readAll } from "../content.js";
import { ensureVerified, verifiedStream } from "../digest.js";
import { TofuOciError } from "../errors.js";
import { assertSuccessorsExist, describeManifest, selectReferrers } from "../graph.js";
import { parseManifest, type Descriptor } from "../manifest.js";
import { isManifestMediaType } from "../media-types.js";
import { assertTag, isValidDigest } from "../reference.js";
import {
  openContent,
  type Content,
  type OperationOptions,
  type PushOptions,
  type RangeFetcher,
  type ReferrersOptions,
  type ResumableContent,
  type Target,
} from "../target.js";

/** A blob held as bytes, or kept by reference to content that can be read again (a file). */
type Stored = Buffer | ResumableContent;

/**
 * A target held in memory: for unit tests, dry runs, and for building a graph before copying it
 * (push stages its artifacts here, see {@link MemoryTarget.stageBlob}).
 */
export class MemoryTarget implements Target, RangeFetcher {
  readonly name: string;
  readonly #blobs = new Map<string, Stored>();
  readonly #manifests = new Map<string, Descriptor>();
  readonly #tags = new Map<string, Descriptor>();

  constructor(name = "memory") {
    this.name = name;
  }

  async fetch(descriptor: Descriptor): Promise<Readable> {
    return verifiedStream(await this.#open(descriptor, 0), descriptor);
  }

  async fetchRange(descriptor: Descriptor, start: number, end?: number): Promise<Readable> {
    return this.#open(descriptor, start, end);
  }

  async exists(descriptor: Descriptor): Promise<boolean> {
    return this.#blobs.has(descriptor.digest);
  }

  /**
   * Keeps a blob by reference to content that can be read again (`fileContent(path)`), without
   * reading it: a layer never sits in memory. Every read streams it afresh and verifies size and
   * digest, so a file that changed after staging fails the read.
   */
  stageBlob(descriptor: Descriptor, content: ResumableContent): void {
    if (isManifestMediaType(descriptor.mediaType))
      throw new TofuOciError("invalid-input", `cannot stage manifest ${descriptor.digest} by reference`);
    this.#blobs.set(descriptor.digest, content);
  }

  async push(descriptor: Descriptor, content: Content, options: PushOptions = {}): Promise<void> {
    const manifest = isManifestMediaType(descriptor.mediaType);
    const verified = ensureVerified(await openContent(content), descriptor);
    const bytes = await readAll(verified, descriptor.size);
    if (manifest) {
      await assertSuccessorsExist(this, parseManifest(bytes, descriptor.mediaType), options);
      this.#manifests.set(descriptor.digest, describeManifest(bytes, descriptor.digest, descriptor.mediaType));
    }
    this.#blobs.set(descriptor.digest, bytes);
    if (options.tag) await this.tag(descriptor, options.tag);
  }

  async resolve(reference: string): Promise<Descriptor> {
    const descriptor = isValidDigest(reference) ? this.#manifests.get(reference) : this.#tags.get(reference);
    if (!descriptor) throw notFound(this.name, reference);
    return descriptor;
  }

  async tag(descriptor: Descriptor, tag: string): Promise<void> {
    assertTag(tag);
    const stored = this.#manifests.get(descriptor.digest);
    if (!stored) throw notFound(this.name, descriptor.digest);
    this.#tags.set(tag, stored);
  }

  async *tags(): AsyncIterable<string> {
    yield* [...this.#tags.keys()].sort();
  }

  async referrers(subject: Descriptor, options: ReferrersOptions = {}): Promise<Descriptor[]> {
    const stored = [...this.#manifests.keys()].map((digest) => ({ digest, bytes: this.#blobs.get(digest) as Buffer }));
    return selectReferrers(stored, subject, options.artifactType);
  }

  /** Removes a blob; tests use it to build broken graphs. */
  delete(digest: string, _options?: OperationOptions): void {
    this.#blobs.delete(digest);
    this.#manifests.delete(digest);
  }

  async #open(descriptor: Descriptor, start: number, end?: number): Promise<Readable> {
    const stored = this.#blobs.get(descriptor.digest);
    if (!stored) throw notFound(this.name, descriptor.digest);
    if (!Buffer.isBuffer(stored)) return stored.openRange(start, end);
    return Readable.from([stored.subarray(start, end === undefined ? undefined : end + 1)]);
  }
}

function notFound(name: string, reference: string): TofuOciError {
  return new TofuOciError("not-found", `${reference} not found in ${name}`);
}
