import { copy, type CopyOptions, type CopyResult } from "./copy.js";
import { EMPTY_CONFIG, EMPTY_CONFIG_BYTES, type Descriptor, type EncodedManifest } from "./manifest.js";
import { MediaType } from "./media-types.js";
import { MemoryTarget } from "./memory/memory-target.js";
import { fileContent, type ResumableContent, type Target } from "./target.js";

/** A local file whose digest and size are known (a pack record's zip, an SBOM). */
export interface LocalFile {
  /** Absolute path. */
  file: string;
  /** The file's SHA-256, `sha256:<hex>`. */
  digest: string;
  /** The file's size in bytes. */
  size: number;
}

/** One blob of a graph built locally: its descriptor and its bytes or file. */
export interface StagedBlob {
  /** The blob's descriptor as the manifests reference it. */
  descriptor: Descriptor;
  /** The bytes, or a file that can be read again from any offset (resumable uploads). */
  content: Uint8Array | ResumableContent;
}

/**
 * An artifact that exists only on this machine so far: blobs (bytes, or files streamed when
 * read), the manifests children first, and the root manifest last of all.
 */
export interface LocalGraph {
  /** Every blob the manifests reference (layers and configs), pushed before any manifest. */
  blobs: readonly StagedBlob[];
  /** Manifests the root references (a provider's platform manifests), children first. */
  manifests: readonly EncodedManifest[];
  /** The manifest that gets the tag: a module's image manifest or a provider's index. */
  root: EncodedManifest;
}

/** The empty config blob `{}` every tofu-oci manifest references. */
export const CONFIG_BLOB: StagedBlob = Object.freeze({
  descriptor: { mediaType: EMPTY_CONFIG.mediaType, digest: EMPTY_CONFIG.digest, size: EMPTY_CONFIG.size },
  content: EMPTY_CONFIG_BYTES,
});

/** A local file as a blob of `mediaType` (default `archive/zip`), streamed from disk when read. */
export function fileBlob(file: LocalFile, mediaType: string = MediaType.zip): StagedBlob {
  return { descriptor: { mediaType, digest: file.digest, size: file.size }, content: fileContent(file.file) };
}

/**
 * Stores a local graph in a memory target without reading its files (they are read, and
 * verified, only when the graph is copied from it).
 */
export async function stageGraph(
  graph: LocalGraph,
  store: MemoryTarget = new MemoryTarget("staged"),
): Promise<MemoryTarget> {
  for (const { descriptor, content } of graph.blobs) {
    if (content instanceof Uint8Array) await store.push(descriptor, content);
    else store.stageBlob(descriptor, content);
  }
  for (const { descriptor, bytes } of [...graph.manifests, graph.root]) await store.push(descriptor, bytes);
  return store;
}

/**
 * Pushes a local graph to `dst` the oras-go way: build it in a store, then {@link copy} it, with
 * `tags` pointed at the root. Blobs the destination has are skipped, files are streamed (and
 * their uploads resume after an interruption), the root goes last.
 */
export async function pushGraph(
  dst: Target,
  graph: LocalGraph,
  tags: readonly string[] = [],
  options: CopyOptions = {},
): Promise<CopyResult> {
  return copy(await stageGraph(graph), graph.root.descriptor, dst, tags, options);
}
