import { ArtifactType, MediaType } from "@tofu-oci/core";
import type { GoDescriptor } from "./go-json/decode.js";

/** A choice OpenTofu makes among descriptors: the one it takes, or its error, plus a note. */
export type Selection = { ok: true; descriptor: GoDescriptor; note: string } | { ok: false; problem: string };

const ZIP = MediaType.zip;

/**
 * The module package layer (internal/getmodules/oci_getter.go:410 selectOCILayerBlob): exactly one
 * layer of a supported archive type (only archive/zip today); other layers are ignored.
 */
export function selectModuleLayer(given: readonly GoDescriptor[] | null): Selection {
  const layers = given ?? [];
  const zips = layers.filter((layer) => layer.mediaType === ZIP);
  const others = layers.length - zips.length;
  if (zips.length > 1)
    return {
      ok: false,
      problem: `the manifest has ${zips.length} layers of media type "${ZIP}" ("multiple layers with media type"); OpenTofu cannot choose, so keep exactly one`,
    };
  if (zips.length === 0) return { ok: false, problem: noZipProblem(others, "module packages") };
  return { ok: true, descriptor: zips[0]!, note: ignoredNote(others) };
}

/**
 * The provider package layer (internal/getproviders/oci_registry_mirror_source.go:718
 * selectOCILayerBlob): exactly one layer of media type archive/zip; others are ignored.
 */
export function selectProviderLayer(given: readonly GoDescriptor[] | null): Selection {
  const layers = given ?? [];
  const zips = layers.filter((layer) => layer.mediaType === ZIP);
  const others = layers.length - zips.length;
  if (zips.length > 1)
    return {
      ok: false,
      problem: `the manifest declares ${zips.length} "${ZIP}" layers ("ambiguous manifest declares multiple eligible provider packages"); keep exactly one, the release zip`,
    };
  if (zips.length === 0) return { ok: false, problem: noZipProblem(others, "provider packages") };
  return { ok: true, descriptor: zips[0]!, note: ignoredNote(others) };
}

function noZipProblem(others: number, what: string): string {
  const found =
    others > 0
      ? `${others} layer${others > 1 ? "s" : ""} of other media types, which OpenTofu ignores ("this OCI artifact might be intended for a different version of OpenTofu")`
      : "no layers";
  return `the manifest has no layer of media type "${ZIP}", the only archive OpenTofu supports for ${what}, but ${found}; push the zip as a layer with mediaType ${ZIP}`;
}

function ignoredNote(others: number): string {
  return others > 0 ? `; ${others} layer${others > 1 ? "s" : ""} of other media types ignored, as OpenTofu does` : "";
}

/**
 * The image manifest for one platform (oci_registry_mirror_source.go:648 selectOCIImageManifest):
 * entries without artifactType provider-target are skipped; such an entry must be an image
 * manifest with a platform, or every platform fails; entries with os.version or another
 * platform are skipped; exactly one may remain.
 */
export function selectPlatformManifest(entries: readonly GoDescriptor[] | null, os: string, arch: string): Selection {
  let matches: GoDescriptor[] = [];
  let wrongType = "";
  let otherPlatforms = 0;
  for (const entry of entries ?? []) {
    if (entry.artifactType !== ArtifactType.providerTarget) {
      if (entry.artifactType !== "") wrongType = entry.artifactType;
      continue;
    }
    if (entry.mediaType !== MediaType.imageManifest) {
      return {
        ok: false,
        problem: `an index entry with artifactType ${ArtifactType.providerTarget} has media type "${entry.mediaType}" ("provider image manifest has unsupported media type"); every such entry must be ${MediaType.imageManifest}`,
      };
    }
    if (!entry.platform) {
      return {
        ok: false,
        problem: `an index entry (${entry.digest}) has no platform ("provider image manifest lacks the required platform constraints"); give every entry platform {os, architecture}`,
      };
    }
    const { platform } = entry;
    if (platform.osVersion !== "" || platform.os !== os || platform.architecture !== arch) otherPlatforms++;
    else matches = [...matches, entry];
  }
  if (matches.length === 1) return { ok: true, descriptor: matches[0]!, note: "" };
  if (matches.length > 1)
    return {
      ok: false,
      problem: `the index has ${matches.length} entries for ${os}_${arch} ("ambiguous manifest has multiple descriptors for platform"); keep one`,
    };
  if (otherPlatforms > 0)
    return {
      ok: false,
      problem: `the index has no entry for ${os}_${arch} ("provider ... is not available for ${os}_${arch}"); push a package for it or drop --platform ${os}_${arch}`,
    };
  if (wrongType !== "")
    return {
      ok: false,
      problem: `the index entries have artifactType "${wrongType}" ("provider image manifest has unsupported artifact type"); platform entries need artifactType ${ArtifactType.providerTarget}`,
    };
  return {
    ok: false,
    problem: `no index entry has an artifactType ("is this a container image, rather than an OpenTofu provider?"); platform entries need artifactType ${ArtifactType.providerTarget}`,
  };
}

/** The platforms OpenTofu could select in an index: provider-target entries with os/architecture and no os.version. */
export function indexPlatforms(entries: readonly GoDescriptor[] | null): string[] {
  const found = (entries ?? [])
    .filter(
      (entry) =>
        entry.artifactType === ArtifactType.providerTarget && entry.platform && entry.platform.osVersion === "",
    )
    .map((entry) => `${entry.platform!.os}_${entry.platform!.architecture}`);
  return [...new Set(found)].sort();
}

/**
 * checkOCIBlobDescriptor and hashFromOCIDigest (package_location_oci_blob_archive.go:287, :273): a
 * platform on the layer, when present, matches; the digest is a valid sha256 digest.
 */
export function layerPlatformProblem(layer: GoDescriptor, os: string, arch: string): string | undefined {
  if (!/^sha256:[a-f0-9]{64}$/.test(layer.digest))
    return `the layer digest "${layer.digest}" is not a sha256 digest, which OpenTofu needs as the zh: hash`;
  const platform = layer.platform;
  if (platform && (platform.os !== os || platform.architecture !== arch)) {
    return `the layer is marked for ${platform.os}_${platform.architecture} but sits in the ${os}_${arch} manifest ("selected OCI artifact is for ${platform.os}_${platform.architecture}, but was expected to be for ${os}_${arch}"); fix the layer's platform or the index entry`;
  }
  return undefined;
}
