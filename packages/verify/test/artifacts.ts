import {
  ArtifactType,
  EMPTY_CONFIG,
  EMPTY_CONFIG_BYTES,
  MediaType,
  sha256Digest,
  type Descriptor,
  type Target,
} from "@tofu-oci/core";

/** A layer to put in a test manifest: its bytes and the descriptor fields to write. */
export interface LayerSpec {
  bytes: Buffer;
  mediaType?: string;
  artifactType?: string;
  platform?: { os: string; architecture: string };
}

export interface ModuleSpec {
  tag?: string;
  /** `null` leaves artifactType out. Default application/vnd.opentofu.modulepkg. */
  artifactType?: string | null;
  layers: LayerSpec[];
}

export interface PlatformSpec {
  os: string;
  arch: string;
  zip: Buffer;
  /** Platform written on the layer descriptor. Default: the platform itself; null: none. */
  layerPlatform?: { os: string; architecture: string } | null;
  /** The platform manifest's own artifactType. Default provider-target. */
  manifestArtifactType?: string | null;
  /** The index entry's artifactType. Default provider-target; null: none. */
  entryArtifactType?: string | null;
  /** Leave the platform off the index entry. */
  entryWithoutPlatform?: boolean;
  /** Declare this size in the index entry instead of the real one. */
  entrySize?: number;
  /** More layers in the platform manifest. */
  extraLayers?: LayerSpec[];
}

export interface ProviderSpec {
  tag: string;
  /** Default application/vnd.opentofu.provider; null leaves it out. */
  artifactType?: string | null;
  platforms: PlatformSpec[];
}

/**
 * Writes test artifacts into any target (a registry repository or an OCI layout), including
 * ones OpenTofu refuses: wrong or missing artifact types, extra layers, odd index entries.
 */
export class ArtifactWriter {
  readonly #target: Target;

  constructor(target: Target) {
    this.#target = target;
  }

  /** Stores a blob; returns its descriptor with the given media type. */
  async blob(bytes: Buffer, mediaType = "application/octet-stream"): Promise<Descriptor> {
    const descriptor = { mediaType, digest: sha256Digest(bytes), size: bytes.length };
    await this.#target.push(descriptor, bytes);
    return descriptor;
  }

  /** Stores manifest JSON as given (key order kept) and optionally tags it. */
  async manifest(json: object, options: { tag?: string; mediaType?: string } = {}): Promise<Descriptor> {
    const bytes = Buffer.from(JSON.stringify(json));
    const mediaType = options.mediaType ?? (json as { mediaType?: string }).mediaType ?? MediaType.imageManifest;
    const descriptor = { mediaType, digest: sha256Digest(bytes), size: bytes.length };
    await this.#target.push(descriptor, bytes, options.tag ? { tag: options.tag } : {});
    return descriptor;
  }

  async module(spec: ModuleSpec): Promise<Descriptor> {
    await this.config();
    const layers = await Promise.all(spec.layers.map((layer) => this.#layer(layer)));
    const artifactType = spec.artifactType === undefined ? ArtifactType.module : spec.artifactType;
    return this.manifest(imageManifest(artifactType, layers), spec.tag ? { tag: spec.tag } : {});
  }

  async provider(spec: ProviderSpec): Promise<Descriptor> {
    const entries: object[] = [];
    for (const platform of spec.platforms) entries.push(await this.#platform(platform));
    const artifactType = spec.artifactType === undefined ? ArtifactType.provider : spec.artifactType;
    return this.manifest(
      {
        schemaVersion: 2,
        mediaType: MediaType.imageIndex,
        ...(artifactType ? { artifactType } : {}),
        manifests: entries,
      },
      { tag: spec.tag },
    );
  }

  async #platform(platform: PlatformSpec): Promise<object> {
    await this.config();
    const layerPlatform =
      platform.layerPlatform === undefined ? { os: platform.os, architecture: platform.arch } : platform.layerPlatform;
    const zip = await this.#layer({
      bytes: platform.zip,
      artifactType: ArtifactType.providerPackage,
      ...(layerPlatform ? { platform: layerPlatform } : {}),
    });
    const extra = await Promise.all((platform.extraLayers ?? []).map((layer) => this.#layer(layer)));
    const manifestType =
      platform.manifestArtifactType === undefined ? ArtifactType.providerTarget : platform.manifestArtifactType;
    const descriptor = await this.manifest(imageManifest(manifestType, [zip, ...extra]));
    const entryType =
      platform.entryArtifactType === undefined ? ArtifactType.providerTarget : platform.entryArtifactType;
    return {
      mediaType: descriptor.mediaType,
      ...(entryType ? { artifactType: entryType } : {}),
      digest: descriptor.digest,
      size: platform.entrySize ?? descriptor.size,
      ...(platform.entryWithoutPlatform ? {} : { platform: { os: platform.os, architecture: platform.arch } }),
    };
  }

  async #layer(layer: LayerSpec): Promise<Descriptor> {
    const stored = await this.blob(layer.bytes, layer.mediaType ?? MediaType.zip);
    return {
      ...stored,
      ...(layer.artifactType ? { artifactType: layer.artifactType } : {}),
      ...(layer.platform ? { platform: layer.platform } : {}),
    };
  }

  /** Stores the empty config blob every manifest here uses. */
  async config(): Promise<void> {
    await this.#target.push({ mediaType: MediaType.empty, digest: EMPTY_CONFIG.digest, size: 2 }, EMPTY_CONFIG_BYTES);
  }
}

/** An image manifest with the empty config, in the key order OpenTofu's tools write. */
export function imageManifest(
  artifactType: string | null,
  layers: Descriptor[],
  annotations?: Record<string, string>,
): object {
  return {
    schemaVersion: 2,
    mediaType: MediaType.imageManifest,
    ...(artifactType ? { artifactType } : {}),
    config: {
      mediaType: EMPTY_CONFIG.mediaType,
      digest: EMPTY_CONFIG.digest,
      size: EMPTY_CONFIG.size,
      data: EMPTY_CONFIG.data,
    },
    layers,
    ...(annotations ? { annotations } : {}),
  };
}
