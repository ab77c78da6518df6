import { basename } from "node:path";
import { CONFIG_BLOB, fileBlob, type LocalFile, type LocalGraph } from "./local-graph.js";
import {
  EMPTY_CONFIG,
  buildModuleManifest,
  buildProviderIndex,
  buildProviderManifest,
  encodeManifest,
  plainDescriptor,
  type Descriptor,
  type EncodedManifest,
  type ImageIndex,
  type ImageManifest,
} from "./manifest.js";
import { Annotation, MediaType } from "./media-types.js";

/** One platform's release zip of a provider version. */
export interface ProviderPlatformFile {
  os: string;
  arch: string;
  zip: LocalFile;
}

/** A provider version's graph: the platform manifests in the input's order, and the index. */
export interface ProviderGraph extends LocalGraph {
  manifests: EncodedManifest<ImageManifest>[];
  root: EncodedManifest<ImageIndex>;
}

/** A module package's graph (design.md §3): the empty config, the zip titled with its file name, the manifest. */
export function moduleGraph(zip: LocalFile, options: { annotations?: Record<string, string> } = {}): LocalGraph & { root: EncodedManifest<ImageManifest> } {
  const root = buildModuleManifest({ layer: zip, title: basename(zip.file), ...(options.annotations ? { annotations: options.annotations } : {}) });
  return { blobs: [CONFIG_BLOB, fileBlob(zip)], manifests: [], root };
}

/**
 * A provider version's graph (design.md §3): each release zip byte for byte as the layer of its
 * platform's manifest, and the index over them.
 */
export function providerGraph(platforms: readonly ProviderPlatformFile[], options: { annotations?: Record<string, string> } = {}): ProviderGraph {
  const manifests = platforms.map(({ os, arch, zip }) =>
    buildProviderManifest({ layer: zip, platform: { os, architecture: arch }, title: basename(zip.file) }),
  );
  const root = buildProviderIndex({ manifests, ...(options.annotations ? { annotations: options.annotations } : {}) });
  return { blobs: [CONFIG_BLOB, ...platforms.map(({ zip }) => fileBlob(zip))], manifests, root };
}

/** A file to attach as a referrer: its layer media type and the referrer's artifact type. */
export interface Attachment extends LocalFile {
  mediaType: string;
  artifactType: string;
}

/**
 * A referrer manifest as ORAS attach writes it: `artifactType`, the empty config, the file as the
 * one layer (titled with its file name) and `subject` pointing at the artifact it describes.
 */
export function buildReferrerManifest(subject: Descriptor, attachment: Attachment, annotations: Record<string, string> = {}): EncodedManifest<ImageManifest> {
  const layer: Descriptor = {
    mediaType: attachment.mediaType,
    digest: attachment.digest,
    size: attachment.size,
    annotations: { [Annotation.title]: basename(attachment.file) },
  };
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.imageManifest,
    artifactType: attachment.artifactType,
    config: { ...EMPTY_CONFIG },
    layers: [layer],
    subject: plainDescriptor(subject),
  };
  const keys = Object.keys(annotations).sort();
  if (keys.length > 0) manifest.annotations = Object.fromEntries(keys.map((key) => [key, annotations[key]!]));
  return encodeManifest(manifest);
}

/** The graph of a file attached to `subject` (ORAS attach); the subject itself is not part of it. */
export function referrerGraph(subject: Descriptor, attachment: Attachment, annotations?: Record<string, string>): LocalGraph & { root: EncodedManifest<ImageManifest> } {
  return { blobs: [CONFIG_BLOB, fileBlob(attachment, attachment.mediaType)], manifests: [], root: buildReferrerManifest(subject, attachment, annotations) };
}
