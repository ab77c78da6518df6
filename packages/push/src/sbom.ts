import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { MediaType, invalidInput, sha256Digest, type Attachment } from "@tofu-oci/core";

/** SBOMs are parsed in memory to detect their format; larger files are refused. */
export const SBOM_SIZE_LIMIT = 64 * 1024 * 1024;

/**
 * The SBOM media type of a parsed JSON document: `application/spdx+json` for SPDX JSON
 * (`spdxVersion` "SPDX-x.y"), `application/vnd.cyclonedx+json` for CycloneDX JSON
 * (`bomFormat` "CycloneDX"), otherwise undefined.
 */
export function detectSbomType(document: unknown): string | undefined {
  if (typeof document !== "object" || document === null || Array.isArray(document)) return undefined;
  const fields = document as Record<string, unknown>;
  if (typeof fields.spdxVersion === "string" && fields.spdxVersion.startsWith("SPDX-")) return MediaType.spdxJson;
  if (fields.bomFormat === "CycloneDX" && typeof fields.specVersion === "string") return MediaType.cyclonedxJson;
  return undefined;
}

/**
 * Reads an SBOM file and detects its format from the content.
 * @throws TofuOciError "invalid-input" (exit 6) when it is missing, too large, not JSON, or
 * neither SPDX nor CycloneDX.
 */
export async function readSbom(path: string): Promise<Attachment> {
  const { file, bytes } = await readSmallFile(path, "SBOM");
  const artifactType = detectSbomType(parseJson(bytes, file));
  if (!artifactType) {
    throw invalidInput(
      `the SBOM ${file} is neither SPDX JSON nor CycloneDX JSON`,
      'SPDX JSON has "spdxVersion": "SPDX-2.3"; CycloneDX JSON has "bomFormat": "CycloneDX".',
    );
  }
  return { file, digest: sha256Digest(bytes), size: bytes.length, artifactType, mediaType: artifactType };
}

/**
 * Reads a file to attach with `attach`: an SBOM is detected from its content; anything else
 * needs `artifactType`, and is stored as application/octet-stream.
 */
export async function readAttachment(path: string, artifactType?: string): Promise<Attachment> {
  const { file, bytes } = await readSmallFile(path, "file to attach");
  const detected = looksLikeJson(bytes) ? detectSbomType(tryParseJson(bytes)) : undefined;
  const type = artifactType ?? detected;
  if (!type) {
    throw invalidInput(
      `cannot tell what ${file} is`,
      "Give --artifact-type, e.g. --artifact-type application/vnd.example.signature.",
    );
  }
  const mediaType = detected && type === detected ? detected : "application/octet-stream";
  return { file, digest: sha256Digest(bytes), size: bytes.length, artifactType: type, mediaType };
}

async function readSmallFile(path: string, what: string): Promise<{ file: string; bytes: Buffer }> {
  const file = resolve(path);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw invalidInput(`the ${what} ${file} does not exist or is not a file`);
  if (info.size > SBOM_SIZE_LIMIT) throw invalidInput(`the ${what} ${file} is larger than ${SBOM_SIZE_LIMIT} bytes`);
  return { file, bytes: await readFile(file) };
}

function parseJson(bytes: Buffer, file: string): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw invalidInput(
      `the SBOM ${file} is not valid JSON: ${(error as Error).message}`,
      "Attach SPDX or CycloneDX documents in their JSON format.",
    );
  }
}

function tryParseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    return undefined;
  }
}

function looksLikeJson(bytes: Buffer): boolean {
  return bytes.subarray(0, 64).toString("utf8").trimStart().startsWith("{");
}
