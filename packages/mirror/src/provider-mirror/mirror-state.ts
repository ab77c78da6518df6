import {
  ArtifactType,
  MediaType,
  fetchManifest,
  isIndex,
  isTofuOciError,
  type Descriptor,
  type ImageIndex,
  type ReadOnlyTarget,
} from "@tofu-oci/core";

/** One platform a mirrored provider version already has. */
export interface MirroredPlatform {
  os: string;
  arch: string;
  /** The platform manifest. */
  manifest: Descriptor;
  /** Its `archive/zip` layer: the release zip. */
  layer: Descriptor;
}

/** What the destination holds under a version tag. */
export type MirroredVersion =
  | { kind: "absent" }
  | { kind: "foreign"; descriptor: Descriptor; problem: string }
  | { kind: "provider"; descriptor: Descriptor; index: ImageIndex; platforms: Map<string, MirroredPlatform> };

/**
 * Reads the provider index a version tag names and each platform manifest's zip layer, so a
 * re-run can compare layer digests with the signed SHA256SUMS values without downloading.
 * Digests of everything read are verified by the target.
 */
export async function readMirroredVersion(
  target: ReadOnlyTarget,
  tag: string,
  signal?: AbortSignal,
): Promise<MirroredVersion> {
  let descriptor: Descriptor;
  try {
    descriptor = await target.resolve(tag, { signal });
  } catch (error) {
    if (isTofuOciError(error) && error.code === "not-found") return { kind: "absent" };
    throw error;
  }
  const { manifest } = await fetchManifest(target, descriptor, { signal });
  if (!isIndex(manifest) || manifest.artifactType !== ArtifactType.provider) {
    return {
      kind: "foreign",
      descriptor,
      problem: `the tag ${tag} names ${descriptor.digest}, which is not an OpenTofu provider index`,
    };
  }
  const platforms = new Map<string, MirroredPlatform>();
  const entries = manifest.manifests.filter(
    (entry) => entry.artifactType === ArtifactType.providerTarget && entry.platform,
  );
  await Promise.all(
    entries.map(async (entry) => {
      const { manifest: child } = await fetchManifest(target, entry, { signal });
      const layer = !isIndex(child) ? child.layers.find((l) => l.mediaType === MediaType.zip) : undefined;
      if (layer)
        platforms.set(`${entry.platform!.os}_${entry.platform!.architecture}`, {
          os: entry.platform!.os,
          arch: entry.platform!.architecture,
          manifest: entry,
          layer,
        });
    }),
  );
  return { kind: "provider", descriptor, index: manifest, platforms };
}
