import {
  ArtifactType,
  Annotation,
  CONFIG_BLOB,
  MediaType,
  buildImageIndex,
  buildImageManifest,
  fileBlob,
  type Descriptor,
  type EncodedManifest,
  type ImageIndex,
  type ImageManifest,
  type LocalFile,
  type LocalGraph,
  type Platform,
} from "../../src/index.js";

// Core cannot depend on @tofu-oci/opentofu (which builds the real OpenTofu manifests on top of
// core), so its tests build artifacts of the same shape from core's generic builders.

/** A manifest with the empty config and one zip layer, optionally for one platform. */
export function zipManifest(
  layer: { digest: string; size: number },
  options: { platform?: Platform; title?: string } = {},
): EncodedManifest<ImageManifest> {
  const descriptor: Descriptor = { mediaType: MediaType.zip, digest: layer.digest, size: layer.size };
  if (options.platform) descriptor.platform = options.platform;
  if (options.title) descriptor.annotations = { [Annotation.title]: options.title };
  const artifactType = options.platform ? ArtifactType.providerTarget : ArtifactType.module;
  return buildImageManifest({ artifactType, layers: [descriptor] });
}

/** An index of platform manifests made by {@link zipManifest}. */
export function platformIndex(manifests: ReadonlyArray<EncodedManifest<ImageManifest>>): EncodedManifest<ImageIndex> {
  const entries = manifests.map(({ descriptor, manifest }) => ({
    ...descriptor,
    platform: manifest.layers[0]!.platform!,
  }));
  return buildImageIndex({ artifactType: ArtifactType.provider, manifests: entries });
}

/** A module-shaped local graph of a zip on disk: the empty config, the zip, a {@link zipManifest}. */
export function zipGraph(zip: LocalFile): LocalGraph & { root: EncodedManifest<ImageManifest> } {
  return { blobs: [CONFIG_BLOB, fileBlob(zip)], manifests: [], root: zipManifest(zip) };
}

/** A provider-shaped local graph: one {@link zipManifest} per platform and a {@link platformIndex} over them. */
export function platformGraph(platforms: ReadonlyArray<{ os: string; arch: string; zip: LocalFile }>) {
  const manifests = platforms.map(({ os, arch, zip }) => zipManifest(zip, { platform: { os, architecture: arch } }));
  const root = platformIndex(manifests);
  return { blobs: [CONFIG_BLOB, ...platforms.map(({ zip }) => fileBlob(zip))], manifests, root } satisfies LocalGraph;
}
