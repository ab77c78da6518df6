import { sha256Digest, type Digest } from "./digest.js";
import { invalidInput } from "./errors.js";
import { ArtifactType, Annotation, MediaType, isIndexMediaType, isManifestMediaType } from "./media-types.js";

/** The platform of an index entry (image-spec image-index.md). */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  "os.version"?: string;
}

/** An OCI content descriptor (image-spec descriptor.md). */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  platform?: Platform;
  annotations?: Record<string, string>;
  data?: string;
  urls?: string[];
}

/** An OCI image manifest (image-spec manifest.md), e.g. a module package. */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** An OCI image index (image-spec image-index.md), e.g. a provider version. */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** An image manifest or an image index. */
export type Manifest = ImageManifest | ImageIndex;

/** A manifest together with its exact bytes and its descriptor. */
export interface EncodedManifest<M extends Manifest = Manifest> {
  manifest: M;
  bytes: Uint8Array;
  descriptor: Descriptor;
}

/** The OCI empty descriptor: `{}`, embedded as data (image-spec guidelines for artifacts). */
export const EMPTY_CONFIG: Descriptor = Object.freeze({
  mediaType: MediaType.empty,
  digest: "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
  size: 2,
  data: "e30=",
});

/** The bytes of the empty config blob, `{}`. */
export const EMPTY_CONFIG_BYTES = new TextEncoder().encode("{}");

/**
 * Serializes a manifest to its canonical bytes. The objects the builders make have a fixed key
 * order, so the same input always gives the same bytes and digest.
 */
export function encodeManifest<M extends Manifest>(manifest: M): EncodedManifest<M> {
  const bytes = new TextEncoder().encode(JSON.stringify(manifest));
  const descriptor: Descriptor = { mediaType: manifest.mediaType, digest: sha256Digest(bytes), size: bytes.length };
  if (manifest.artifactType) descriptor.artifactType = manifest.artifactType;
  return { manifest, bytes, descriptor };
}

/** What a module package manifest holds: its zip layer and optional annotations. */
export interface ModuleManifestOptions {
  /** The zip layer's digest and size. */
  layer: { digest: string; size: number };
  /** The zip's file name, stored as `org.opencontainers.image.title` on the layer. */
  title?: string;
  /** Manifest annotations; `org.opencontainers.image.created` only when given. */
  annotations?: Record<string, string>;
}

/** The module package manifest of design.md §3. */
export function buildModuleManifest(options: ModuleManifestOptions): EncodedManifest<ImageManifest> {
  const layer: Descriptor = { mediaType: MediaType.zip, digest: options.layer.digest, size: options.layer.size };
  return zipArtifactManifest(ArtifactType.module, layer, options);
}

/** What a provider platform manifest holds: the release zip layer and its platform. */
export interface ProviderManifestOptions {
  layer: { digest: string; size: number };
  platform: { os: string; architecture: string };
  title?: string;
  annotations?: Record<string, string>;
}

/** One platform's provider manifest: its single layer is the release zip byte for byte. */
export function buildProviderManifest(options: ProviderManifestOptions): EncodedManifest<ImageManifest> {
  const layer: Descriptor = {
    mediaType: MediaType.zip,
    artifactType: ArtifactType.providerPackage,
    digest: options.layer.digest,
    size: options.layer.size,
    platform: { os: options.platform.os, architecture: options.platform.architecture },
  };
  return zipArtifactManifest(ArtifactType.providerTarget, layer, options);
}

/** An image manifest with the empty config and one zip layer (titled when `title` is given). */
function zipArtifactManifest(artifactType: string, layer: Descriptor, options: { title?: string; annotations?: Record<string, string> }): EncodedManifest<ImageManifest> {
  if (options.title) layer.annotations = { [Annotation.title]: options.title };
  const manifest: ImageManifest = { schemaVersion: 2, mediaType: MediaType.imageManifest, artifactType, config: { ...EMPTY_CONFIG }, layers: [layer] };
  return encodeManifest(withAnnotations(manifest, options.annotations));
}

/** What a provider version index holds: one manifest per platform. */
export interface ProviderIndexOptions {
  /** One per platform, as returned by {@link buildProviderManifest}. */
  manifests: ReadonlyArray<EncodedManifest<ImageManifest>>;
  annotations?: Record<string, string>;
}

/** A provider version's index, entries sorted by os then architecture. */
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
  return encodeManifest(
    withAnnotations<ImageIndex>(
      {
        schemaVersion: 2,
        mediaType: MediaType.imageIndex,
        artifactType: ArtifactType.provider,
        manifests: entries,
      },
      options.annotations,
    ),
  );
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

function withAnnotations<M extends Manifest>(manifest: M, annotations: Record<string, string> | undefined): M {
  if (!annotations || Object.keys(annotations).length === 0) return manifest;
  const sorted = Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { ...manifest, annotations: sorted };
}

/**
 * Parses manifest bytes, checking the shape enough to walk the graph safely.
 * @param mediaType the media type the registry reported, used when the JSON has none.
 */
export function parseManifest(bytes: Uint8Array, mediaType?: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw invalidInput("the manifest is not valid JSON", undefined, error);
  }
  if (!isObject(value)) throw invalidInput("the manifest is not a JSON object");
  const type = typeof value.mediaType === "string" ? value.mediaType : mediaType;
  if (!type || !isManifestMediaType(type)) throw invalidInput(`unsupported manifest media type "${type ?? "(none)"}"`);
  if (isIndexMediaType(type)) {
    if (!Array.isArray(value.manifests) || !value.manifests.every(isDescriptor)) {
      throw invalidInput("the index has no valid manifests list");
    }
  } else if (!isDescriptor(value.config) || !Array.isArray(value.layers) || !value.layers.every(isDescriptor)) {
    throw invalidInput("the manifest has no valid config and layers");
  }
  if (value.subject !== undefined && !isDescriptor(value.subject)) throw invalidInput("the manifest subject is not a descriptor");
  return { ...value, mediaType: type } as unknown as Manifest;
}

/** True when `manifest` is an image index. */
export function isIndex(manifest: Manifest): manifest is ImageIndex {
  return isIndexMediaType(manifest.mediaType);
}

/** What a manifest references and must exist before it: config and layers, or child manifests. */
export function successors(manifest: Manifest): Descriptor[] {
  return isIndex(manifest) ? manifest.manifests : [manifest.config, ...manifest.layers];
}

/** Strips a descriptor to the fields that identify content. */
export function plainDescriptor(descriptor: Descriptor): Descriptor {
  return { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size };
}

/** True when `value` has a descriptor's mediaType, digest and size. */
export function isDescriptor(value: unknown): value is Descriptor {
  return (
    isObject(value) &&
    typeof value.mediaType === "string" &&
    typeof value.digest === "string" &&
    /^sha256:[a-f0-9]{64}$/.test(value.digest) &&
    Number.isSafeInteger(value.size) &&
    (value.size as number) >= 0
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export type { Digest };
