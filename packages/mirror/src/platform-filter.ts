import {
  encodeManifest,
  invalidInput,
  isIndex,
  parseManifest,
  TofuOciError,
  type Descriptor,
  type EncodedManifest,
  type ImageIndex,
} from "@tofu-oci/core";
import type { Platform } from "@tofu-oci/opentofu";

/** A platform as `--platform` names it. */
export type PlatformName = Platform;

/** The result of keeping some platforms of an index. */
export interface FilteredIndex {
  /** The new index: its bytes, and a new digest. */
  index: EncodedManifest<ImageIndex>;
  /** The platform manifests kept, unchanged. */
  kept: Descriptor[];
}

/**
 * Keeps the entries of an index whose platform is one of `platforms`, in their order, and
 * re-encodes the index with every other field unchanged. For an index made by
 * `buildProviderIndex` the bytes equal what `buildProviderIndex` makes of the kept manifests,
 * so the result is a valid OpenTofu provider index; the platform manifests and zips keep their
 * digests, only the index digest changes.
 * @throws TofuOciError "not-found" (exit 3) naming a platform the index does not have.
 */
export function filterIndex(bytes: Uint8Array, platforms: readonly PlatformName[], what: string): FilteredIndex {
  const manifest = parseManifest(bytes);
  if (!isIndex(manifest)) {
    throw invalidInput(
      `--platform needs an index, but ${what} is a single manifest`,
      "Leave out --platform: a module or single-platform artifact is copied whole.",
    );
  }
  const available = manifest.manifests
    .filter((entry) => entry.platform)
    .map((entry) => `${entry.platform!.os}_${entry.platform!.architecture}`);
  const missing = platforms.map(({ os, arch }) => `${os}_${arch}`).filter((name) => !available.includes(name));
  if (missing.length > 0) {
    throw new TofuOciError("not-found", `${what} has no ${missing.join(", ")} platform`, {
      hint: `It has ${available.length > 0 ? available.join(", ") : "no platform entries"}.`,
    });
  }
  const kept = manifest.manifests.filter((entry) =>
    platforms.some(({ os, arch }) => entry.platform?.os === os && entry.platform.architecture === arch),
  );
  return { index: encodeManifest<ImageIndex>({ ...manifest, manifests: kept }), kept };
}
