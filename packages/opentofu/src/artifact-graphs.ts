import { basename } from "node:path";
import {
  CONFIG_BLOB,
  fileBlob,
  type EncodedManifest,
  type ImageIndex,
  type ImageManifest,
  type LocalFile,
  type LocalGraph,
  type PushedPlatform,
} from "@tofu-oci/core";
import { buildModuleManifest, buildProviderIndex, buildProviderManifest } from "./manifests.js";
import { zhOf } from "./package-hashes.js";

/** One platform's release zip of a provider version. */
export interface ProviderPlatformFile {
  /** The platform's operating system, e.g. `linux`. */
  os: string;
  /** The platform's architecture, e.g. `amd64`. */
  arch: string;
  /** The release zip, with its digest and size. */
  zip: LocalFile;
  /** The package's `h1:`, recorded on its manifest (`PROVIDER_H1_ANNOTATION`) when given. */
  h1?: string;
}

/** A provider version's graph: the platform manifests in the input's order, and the index. */
export interface ProviderGraph extends LocalGraph {
  manifests: EncodedManifest<ImageManifest>[];
  root: EncodedManifest<ImageIndex>;
}

/**
 * A module package's graph (docs/contract/design.md §3, {@link buildModuleManifest}): the empty config, the zip
 * titled with its file name, the manifest; core's `pushGraph` stores it.
 */
export function moduleGraph(
  zip: LocalFile,
  options: { annotations?: Record<string, string> } = {},
): LocalGraph & { root: EncodedManifest<ImageManifest> } {
  const annotations = options.annotations ? { annotations: options.annotations } : {};
  const root = buildModuleManifest({ layer: zip, title: basename(zip.file), ...annotations });
  return { blobs: [CONFIG_BLOB, fileBlob(zip)], manifests: [], root };
}

/**
 * A provider version's graph (docs/contract/design.md §3, {@link buildProviderIndex}): each release zip byte for
 * byte as the layer of its platform's manifest, and the index over them.
 */
export function providerGraph(
  platforms: readonly ProviderPlatformFile[],
  options: { annotations?: Record<string, string> } = {},
): ProviderGraph {
  const manifests = platforms.map(({ os, arch, zip, h1 }) =>
    buildProviderManifest({
      layer: zip,
      platform: { os, architecture: arch },
      title: basename(zip.file),
      ...(h1 ? { h1 } : {}),
    }),
  );
  const root = buildProviderIndex({ manifests, ...(options.annotations ? { annotations: options.annotations } : {}) });
  return { blobs: [CONFIG_BLOB, ...platforms.map(({ zip }) => fileBlob(zip))], manifests, root };
}

/**
 * One platform of a provider record: its manifest and its release zip, with the zip's `zh:` hash
 * (the lock-file hash OpenTofu checks before it downloads from an OCI mirror, {@link zhOf}).
 */
export function pushedPlatform(
  os: string,
  arch: string,
  manifestDigest: string,
  layer: { digest: string; size: number },
): PushedPlatform {
  return { os, arch, digest: manifestDigest, layerDigest: layer.digest, size: layer.size, zh: zhOf(layer.digest) };
}
