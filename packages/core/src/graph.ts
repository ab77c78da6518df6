import { invalidInput } from "./errors.js";
import { parseManifest, successors, type Descriptor, type Manifest } from "./manifest.js";
import type { ExistenceChecker, OperationOptions } from "./target.js";

/**
 * Refuses to store a manifest while something it references is missing, so a target never
 * holds a manifest that cannot be pulled whole.
 */
export async function assertSuccessorsExist(
  target: ExistenceChecker,
  manifest: Manifest,
  options: OperationOptions = {},
): Promise<void> {
  for (const child of successors(manifest)) {
    if (!(await target.exists(child, options))) {
      throw invalidInput(
        `cannot store manifest: ${child.digest} (${child.mediaType}) it references is missing`,
        "Push blobs and child manifests before the manifest that references them.",
      );
    }
  }
}

/** The descriptor of stored manifest bytes, with the media and artifact type their JSON declares. */
export function describeManifest(bytes: Uint8Array, digest: string, fallbackMediaType?: string): Descriptor {
  const manifest = parseManifest(bytes, fallbackMediaType);
  const descriptor: Descriptor = { mediaType: manifest.mediaType, digest, size: bytes.length };
  // The referrers API falls back to the config media type (distribution-spec, listing referrers).
  const artifactType = manifest.artifactType ?? ("config" in manifest ? manifest.config.mediaType : undefined);
  if (artifactType) descriptor.artifactType = artifactType;
  if (manifest.annotations) descriptor.annotations = manifest.annotations;
  return descriptor;
}

/** Keeps the referrers of `subject`, optionally of one artifact type. */
export function selectReferrers(
  manifests: Iterable<{ bytes: Uint8Array; digest: string }>,
  subject: Descriptor,
  artifactType?: string,
): Descriptor[] {
  const found: Descriptor[] = [];
  for (const { bytes, digest } of manifests) {
    const manifest = parseManifest(bytes);
    if (manifest.subject?.digest !== subject.digest) continue;
    const descriptor = describeManifest(bytes, digest);
    if (!artifactType || descriptor.artifactType === artifactType) found.push(descriptor);
  }
  return found;
}
