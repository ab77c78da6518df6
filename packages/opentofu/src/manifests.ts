import {
  Annotation,
  ArtifactType,
  MediaType,
  buildImageIndex,
  buildImageManifest,
  invalidInput,
  type Descriptor,
  type EncodedManifest,
  type ImageIndex,
  type ImageManifest,
  type Platform,
} from "@tofu-oci/core";

/** What a module package manifest holds: its zip layer and optional annotations. */
export interface ModuleManifestOptions {
  /** The zip layer's digest and size. */
  layer: { digest: string; size: number };
  /** The zip's file name, stored as `org.opencontainers.image.title` on the layer. */
  title?: string;
  /** Manifest annotations; `org.opencontainers.image.created` only when given. */
  annotations?: Record<string, string>;
}

/**
 * The module package manifest OpenTofu's `oci` module source installs
 * (internal/getmodules/oci_getter.go:326 fetchOCIImageManifest, :410 selectOCILayerBlob):
 * artifactType `application/vnd.opentofu.modulepkg`, the empty config and one `archive/zip` layer.
 */
export function buildModuleManifest(options: ModuleManifestOptions): EncodedManifest<ImageManifest> {
  const layer: Descriptor = { mediaType: MediaType.zip, digest: options.layer.digest, size: options.layer.size };
  return zipArtifactManifest(ArtifactType.module, layer, options);
}

/**
 * The manifest annotation tofu-oci records the package's `h1:` hash in, so a complete lock file
 * needs no download (`tofu-oci deps lock`). Not an OpenTofu rule: OpenTofu computes `h1:` only
 * from a package it downloaded, since a manifest is no trustworthy source of it
 * (rfc/20241206-oci-registries/9-provider-implementation-details.md:58); no annotation for it
 * exists in OpenTofu or the OCI conventions. Readers check it against the content whenever they
 * download the zip.
 */
export const PROVIDER_H1_ANNOTATION = "dev.tofu-oci.provider.h1";

/** What a provider platform manifest holds: the release zip layer and its platform. */
export interface ProviderManifestOptions {
  /** The release zip layer's digest and size. */
  layer: { digest: string; size: number };
  /** The platform of the zip, OCI style (`architecture`, not `arch`). */
  platform: { os: string; architecture: string };
  /** The zip's file name, stored as `org.opencontainers.image.title` on the layer. */
  title?: string;
  /** The package's `h1:` (the hash of its unpacked files), recorded as {@link PROVIDER_H1_ANNOTATION}. */
  h1?: string;
  /** Manifest annotations; `org.opencontainers.image.created` only when given. */
  annotations?: Record<string, string>;
}

/**
 * One platform's provider manifest (internal/getproviders/oci_registry_mirror_source.go:596
 * fetchOCIImageManifest, :718 selectOCILayerBlob): artifactType
 * `application/vnd.opentofu.provider-target` and one `archive/zip` layer, the release zip byte for
 * byte, marked `application/vnd.opentofu.providerpkg` with its platform
 * (package_location_oci_blob_archive.go:287 checkOCIBlobDescriptor).
 */
export function buildProviderManifest(options: ProviderManifestOptions): EncodedManifest<ImageManifest> {
  const layer: Descriptor = {
    mediaType: MediaType.zip,
    artifactType: ArtifactType.providerPackage,
    digest: options.layer.digest,
    size: options.layer.size,
    platform: { os: options.platform.os, architecture: options.platform.architecture },
  };
  const annotations = options.h1
    ? { [PROVIDER_H1_ANNOTATION]: options.h1, ...options.annotations }
    : options.annotations;
  return zipArtifactManifest(ArtifactType.providerTarget, layer, {
    ...options,
    ...(annotations ? { annotations } : {}),
  });
}

/** An image manifest with the empty config and one zip layer (titled when `title` is given). */
function zipArtifactManifest(
  artifactType: string,
  layer: Descriptor,
  options: { title?: string; annotations?: Record<string, string> },
): EncodedManifest<ImageManifest> {
  if (options.title) layer.annotations = { [Annotation.title]: options.title };
  return buildImageManifest({
    artifactType,
    layers: [layer],
    ...(options.annotations ? { annotations: options.annotations } : {}),
  });
}

/** What a provider version index holds: one manifest per platform. */
export interface ProviderIndexOptions {
  /** One per platform, as returned by {@link buildProviderManifest}. */
  manifests: ReadonlyArray<EncodedManifest<ImageManifest>>;
  /** Index annotations; `org.opencontainers.image.created` only when given. */
  annotations?: Record<string, string>;
}

/**
 * A provider version's index (oci_registry_mirror_source.go:544 fetchOCIIndexManifest, :648
 * selectOCIImageManifest): artifactType `application/vnd.opentofu.provider`, one
 * `provider-target` entry per platform with `platform {os, architecture}`, sorted by os then
 * architecture so the same platforms always give the same digest.
 * @throws TofuOciError "invalid-input" for a manifest without a platform or a platform given twice.
 */
export function buildProviderIndex(options: ProviderIndexOptions): EncodedManifest<ImageIndex> {
  const entries = options.manifests.map(({ descriptor, manifest }) => {
    const platform = manifest.layers[0]?.platform;
    if (!platform) throw invalidInput("a provider manifest has no platform");
    return {
      mediaType: descriptor.mediaType,
      artifactType: ArtifactType.providerTarget,
      digest: descriptor.digest,
      size: descriptor.size,
      platform: { os: platform.os, architecture: platform.architecture },
    } satisfies Descriptor;
  });
  entries.sort((a, b) => comparePlatforms(a.platform, b.platform));
  assertUniquePlatforms(entries.map((entry) => entry.platform));
  return buildImageIndex({
    artifactType: ArtifactType.provider,
    manifests: entries,
    ...(options.annotations ? { annotations: options.annotations } : {}),
  });
}

function comparePlatforms(a: Platform, b: Platform): number {
  return `${a.os}_${a.architecture}` < `${b.os}_${b.architecture}` ? -1 : 1;
}

function assertUniquePlatforms(platforms: Platform[]): void {
  const seen = new Set<string>();
  for (const { os, architecture } of platforms) {
    const key = `${os}_${architecture}`;
    if (seen.has(key)) throw invalidInput(`platform ${key} appears twice in the provider index`);
    seen.add(key);
  }
}

/** OpenTofu's manifest limit, in MiB, compared after integer division (ociImageManifestSizeLimitMiB). */
const SIZE_LIMIT_MIB = 4;

/**
 * True when OpenTofu refuses a manifest of this size: `(size / 1024 / 1024) > 4` in Go's integer
 * arithmetic, so up to 5 MiB - 1 byte passes (internal/getmodules/oci_getter.go:379 and
 * internal/getproviders/oci_registry_mirror_source.go:749 fetchOCIManifestBlob).
 */
export function manifestTooLarge(size: number): boolean {
  return Math.floor(Math.floor(size / 1024) / 1024) > SIZE_LIMIT_MIB;
}
