import { sha256Digest, type Digest } from "./digest.js";
import { invalidInput } from "./errors.js";
import { MediaType, isIndexMediaType, isManifestMediaType } from "./media-types.js";

/** The platform of an index entry (image-spec image-index.md). */
export interface Platform {
  /** The operating system, GOOS style: `linux`, `darwin`, `windows`... */
  os: string;
  /** The CPU architecture, GOARCH style: `amd64`, `arm64`... */
  architecture: string;
  /** The CPU variant, e.g. `v7` for `arm`. */
  variant?: string;
  /** The OS version, e.g. a Windows build; OpenTofu ignores it. */
  "os.version"?: string;
}

/** An OCI content descriptor (image-spec descriptor.md). */
export interface Descriptor {
  /** The media type of the content it points to. */
  mediaType: string;
  /** The content's digest, `sha256:<hex>`. */
  digest: string;
  /** The content's size in bytes. */
  size: number;
  /** The artifact type of the manifest it points to (in index entries and referrer lists). */
  artifactType?: string;
  /** The platform of the manifest it points to (in an index). */
  platform?: Platform;
  /** Annotations, e.g. `org.opencontainers.image.title` (a layer's file name). */
  annotations?: Record<string, string>;
  /** The content itself, base64, when embedded (the empty config). */
  data?: string;
  /** Other places to fetch the content from; tofu-oci never follows them. */
  urls?: string[];
}

/** An OCI image manifest (image-spec manifest.md), e.g. a module package. */
export interface ImageManifest {
  /** Always 2. */
  schemaVersion: 2;
  /** E.g. `application/vnd.oci.image.manifest.v1+json`; parsing takes the registry's when the JSON has none. */
  mediaType: string;
  /** What the artifact is, e.g. `application/vnd.opentofu.modulepkg`. */
  artifactType?: string;
  /** The config blob: for OpenTofu artifacts the empty JSON object. */
  config: Descriptor;
  /** The content: one zip for a module or provider platform, a document for a referrer. */
  layers: Descriptor[];
  /** The manifest this one refers to (SBOMs and signatures). */
  subject?: Descriptor;
  /** Manifest annotations, e.g. `org.opencontainers.image.created`. */
  annotations?: Record<string, string>;
}

/** An OCI image index (image-spec image-index.md), e.g. a provider version. */
export interface ImageIndex {
  /** Always 2. */
  schemaVersion: 2;
  /** E.g. `application/vnd.oci.image.index.v1+json`; parsing takes the registry's when the JSON has none. */
  mediaType: string;
  /** What the artifact is, e.g. `application/vnd.opentofu.provider`. */
  artifactType?: string;
  /** One descriptor per platform manifest, with `platform` set. */
  manifests: Descriptor[];
  /** The manifest this index refers to, if it is a referrer. */
  subject?: Descriptor;
  /** Index annotations, e.g. `org.opencontainers.image.created`. */
  annotations?: Record<string, string>;
}

/** An image manifest or an image index. */
export type Manifest = ImageManifest | ImageIndex;

/** A manifest together with its exact bytes and its descriptor. */
export interface EncodedManifest<M extends Manifest = Manifest> {
  /** The manifest as parsed (or as built). */
  manifest: M;
  /** The exact bytes, which the digest is of. */
  bytes: Uint8Array;
  /** The manifest's descriptor: media type, digest and size of `bytes`. */
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

/** What {@link buildImageManifest} puts in an image manifest. */
export interface ImageManifestOptions {
  /** The manifest's `artifactType`. Default: none. */
  artifactType?: string;
  /** Default: the empty config, {@link EMPTY_CONFIG}. */
  config?: Descriptor;
  /** The layers, in order. */
  layers: Descriptor[];
  /** Makes the manifest a referrer of this one. */
  subject?: Descriptor;
  /** Written sorted by key; none when empty. */
  annotations?: Record<string, string>;
}

/**
 * An OCI image manifest in canonical form (oras-go's PackManifest): fields in a fixed order,
 * annotations sorted, so the same options always give the same bytes and digest.
 */
export function buildImageManifest(options: ImageManifestOptions): EncodedManifest<ImageManifest> {
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.imageManifest,
    ...(options.artifactType ? { artifactType: options.artifactType } : {}),
    config: options.config ?? { ...EMPTY_CONFIG },
    layers: options.layers,
    ...(options.subject ? { subject: options.subject } : {}),
  };
  return encodeManifest(withAnnotations(manifest, options.annotations));
}

/** What {@link buildImageIndex} puts in an image index. */
export interface ImageIndexOptions {
  /** The index's `artifactType`. Default: none. */
  artifactType?: string;
  /** The entries, in order. */
  manifests: Descriptor[];
  /** Makes the index a referrer of this one. */
  subject?: Descriptor;
  /** Written sorted by key; none when empty. */
  annotations?: Record<string, string>;
}

/** An OCI image index in canonical form, as {@link buildImageManifest} for manifests. */
export function buildImageIndex(options: ImageIndexOptions): EncodedManifest<ImageIndex> {
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MediaType.imageIndex,
    ...(options.artifactType ? { artifactType: options.artifactType } : {}),
    manifests: options.manifests,
    ...(options.subject ? { subject: options.subject } : {}),
  };
  return encodeManifest(withAnnotations(index, options.annotations));
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
  if (value.subject !== undefined && !isDescriptor(value.subject))
    throw invalidInput("the manifest subject is not a descriptor");
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
