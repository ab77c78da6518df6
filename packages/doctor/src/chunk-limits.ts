import { chunkLimitIn } from "@tofu-oci/core/remote";

/** How a registry refused a PATCH: a size limit to learn, or chunked uploads not at all. */
export type ChunkRefusal = { maxBytes: number } | { minBytes: number } | { refused: true };

/**
 * Reads what a refused PATCH teaches (docs/contract/registry-quirks.md): a 413 or 416 body
 * limit (GHCR's 4 MiB), a minimum size of non-final parts (ECR's 5 MiB), or else that the
 * registry takes no chunked uploads at all (Artifact Registry). A limit named in the registry's
 * words is read as the client reads it (core's `chunkLimitIn`); a 413 or 416 without one halves
 * the chunk.
 */
export function chunkRefusal(status: number, words: string, chunk: number): ChunkRefusal {
  const limit = chunkLimitIn(words);
  if (limit) return limit;
  if (status === 413 || status === 416) return { maxBytes: Math.floor(chunk / 2) };
  return { refused: true };
}

/** `1 MiB`, `3.94 MiB`, `512 KiB`: chunk sizes are binary. */
export function binarySize(bytes: number): string {
  if (bytes >= 1024 ** 2) return `${Number((bytes / 1024 ** 2).toFixed(2))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(2))} KiB`;
  return `${bytes} B`;
}
