/** OCI and OpenTofu media types (OCI image-spec v1.1, OpenTofu RFC 20241206). */
export const MediaType = {
  imageManifest: "application/vnd.oci.image.manifest.v1+json",
  imageIndex: "application/vnd.oci.image.index.v1+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  empty: "application/vnd.oci.empty.v1+json",
  zip: "archive/zip",
  spdxJson: "application/spdx+json",
  cyclonedxJson: "application/vnd.cyclonedx+json",
} as const;

/** The `artifactType` values OpenTofu looks for. */
export const ArtifactType = {
  module: "application/vnd.opentofu.modulepkg",
  provider: "application/vnd.opentofu.provider",
  providerTarget: "application/vnd.opentofu.provider-target",
  providerPackage: "application/vnd.opentofu.providerpkg",
} as const;

/** The OCI annotation keys tofu-oci writes. */
export const Annotation = {
  title: "org.opencontainers.image.title",
  created: "org.opencontainers.image.created",
  refName: "org.opencontainers.image.ref.name",
} as const;

const MANIFEST_TYPES: ReadonlySet<string> = new Set([
  MediaType.imageManifest,
  MediaType.imageIndex,
  MediaType.dockerManifest,
  MediaType.dockerManifestList,
]);

/** True for media types stored under `/manifests/` rather than `/blobs/`. */
export function isManifestMediaType(mediaType: string): boolean {
  return MANIFEST_TYPES.has(mediaType);
}

/** True for the OCI image index and Docker manifest list media types. */
export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === MediaType.imageIndex || mediaType === MediaType.dockerManifestList;
}

/** The Accept header value for manifest requests. */
export const MANIFEST_ACCEPT = [...MANIFEST_TYPES].join(", ");

/** OpenTofu's manifest size limit and the OCI distribution spec's recommended push limit: 4 MiB. */
export const MANIFEST_SIZE_LIMIT = 4 * 1024 * 1024;
