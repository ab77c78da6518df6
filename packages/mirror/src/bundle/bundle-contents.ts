import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  Annotation,
  MediaType,
  invalidInput,
  isManifestMediaType,
  parseManifest,
  successors,
  type Descriptor,
  type Manifest,
} from "@tofu-oci/core";
import type { ExtractedBundle } from "./bundle-reader.js";
import { FULL_NAME_ANNOTATION, INDEX_FILE, blobPath } from "./layout-names.js";

/** An artifact a bundle's index.json names. */
export interface BundleArtifact {
  descriptor: Descriptor;
  /** `org.opencontainers.image.ref.name`. */
  tag?: string;
  /** `io.containerd.image.name`: where export found it, `HOST/REPO:TAG` or `HOST/REPO@DIGEST`. */
  fullName?: string;
}

/**
 * Reads the unpacked bundle's index.json and checks that every manifest it lists is complete:
 * each manifest, config, layer and child manifest is present with the declared size (digests
 * were checked while unpacking). Returns the artifacts, without the referrers that travel with
 * them.
 * @throws TofuOciError "invalid-input" (exit 6) naming what is missing.
 */
export async function bundleArtifacts(bundle: ExtractedBundle, file: string): Promise<BundleArtifact[]> {
  const index = parseManifest(await readFile(join(bundle.directory, INDEX_FILE)), MediaType.imageIndex);
  if (!("manifests" in index)) throw invalidInput(`${file}: index.json is not an OCI index`);
  const checked = new Map<string, Manifest | undefined>();
  const artifacts: BundleArtifact[] = [];
  for (const entry of index.manifests) {
    const manifest = await checkComplete(bundle, entry, file, checked);
    if (manifest?.subject) continue;
    artifacts.push(artifactOf(entry));
  }
  if (artifacts.length === 0)
    throw invalidInput(`${file} holds no artifacts`, "Its index.json lists nothing but referrers.");
  return artifacts;
}

async function checkComplete(
  bundle: ExtractedBundle,
  descriptor: Descriptor,
  file: string,
  checked: Map<string, Manifest | undefined>,
): Promise<Manifest | undefined> {
  if (checked.has(descriptor.digest)) return checked.get(descriptor.digest);
  const size = bundle.blobs.get(descriptor.digest);
  if (size === undefined)
    throw invalidInput(
      `${file} is incomplete: it has no ${descriptor.digest} (${descriptor.mediaType})`,
      "Export the bundle again.",
    );
  if (size !== descriptor.size)
    throw invalidInput(`${file}: ${descriptor.digest} is ${size} bytes, but it is referenced as ${descriptor.size}`);
  if (!isManifestMediaType(descriptor.mediaType)) {
    checked.set(descriptor.digest, undefined);
    return undefined;
  }
  const manifest = parseManifest(
    await readFile(join(bundle.directory, blobPath(descriptor.digest))),
    descriptor.mediaType,
  );
  checked.set(descriptor.digest, manifest);
  for (const child of successors(manifest)) await checkComplete(bundle, child, file, checked);
  return manifest;
}

function artifactOf(entry: Descriptor): BundleArtifact {
  const { annotations, ...descriptor } = entry;
  const artifact: BundleArtifact = { descriptor };
  const tag = annotations?.[Annotation.refName];
  const fullName = annotations?.[FULL_NAME_ANNOTATION];
  if (tag) artifact.tag = tag;
  if (fullName) artifact.fullName = fullName;
  return artifact;
}
