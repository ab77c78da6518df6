import { basename } from "node:path";
import { CONFIG_BLOB, fileBlob, type LocalFile, type LocalGraph } from "./local-graph.js";
import {
  buildImageManifest,
  plainDescriptor,
  type Descriptor,
  type EncodedManifest,
  type ImageManifest,
} from "./manifest.js";
import { Annotation } from "./media-types.js";

/** A file to attach as a referrer: its layer media type and the referrer's artifact type. */
export interface Attachment extends LocalFile {
  /** The layer's media type, e.g. `application/spdx+json`. */
  mediaType: string;
  /** The referrer manifest's artifact type. */
  artifactType: string;
}

/**
 * A referrer manifest as ORAS attach writes it: `artifactType`, the empty config, the file as the
 * one layer (titled with its file name) and `subject` pointing at the artifact it describes.
 */
export function buildReferrerManifest(
  subject: Descriptor,
  attachment: Attachment,
  annotations: Record<string, string> = {},
): EncodedManifest<ImageManifest> {
  const layer: Descriptor = {
    mediaType: attachment.mediaType,
    digest: attachment.digest,
    size: attachment.size,
    annotations: { [Annotation.title]: basename(attachment.file) },
  };
  return buildImageManifest({
    artifactType: attachment.artifactType,
    layers: [layer],
    subject: plainDescriptor(subject),
    annotations,
  });
}

/** The graph of a file attached to `subject` (ORAS attach); the subject itself is not part of it. */
export function referrerGraph(
  subject: Descriptor,
  attachment: Attachment,
  annotations?: Record<string, string>,
): LocalGraph & { root: EncodedManifest<ImageManifest> } {
  return {
    blobs: [CONFIG_BLOB, fileBlob(attachment, attachment.mediaType)],
    manifests: [],
    root: buildReferrerManifest(subject, attachment, annotations),
  };
}
