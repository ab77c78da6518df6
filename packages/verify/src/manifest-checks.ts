import { ArtifactType, MediaType, type Descriptor, type OperationOptions } from "@tofu-oci/core";
import { GoJsonError, declaredMediaType, decodeImageIndex, decodeImageManifest, type GoIndex, type GoManifest } from "@tofu-oci/opentofu";
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
  const manifest = decode(bytes, decodeImageManifest, MediaType.imageIndex, "found index manifest but need image manifest", checks);
  checkTypes(manifest, descriptor.mediaType, artifactType, checks);
  return manifest;
}

/** fetchOCIIndexManifest: as {@link readImageManifest}, for a provider version's index. */
export async function readImageIndex(store: ArtifactStore, descriptor: Descriptor, checks: Checks, options: OperationOptions = {}): Promise<GoIndex> {
  const bytes = await readManifestBlob(store, descriptor, checks, options);
  const index = decode(bytes, decodeImageIndex, MediaType.imageManifest, "found image manifest but need index manifest", checks);
  checkTypes(index, descriptor.mediaType, ArtifactType.provider, checks);
  return index;
}

function decode<T>(bytes: Buffer, decoder: (bytes: Buffer) => T, otherType: string, otherMessage: string, checks: Checks): T {
  try {
    const decoded = decoder(bytes);
    checks.pass("manifest-json", "decodes as OpenTofu decodes it");
    return decoded;
  } catch (error) {
    if (!(error instanceof GoJsonError)) throw error;
    const hint = declaredMediaType(bytes) === otherType ? `${otherMessage}; ` : "";
    return checks.fail("manifest-json", `${hint}the manifest does not decode: ${error.message} ("invalid manifest content"); fix the manifest JSON`);
  }
}

function checkTypes(manifest: { mediaType: string; artifactType: string }, mediaType: string, artifactType: string, checks: Checks): void {
  checks.expect(
    "manifest-media-type",
    manifest.mediaType === mediaType ? undefined : `the manifest JSON says mediaType "${manifest.mediaType}" but was served as ${mediaType} ("unexpected manifest media type"); the manifest must contain "mediaType": "${mediaType}"`,
    `${mediaType}, in the descriptor and the JSON`,
  );
  checks.expect("artifact-type", manifest.artifactType === artifactType ? undefined : artifactTypeProblem(manifest.artifactType, artifactType), artifactType);
}

const KNOWN: Record<string, string> = {
  [ArtifactType.module]: "an OpenTofu module package",
  [ArtifactType.provider]: "an OpenTofu provider version (an index)",
  [ArtifactType.providerTarget]: "one platform of an OpenTofu provider",
};

function artifactTypeProblem(actual: string, expected: string): string {
  const what = actual === "" ? "has no artifactType" : `has artifactType "${actual}"${KNOWN[actual] ? `, ${KNOWN[actual]}` : ""}`;
  return `the manifest ${what}, but OpenTofu requires "${expected}" ("unexpected artifact type"); push it with tofu-oci-push, or set the artifact type (oras push --artifact-type ${expected})`;
}
