/** OCI and OpenTofu media types (OCI image-spec v1.1, OpenTofu RFC 20241206). */
export const MediaType = {
  /** An OCI image manifest: a module, a provider platform, or a referrer. */
  imageManifest: "application/vnd.oci.image.manifest.v1+json",
  /** An OCI image index: a provider version, one entry per platform. */
  imageIndex: "application/vnd.oci.image.index.v1+json",
  /** A Docker image manifest: read and copied, never written. */
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  /** A Docker manifest list: read and copied, never written. */
  dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  /** The empty config blob `{}` of artifacts (image-spec guidelines). */
  empty: "application/vnd.oci.empty.v1+json",
  /** The layer media type of a module zip and a provider release zip, as OpenTofu requires. */
  zip: "archive/zip",
  /** An SPDX JSON SBOM, attached as a referrer. */
  spdxJson: "application/spdx+json",
  /** A CycloneDX JSON SBOM, attached as a referrer (also its artifactType). */
  cyclonedxJson: "application/vnd.cyclonedx+json",
} as const;

/** The `artifactType` values OpenTofu looks for. */
export const ArtifactType = {
  /** A module package manifest (docs/contract/provider-protocol.md). */
  module: "application/vnd.opentofu.modulepkg",
  /** A provider version's index. */
  provider: "application/vnd.opentofu.provider",
  /** An index entry naming one platform's manifest; OpenTofu ignores entries of other types. */
  providerTarget: "application/vnd.opentofu.provider-target",
  /** A provider platform manifest's zip layer (with its `platform`). */
  providerPackage: "application/vnd.opentofu.providerpkg",
} as const;

/** The OCI annotation keys tofu-oci writes. */
export const Annotation = {
  /** The file name of a layer. */
  title: "org.opencontainers.image.title",
  /** When the artifact was made (RFC 3339), only when given (SOURCE_DATE_EPOCH). */
  created: "org.opencontainers.image.created",
  /** The tag of a manifest in an OCI image layout's `index.json`. */
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
