import { EMPTY_CONFIG, EMPTY_CONFIG_BYTES, MediaType, type Descriptor } from "@tofu-oci/core";
import { fileContent, titleOf, type LocalBlob } from "./local-file.js";
import type { BlobUpload } from "./uploader.js";

/** The empty config blob `{}` every tofu-oci manifest references. */
export const CONFIG_UPLOAD: BlobUpload = {
  descriptor: { mediaType: EMPTY_CONFIG.mediaType, digest: EMPTY_CONFIG.digest, size: EMPTY_CONFIG.size },
  title: "config",
  content: () => EMPTY_CONFIG_BYTES,
};

/** A local file as a blob upload, streamed from disk. */
export function fileUpload(blob: LocalBlob, mediaType: string = MediaType.zip): BlobUpload {
  const descriptor: Descriptor = { mediaType, digest: blob.digest, size: blob.size };
  return { descriptor, title: titleOf(blob.file), content: (onProgress) => fileContent(blob.file, onProgress) };
}
