import { ArtifactType, MediaType, type Descriptor, type OperationOptions } from "@tofu-oci/core";
import {
  decodeGoIndex,
  decodeGoManifest,
  type GoDecodeResult,
  type GoIndex,
  type GoManifest,
} from "@tofu-oci/opentofu";
import type { ArtifactStore } from "./artifact-store.js";
import type { Checks } from "./checks.js";
import { readManifestBlob } from "./manifest-reader.js";

/**
 * fetchOCIImageManifest (module getter and provider mirror source): read the manifest under
 * OpenTofu's size and digest rules, decode it, and require the JSON's mediaType and
 * artifactType to equal what OpenTofu expects. Records `manifest-size`, `manifest-digest`,
 * `manifest-json`, `manifest-media-type`, `artifact-type`.
 */
export async function readImageManifest(
  store: ArtifactStore,
  descriptor: Descriptor,
  artifactType: string,
  checks: Checks,
  options: OperationOptions = {},
): Promise<GoManifest> {
  const bytes = await readManifestBlob(store, descriptor, checks, options);
  const manifest = decode(
    decodeGoManifest(bytes),
    MediaType.imageIndex,
    "found index manifest but need image manifest",
    checks,
  );
  checkTypes(manifest, descriptor.mediaType, artifactType, checks);
  return manifest;
}

/** fetchOCIIndexManifest: as {@link readImageManifest}, for a provider version's index. */
export async function readImageIndex(
  store: ArtifactStore,
  descriptor: Descriptor,
  checks: Checks,
  options: OperationOptions = {},
): Promise<GoIndex> {
  const bytes = await readManifestBlob(store, descriptor, checks, options);
  const index = decode(
    decodeGoIndex(bytes),
    MediaType.imageManifest,
    "found image manifest but need index manifest",
    checks,
  );
  checkTypes(index, descriptor.mediaType, ArtifactType.provider, checks);
  return index;
}

/**
 * Go's `json.Unmarshal` error fails `manifest-json`. When the JSON declares the other manifest
 * kind, OpenTofu's message for that is named first.
 */
function decode<T extends { mediaType: string }>(
  result: GoDecodeResult<T>,
  otherType: string,
  otherMessage: string,
  checks: Checks,
): T {
  if (result.ok) {
    checks.pass("manifest-json", "decodes as OpenTofu decodes it (Go encoding/json)");
    return result.value;
  }
  const hint = result.value?.mediaType === otherType ? `${otherMessage}; ` : "";
  return checks.fail(
    "manifest-json",
    `${hint}the manifest does not decode: ${result.error} ("invalid manifest content"); fix the manifest JSON`,
  );
}

function checkTypes(
  manifest: { mediaType: string; artifactType: string },
  mediaType: string,
  artifactType: string,
  checks: Checks,
): void {
  checks.expect(
    "manifest-media-type",
    manifest.mediaType === mediaType
      ? undefined
      : `the manifest JSON says mediaType "${manifest.mediaType}" but was served as ${mediaType} ("unexpected manifest media type"); the manifest must contain "mediaType": "${mediaType}"`,
    `${mediaType}, in the descriptor and the JSON`,
  );
  checks.expect(
    "artifact-type",
    manifest.artifactType === artifactType ? undefined : artifactTypeProblem(manifest.artifactType, artifactType),
    artifactType,
  );
}

const KNOWN: Record<string, string> = {
  [ArtifactType.module]: "an OpenTofu module package",
  [ArtifactType.provider]: "an OpenTofu provider version (an index)",
  [ArtifactType.providerTarget]: "one platform of an OpenTofu provider",
};

function artifactTypeProblem(actual: string, expected: string): string {
  const what =
    actual === "" ? "has no artifactType" : `has artifactType "${actual}"${KNOWN[actual] ? `, ${KNOWN[actual]}` : ""}`;
  return `the manifest ${what}, but OpenTofu requires "${expected}" ("unexpected artifact type"); push it with tofu-oci-push, or set the artifact type (oras push --artifact-type ${expected})`;
}
