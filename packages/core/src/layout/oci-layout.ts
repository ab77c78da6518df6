import { access, mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { addAbortSignal, type Readable } from "node:stream";
import { withFileLock, writeFileAtomic, writeStreamAtomic } from "../atomic-file.js";
import { readAll } from "../content.js";
import { checkedDigest, digestHex, ensureVerified, verifiedStream, verifyBytes } from "../digest.js";
import { TofuOciError, invalidInput } from "../errors.js";
import { assertSuccessorsExist, describeManifest, selectReferrers } from "../graph.js";
import { parseManifest, type Descriptor, type ImageIndex } from "../manifest.js";
import { Annotation, MANIFEST_SIZE_LIMIT, MediaType, isManifestMediaType } from "../media-types.js";
import { ProgressStream } from "../progress-stream.js";
import { assertTag, isValidDigest } from "../reference.js";
import {
  openContent,
  type Content,
  type OperationOptions,
  type PushOptions,
  type ReferrersOptions,
  type Target,
} from "../target.js";
import { openLayoutFile } from "./blob-file.js";

const LAYOUT_FILE = "oci-layout";
const INDEX_FILE = "index.json";

/**
 * The largest index.json a layout may have: it is read whole, so a hostile 300 MB one would take
 * gigabytes of memory. Four times the manifest limit, about 60 000 tags.
 */
export const LAYOUT_INDEX_SIZE_LIMIT = 4 * MANIFEST_SIZE_LIMIT;

/** How an OCI layout is opened. */
export interface OciLayoutOptions {
  /** Create the directory and its layout files when missing. Default false. */
  create?: boolean;
}

/**
 * A directory in the OCI image-layout format (image-spec image-layout.md). Tags are index.json
 * entries annotated with `org.opencontainers.image.ref.name`, as ORAS and skopeo write them.
 * Every write is a temp file renamed into place, and index.json changes happen under a lock
 * file, so two processes can write the same layout.
 */
export class OciLayout implements Target {
  readonly name: string;
  /** The layout directory, an absolute path. */
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
    this.name = root;
  }

  /** Opens the OCI image layout at `path`: `not-found` without its `oci-layout` file, unless `create` makes one. */
  static async open(path: string, options: OciLayoutOptions = {}): Promise<OciLayout> {
    const layout = new OciLayout(resolve(path));
    if (options.create) await layout.#initialize();
    else await layout.#assertIsLayout(path);
    return layout;
  }

  async fetch(descriptor: Descriptor, options: OperationOptions = {}): Promise<Readable> {
    const handle = await openLayoutFile(this.#blobPath(descriptor), `blob ${descriptor.digest} in ${this.name}`);
    if (!handle) throw notFound(this.name, descriptor.digest);
    const stream = handle.createReadStream(options.signal ? { signal: options.signal } : {});
    return verifiedStream(stream, descriptor, `${descriptor.digest} in ${this.name}`);
  }

  async exists(descriptor: Descriptor): Promise<boolean> {
    return fileExists(this.#blobPath(descriptor));
  }

  async push(descriptor: Descriptor, content: Content, options: PushOptions = {}): Promise<void> {
    if (isManifestMediaType(descriptor.mediaType)) await this.#pushManifest(descriptor, content, options);
    else if (!(await this.exists(descriptor))) {
      const progress = options.onProgress ? [new ProgressStream(options.onProgress)] : [];
      const source = ensureVerified(await openContent(content), descriptor);
      // Cancelling stops a big write at once and removes its temp file.
      if (options.signal) addAbortSignal(options.signal, source);
      await writeStreamAtomic(this.#blobPath(descriptor), source, ...progress);
    }
    options.signal?.throwIfAborted();
    if (options.tag) await this.tag(descriptor, options.tag);
  }

  async #pushManifest(descriptor: Descriptor, content: Content, options: OperationOptions): Promise<void> {
    const bytes = await readAll(await openContent(content), MANIFEST_SIZE_LIMIT, `manifest ${descriptor.digest}`);
    verifyBytes(bytes, descriptor);
    const manifest = parseManifest(bytes, descriptor.mediaType);
    await assertSuccessorsExist(this, manifest, options);
    if (!(await this.exists(descriptor))) await writeFileAtomic(this.#blobPath(descriptor), bytes);
    // Referrers are listed in index.json untagged, so they can be found again.
    if (manifest.subject) {
      const entry = describeManifest(bytes, descriptor.digest);
      delete entry.annotations;
      await this.#updateIndex((entries) =>
        entries.some((e) => e.digest === entry.digest) ? entries : [...entries, entry],
      );
    }
  }

  async resolve(reference: string): Promise<Descriptor> {
    if (isValidDigest(reference)) {
      const bytes = await this.#readBlob(reference);
      if (!bytes) throw notFound(this.name, reference);
      return describeManifest(bytes, reference);
    }
    const entry = (await this.#readIndex()).manifests.find((e) => e.annotations?.[Annotation.refName] === reference);
    if (!entry) throw notFound(this.name, reference);
    return withoutRefName(entry);
  }

  async tag(descriptor: Descriptor, tag: string): Promise<void> {
    assertTag(tag);
    const stored = await this.resolve(descriptor.digest);
    const entry: Descriptor = { ...stored, annotations: { [Annotation.refName]: tag } };
    await this.#updateIndex((entries) => [
      ...entries.filter((e) => e.annotations?.[Annotation.refName] !== tag),
      entry,
    ]);
  }

  async *tags(): AsyncIterable<string> {
    const names = (await this.#readIndex()).manifests.map((e) => e.annotations?.[Annotation.refName]);
    yield* names.filter((name): name is string => name !== undefined).sort();
  }

  async referrers(subject: Descriptor, options: ReferrersOptions = {}): Promise<Descriptor[]> {
    const digests = new Set((await this.#readIndex()).manifests.map((e) => e.digest));
    const stored = await Promise.all(
      [...digests].map(async (digest) => {
        const bytes = await this.#readBlob(digest);
        if (!bytes) throw notFound(this.name, digest);
        return { digest, bytes };
      }),
    );
    return selectReferrers(stored, subject, options.artifactType);
  }

  /** A manifest-sized blob's bytes, or undefined when it is missing. */
  async #readBlob(digest: string): Promise<Buffer | undefined> {
    const handle = await openLayoutFile(this.#blobPath({ digest }), `blob ${digest} in ${this.name}`);
    if (!handle) return undefined;
    return readAll(handle.createReadStream(), MANIFEST_SIZE_LIMIT, `${digest} in ${this.name}`);
  }

  /** Where a blob lives; its digest is checked first, so the path never leaves blobs/sha256. */
  #blobPath(descriptor: { digest: string }): string {
    return join(this.root, "blobs", "sha256", digestHex(checkedDigest(descriptor, this.name)));
  }

  async #initialize(): Promise<void> {
    await mkdir(join(this.root, "blobs", "sha256"), { recursive: true });
    if (!(await fileExists(join(this.root, LAYOUT_FILE)))) {
      await writeFileAtomic(join(this.root, LAYOUT_FILE), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
    }
    if (!(await fileExists(join(this.root, INDEX_FILE)))) await this.#updateIndex((entries) => entries);
  }

  async #assertIsLayout(path: string): Promise<void> {
    if (!(await fileExists(join(this.root, LAYOUT_FILE)))) {
      throw new TofuOciError("not-found", `${path} is not an OCI image layout (no ${LAYOUT_FILE} file)`, {
        hint: "Check the path, or push to it first to create the layout.",
      });
    }
  }

  async #readIndex(): Promise<ImageIndex> {
    const path = join(this.root, INDEX_FILE);
    const handle = await openLayoutFile(path, path);
    if (!handle) return emptyIndex([]);
    const size = (await handle.stat()).size;
    if (size > LAYOUT_INDEX_SIZE_LIMIT) {
      await handle.close();
      throw invalidInput(
        `${path} is ${size} bytes, over the ${LAYOUT_INDEX_SIZE_LIMIT}-byte limit of a layout index`,
        "Split the layout: one layout per repository, as mirror and push write them.",
      );
    }
    const bytes = await readAll(handle.createReadStream(), LAYOUT_INDEX_SIZE_LIMIT, path);
    try {
      const index = parseManifest(bytes, MediaType.imageIndex);
      if (!("manifests" in index)) throw new Error("not an index");
      return index;
    } catch (error) {
      throw invalidInput(
        `${join(this.root, INDEX_FILE)} is not a valid OCI index`,
        "Repair or remove the file.",
        error,
      );
    }
  }

  async #updateIndex(change: (entries: Descriptor[]) => Descriptor[]): Promise<void> {
    const indexPath = join(this.root, INDEX_FILE);
    await withFileLock(`${indexPath}.lock`, async () => {
      const entries = change((await this.#readIndex()).manifests);
      await writeFileAtomic(indexPath, JSON.stringify(emptyIndex(entries)));
    });
  }
}

function emptyIndex(manifests: Descriptor[]): ImageIndex {
  return { schemaVersion: 2, mediaType: MediaType.imageIndex, manifests };
}

function withoutRefName(entry: Descriptor): Descriptor {
  const { annotations, ...rest } = entry;
  const others = Object.entries(annotations ?? {}).filter(([key]) => key !== Annotation.refName);
  return others.length > 0 ? { ...rest, annotations: Object.fromEntries(others) } : rest;
}

async function fileExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function notFound(name: string, reference: string): TofuOciError {
  return new TofuOciError("not-found", `${reference} not found in the OCI layout ${name}`);
}
