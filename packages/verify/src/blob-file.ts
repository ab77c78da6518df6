import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileSink, type Descriptor, type OperationOptions } from "@tofu-oci/core";
import { isContentError, type ArtifactStore } from "./artifact-store.js";
import type { Checks } from "./checks.js";

/** A downloaded layer in a private temp directory; `remove` deletes it. */
export interface BlobFile {
  path: string;
  remove(): Promise<void>;
}

/**
 * Downloads a layer into a temp file, as OpenTofu does before unpacking
 * (fetchOCIBlobToTemporaryFile): the size and digest must match the descriptor. Records
 * `layer-digest`; a mismatch stops the chain.
 */
export async function downloadLayer(
  store: ArtifactStore,
  layer: Descriptor,
  tempRoot: string,
  checks: Checks,
  options: OperationOptions = {},
): Promise<BlobFile> {
  const dir = await mkdtemp(join(tempRoot, "tofu-oci-verify-"));
  const file: BlobFile = {
    path: join(dir, `layer-${randomBytes(4).toString("hex")}.zip`),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  try {
    await pipeline(await store.fetchBlob(layer, options), fileSink(file.path));
  } catch (error) {
    await file.remove();
    if (isContentError(error)) {
      checks.fail(
        "layer-digest",
        `the layer ${layer.digest} (${layer.size} bytes) cannot be fetched as described: ${error.message}; push the artifact again`,
      );
    }
    throw error;
  }
  checks.pass("layer-digest", `${layer.size} bytes matching ${layer.digest}`);
  return file;
}
