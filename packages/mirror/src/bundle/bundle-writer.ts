import { createWriteStream, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import tar from "tar-stream";
import {
  Annotation,
  DigestMeter,
  DigestVerifier,
  MediaType,
  ProgressStream,
  TofuOciError,
  isManifestMediaType,
  openContent,
  parseManifest,
  readAll,
  tempPathFor,
  type Content,
  type DigestedContent,
  type Descriptor,
  type ImageIndex,
  type PushOptions,
  type ReferrersOptions,
  type Target,
} from "@tofu-oci/core";
import { FULL_NAME_ANNOTATION, INDEX_FILE, LAYOUT_FILE, LAYOUT_VERSION, blobPath } from "./layout-names.js";

/** A fixed time for every tar entry, so the tar depends only on its content and order. */
const ENTRY_TIME = new Date(0);

/** Names an artifact in the bundle's index.json. */
export interface BundleName {
  /** Written as `org.opencontainers.image.ref.name`. */
  tag?: string | undefined;
  /** `HOST/REPO:TAG` or `HOST/REPO@DIGEST`, written as `io.containerd.image.name`. */
  fullName?: string;
}

/**
 * A write-only target that streams what is pushed into a tar of an OCI image layout:
 * `oci-layout` first, each blob once as `blobs/sha256/<hex>`, `index.json` last. Blobs are
 * piped from the source into the tar, verified on the way, never held in memory. The tar is
 * written to a temp file and renamed into place by {@link finish}.
 */
export class BundleWriter implements Target {
  readonly name: string;
  readonly #path: string;
  readonly #temp: string;
  readonly #pack = tar.pack();
  readonly #meter = new DigestMeter();
  readonly #written: Promise<void>;
  readonly #file: WriteStream;
  readonly #stored = new Set<string>();
  readonly #manifests = new Map<string, { descriptor: Descriptor; bytes: Buffer }>();
  readonly #entries: Descriptor[] = [];
  #queue: Promise<void> = Promise.resolve();
  #blobCount = 0;

  private constructor(path: string) {
    this.name = path;
    this.#path = path;
    this.#temp = tempPathFor(path);
    this.#file = createWriteStream(this.#temp);
    this.#written = pipeline(this.#pack, this.#meter, this.#file);
    this.#written.catch(() => {});
  }

  /** Starts a bundle at `path` (a temp file beside it until {@link finish}). */
  static async create(path: string): Promise<BundleWriter> {
    const writer = new BundleWriter(path);
    await writer.#entry(LAYOUT_FILE, Buffer.from(JSON.stringify(LAYOUT_VERSION)));
    return writer;
  }

  /** Blobs and manifests written so far. */
  get blobs(): number {
    return this.#blobCount;
  }

  async push(descriptor: Descriptor, content: Content, options: PushOptions = {}): Promise<void> {
    if (isManifestMediaType(descriptor.mediaType)) await this.#pushManifest(descriptor, content);
    else await this.#pushBlob(descriptor, content, options);
    if (options.tag) await this.tag(descriptor, options.tag);
  }

  async exists(descriptor: Descriptor): Promise<boolean> {
    return this.#stored.has(descriptor.digest);
  }

  async tag(descriptor: Descriptor, tag: string): Promise<void> {
    this.nameArtifact(descriptor, { tag });
  }

  /** Lists a stored manifest in index.json under a tag and a full name. */
  nameArtifact(descriptor: Descriptor, name: BundleName): void {
    const annotations: Record<string, string> = {};
    if (name.fullName) annotations[FULL_NAME_ANNOTATION] = name.fullName;
    if (name.tag) annotations[Annotation.refName] = name.tag;
    this.#entries.push({
      mediaType: descriptor.mediaType,
      digest: descriptor.digest,
      size: descriptor.size,
      ...artifactTypeOf(descriptor),
      annotations,
    });
  }

  async resolve(reference: string): Promise<Descriptor> {
    const stored =
      this.#manifests.get(reference) ??
      this.#manifests.get(this.#entries.find((e) => e.annotations?.[Annotation.refName] === reference)?.digest ?? "");
    if (!stored) throw new TofuOciError("not-found", `${reference} is not in the bundle being written`);
    return stored.descriptor;
  }

  async fetch(descriptor: Descriptor): Promise<Readable> {
    const stored = this.#manifests.get(descriptor.digest);
    if (!stored) throw new TofuOciError("not-found", `${descriptor.digest}: a bundle being written cannot be read`);
    return Readable.from([stored.bytes]);
  }

  async *tags(): AsyncIterable<string> {
    for (const entry of this.#entries) {
      const tag = entry.annotations?.[Annotation.refName];
      if (tag) yield tag;
    }
  }

  async referrers(subject: Descriptor, options: ReferrersOptions = {}): Promise<Descriptor[]> {
    return [...this.#manifests.values()]
      .filter(({ bytes }) => parseManifest(bytes).subject?.digest === subject.digest)
      .map(({ descriptor }) => descriptor)
      .filter((descriptor) => !options.artifactType || descriptor.artifactType === options.artifactType);
  }

  /** Writes index.json, closes the tar and renames it into place. Returns the tar's digest and size. */
  async finish(): Promise<DigestedContent> {
    const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.imageIndex, manifests: this.#entries };
    await this.#entry(INDEX_FILE, Buffer.from(JSON.stringify(index)));
    this.#pack.finalize();
    await this.#written;
    await rename(this.#temp, this.#path);
    return this.#meter.result();
  }

  /** Stops writing and removes the temp file; `path` is left as it was. */
  async abort(): Promise<void> {
    this.#pack.destroy();
    await this.#written.catch(() => {});
    // The pipeline fails at once, but the file may still be opening: it exists once that is done.
    if (!this.#file.closed) await new Promise<void>((resolve) => this.#file.once("close", () => resolve()));
    await rm(this.#temp, { force: true });
  }

  async #pushManifest(descriptor: Descriptor, content: Content): Promise<void> {
    const bytes = await readAll(await openContent(content), descriptor.size, `manifest ${descriptor.digest}`);
    const manifest = parseManifest(bytes, descriptor.mediaType);
    await this.#blob(descriptor, async () => [bytes]);
    this.#manifests.set(descriptor.digest, { descriptor: { ...descriptor, ...artifactTypeOf(manifest) }, bytes });
    // Referrers are listed untagged so that import finds them, as core's OciLayout does.
    if (manifest.subject)
      this.#entries.push({
        mediaType: descriptor.mediaType,
        digest: descriptor.digest,
        size: descriptor.size,
        ...artifactTypeOf(manifest),
      });
  }

  async #pushBlob(descriptor: Descriptor, content: Content, options: PushOptions): Promise<void> {
    await this.#blob(descriptor, async () => {
      const stream = await openContent(content);
      const { onProgress } = options;
      return onProgress ? stream.pipe(new ProgressStream(onProgress)) : stream;
    });
  }

  /** Writes a blob once; entries go into the tar one at a time, in the order pushes arrive. */
  async #blob(descriptor: Descriptor, open: () => Promise<Iterable<Buffer> | Readable>): Promise<void> {
    await this.#serially(async () => {
      if (this.#stored.has(descriptor.digest)) return;
      const entry = this.#pack.entry({
        name: blobPath(descriptor.digest),
        size: descriptor.size,
        mode: 0o644,
        mtime: ENTRY_TIME,
      });
      await pipeline(await open(), new DigestVerifier(descriptor), entry);
      this.#stored.add(descriptor.digest);
      this.#blobCount++;
    });
  }

  async #entry(name: string, bytes: Buffer): Promise<void> {
    await this.#serially(
      () =>
        new Promise<void>((resolve, reject) => {
          this.#pack.entry({ name, size: bytes.length, mode: 0o644, mtime: ENTRY_TIME }, bytes, (error) =>
            error ? reject(error) : resolve(),
          );
        }),
    );
  }

  #serially(work: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => {});
    return run;
  }
}

function artifactTypeOf(value: { artifactType?: string | undefined }): { artifactType?: string } {
  return value.artifactType ? { artifactType: value.artifactType } : {};
}
