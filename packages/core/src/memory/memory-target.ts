import { Readable } from "node:stream";
import { readAll } from "../content.js";
import { ensureVerified, verifiedStream } from "../digest.js";
import { TofuOciError } from "../errors.js";
import { assertSuccessorsExist, describeManifest, selectReferrers } from "../graph.js";
import { parseManifest, type Descriptor } from "../manifest.js";
import { isManifestMediaType } from "../media-types.js";
import { assertTag, isValidDigest } from "../reference.js";
import { openContent, type Content, type OperationOptions, type PushOptions, type ReferrersOptions, type Target } from "../target.js";

/** A target held in memory, for unit tests and dry runs. */
export class MemoryTarget implements Target {
  readonly name: string;
  readonly #blobs = new Map<string, Buffer>();
  readonly #manifests = new Map<string, Descriptor>();
  readonly #tags = new Map<string, Descriptor>();

  constructor(name = "memory") {
    this.name = name;
  }

  async fetch(descriptor: Descriptor): Promise<Readable> {
    const bytes = this.#blobs.get(descriptor.digest);
    if (!bytes) throw notFound(this.name, descriptor.digest);
    return verifiedStream(Readable.from([bytes]), descriptor);
  }

  async exists(descriptor: Descriptor): Promise<boolean> {
    return this.#blobs.has(descriptor.digest);
  }

  async push(descriptor: Descriptor, content: Content, options: PushOptions = {}): Promise<void> {
    const verified = ensureVerified(await openContent(content), descriptor);
    const bytes = await readAll(verified, descriptor.size);
    if (isManifestMediaType(descriptor.mediaType)) {
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
    const stored = [...this.#manifests.keys()].map((digest) => ({ digest, bytes: this.#blobs.get(digest)! }));
    return selectReferrers(stored, subject, options.artifactType);
  }

  /** Removes a blob; tests use it to build broken graphs. */
  delete(digest: string, _options?: OperationOptions): void {
    this.#blobs.delete(digest);
    this.#manifests.delete(digest);
  }
}

function notFound(name: string, reference: string): TofuOciError {
  return new TofuOciError("not-found", `${reference} not found in ${name}`);
}
