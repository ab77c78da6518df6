import {
  EMPTY_CONFIG,
  MediaType,
  encodeManifest,
  plainDescriptor,
  type Descriptor,
  type EncodedManifest,
  type ImageManifest,
} from "@tofu-oci/core";
import { CONFIG_UPLOAD, fileUpload } from "./blobs.js";
import { titleOf } from "./local-file.js";
import type { Attachment } from "./sbom.js";
import type { Uploader } from "./uploader.js";

/**
 * A referrer manifest as ORAS attach writes it: `artifactType`, the empty config, the file as
 * the one layer (titled with its file name) and `subject` pointing at the artifact it describes.
 */
export function buildReferrerManifest(subject: Descriptor, attachment: Attachment, annotations: Record<string, string> = {}): EncodedManifest<ImageManifest> {
  const layer: Descriptor = {
    mediaType: attachment.mediaType,
    digest: attachment.digest,
    size: attachment.size,
    annotations: { "org.opencontainers.image.title": titleOf(attachment.file) },
  };
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.imageManifest,
    artifactType: attachment.artifactType,
    config: { ...EMPTY_CONFIG },
    layers: [layer],
    subject: plainDescriptor(subject),
  };
  const keys = Object.keys(annotations).sort();
  if (keys.length > 0) manifest.annotations = Object.fromEntries(keys.map((key) => [key, annotations[key]!]));
  return encodeManifest(manifest);
}

/** What was attached to a subject. */
export interface AttachedReferrer {
  digest: string;
  artifactType: string;
  file: string;
}

/**
 * Uploads the file and its referrer manifest. The target lists it through the registry's
 * referrers API when the registry processes `subject`, otherwise through the referrers tag
 * schema (`sha256-<hex>` index) that the remote target maintains itself.
 */
export async function attachTo(
  uploader: Uploader,
  subject: Descriptor,
  attachment: Attachment,
  annotations?: Record<string, string>,
): Promise<{ manifest: EncodedManifest<ImageManifest>; referrer: AttachedReferrer }> {
  const manifest = buildReferrerManifest(subject, attachment, annotations);
  await uploader.blobs([CONFIG_UPLOAD, fileUpload(attachment, attachment.mediaType)]);
  await uploader.manifest(manifest);
  return { manifest, referrer: { digest: manifest.descriptor.digest, artifactType: attachment.artifactType, file: attachment.file } };
}
