import { randomBytes } from "node:crypto";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { MediaType, fileSink, type ImageManifest, type OperationOptions } from "@tofu-oci/core";
import { isContentError, type ArtifactStore } from "./artifact-store.js";
import type { Checks } from "./checks.js";

/** An SBOM larger than this is refused: the size comes from a manifest the registry serves. */
export const SBOM_MAX_BYTES = 64 * 1024 * 1024;

/** The file name's extension per SBOM artifactType. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  [MediaType.cyclonedxJson]: "cdx.json",
  [MediaType.spdxJson]: "spdx.json",
};

/**
 * `--extract-sbom DIR`: writes the document of an SBOM manifest that the `sbom` check proved
 * (its first layer, size and digest checked while it streams) to `DIR/NAME.cdx.json` or
 * `DIR/NAME.spdx.json`, through a temporary file renamed into place. Records `extract-sbom`; a
 * missing, oversized or mismatching layer stops the chain.
 * @returns the file written.
 */
export async function extractSbom(
  store: ArtifactStore,
  sbom: ImageManifest,
  target: { dir: string; name: string },
  checks: Checks,
  options: OperationOptions = {},
): Promise<string> {
  const layer = sbom.layers[0];
  if (!layer) checks.fail("extract-sbom", "the SBOM manifest has no layer to extract; attach the SBOM again");
  if (layer.size > SBOM_MAX_BYTES)
    checks.fail(
      "extract-sbom",
      `the SBOM ${layer.digest} is ${layer.size} bytes, more than the ${SBOM_MAX_BYTES} an SBOM may have`,
    );
  const file = join(target.dir, `${target.name}.${EXTENSIONS[sbom.artifactType ?? sbom.config.mediaType] ?? "json"}`);
  const temp = join(target.dir, `.${target.name}.tofu-oci-${randomBytes(4).toString("hex")}.tmp`);
  try {
    await mkdir(target.dir, { recursive: true });
    await pipeline(await store.fetchBlob(layer, options), fileSink(temp));
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    if (isContentError(error))
      checks.fail(
        "extract-sbom",
        `the SBOM ${layer.digest} (${layer.size} bytes) cannot be fetched as described: ${error.message}; attach it again`,
      );
    throw error;
  }
  checks.pass("extract-sbom", `${layer.size} bytes matching ${layer.digest} written to ${file}`);
  return file;
}
