import { sha256Digest, type Descriptor, type OperationOptions } from "@tofu-oci/core";
import { manifestTooLarge } from "@tofu-oci/opentofu";
import { isContentError, type ArtifactStore } from "./artifact-store.js";
import type { Checks } from "./checks.js";

/**
 * fetchOCIManifestBlob of OpenTofu's module getter and provider mirror source: the size rule,
 * then the bytes (read up to the descriptor size), then their digest. Records `manifest-size`
 * and `manifest-digest`; a failure stops the chain.
 */
export async function readManifestBlob(
  store: ArtifactStore,
  descriptor: Descriptor,
  checks: Checks,
  options: OperationOptions = {},
): Promise<Buffer> {
  if (manifestTooLarge(descriptor.size)) {
    checks.fail(
      "manifest-size",
      `the manifest is ${descriptor.size} bytes; OpenTofu refuses manifests of 5 MiB and more ("manifest size exceeds OpenTofu's size limit of 4 MiB"); move data out of annotations and keep the manifest small`,
    );
  }
  checks.pass("manifest-size", `${descriptor.size} bytes, within OpenTofu's limit`);
  let bytes: Buffer;
  try {
    bytes = await store.readManifest(descriptor, options);
  } catch (error) {
    if (isContentError(error))
      checks.fail("manifest-digest", `cannot fetch the manifest as described: ${error.message}`);
    throw error;
  }
  const actual = sha256Digest(bytes);
  if (actual !== descriptor.digest) {
    checks.fail(
      "manifest-digest",
      `the manifest content does not match digest ${descriptor.digest} (got ${actual} from ${bytes.length} bytes); the registry holds damaged data: push the artifact again`,
    );
  }
  checks.pass("manifest-digest", `content matches ${descriptor.digest}`);
  return bytes;
}
