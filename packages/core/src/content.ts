import type { Readable } from "node:stream";
import { verifyBytes } from "./digest.js";
import { TofuOciError, invalidInput, type ErrorCode } from "./errors.js";
import { parseManifest, type Descriptor, type Manifest } from "./manifest.js";
import { MANIFEST_SIZE_LIMIT } from "./media-types.js";
import type { Fetcher, OperationOptions } from "./target.js";

/**
 * Reads a stream into memory, failing once it passes `limit` bytes.
 * Only for small content such as manifests and JSON documents.
 * @param code the error code for content over the limit: "invalid-input" (exit 6, the default)
 * for local content, "network" (exit 5) for what a registry sent.
 */
export async function readAll(
  stream: Readable,
  limit: number,
  what = "the response",
  code: ErrorCode = "invalid-input",
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > limit) {
      // Leaving the loop destroys the stream.
      throw new TofuOciError(code, `${what} is larger than ${limit} bytes`, {
        hint:
          code === "network"
            ? "The registry sent more data than allowed; it was not used."
            : "The content is larger than allowed; it was not used.",
      });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

/** Throws when a manifest descriptor is over the 4 MiB limit OpenTofu and the OCI spec use. */
export function assertManifestSize(descriptor: Descriptor): void {
  if (descriptor.size > MANIFEST_SIZE_LIMIT) {
    throw invalidInput(
      `manifest ${descriptor.digest} is ${descriptor.size} bytes, over the 4 MiB limit`,
      "OpenTofu and most registries refuse manifests over 4 MiB.",
    );
  }
}

/** Fetches a manifest's exact bytes, verified against its descriptor. */
export async function fetchManifestBytes(
  fetcher: Fetcher,
  descriptor: Descriptor,
  options: OperationOptions = {},
): Promise<Buffer> {
  assertManifestSize(descriptor);
  const bytes = await readAll(
    await fetcher.fetch(descriptor, options),
    descriptor.size,
    `manifest ${descriptor.digest}`,
  );
  verifyBytes(bytes, descriptor, `manifest ${descriptor.digest}`);
  return bytes;
}

/** Fetches and parses a manifest, verified against its descriptor. */
export async function fetchManifest(
  fetcher: Fetcher,
  descriptor: Descriptor,
  options: OperationOptions = {},
): Promise<{ manifest: Manifest; bytes: Buffer }> {
  const bytes = await fetchManifestBytes(fetcher, descriptor, options);
  return { manifest: parseManifest(bytes, descriptor.mediaType), bytes };
}

/** Parses a JSON document a registry sent; malformed JSON is a registry failure (exit code 5). */
export function parseRegistryJson<T>(bytes: Uint8Array, what: string): T {
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8")) as T;
  } catch (error) {
    throw new TofuOciError("network", `${what} is not valid JSON`, { cause: error });
  }
}
