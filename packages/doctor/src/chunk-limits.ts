/** How a registry refused a PATCH: a size limit to learn, or chunked uploads not at all. */
export type ChunkRefusal = { maxBytes: number } | { minBytes: number } | { refused: true };

const UNITS: Record<string, number> = {
  b: 1,
  bytes: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};
const SIZE = String.raw`([\d.]+)\s*(bytes|B|KB|KiB|MB|MiB|GB|GiB)\b`;
// ghcr-patch-4mib: "the request body is too large and exceeds the maximum permissible limit of 4.00MiB"
const MAX_PATTERN = new RegExp(String.raw`(?:maximum|max|limit|larger than|exceeds)\D{0,40}?${SIZE}`, "i");
// ecr-min-part-5mb: "All layer parts except the last part should be at least 5MB" (S3's 5 MiB minimum)
const MIN_PATTERN = new RegExp(String.raw`(?:at least|minimum|min(?:imum)? length|too small)\D{0,40}?${SIZE}`, "i");
const ALIGN = 64 * 1024;

/**
 * Reads what a refused PATCH teaches (docs/contract/registry-quirks.md): a 413 or 416 body
 * limit (GHCR's 4 MiB), a minimum size of non-final parts (ECR's 5 MiB), or else that the
 * registry takes no chunked uploads at all (Artifact Registry). A limit named in the registry's
 * words is used; a 413 or 416 without one halves the chunk.
 */
export function chunkRefusal(status: number, words: string, chunk: number): ChunkRefusal {
  const max = MAX_PATTERN.exec(words);
  if (max && !MIN_PATTERN.test(words)) return { maxBytes: underLimit(bytesOf(max[1]!, max[2]!)) };
  const min = MIN_PATTERN.exec(words);
  if (min) return { minBytes: bytesOf(min[1]!, min[2]!) };
  if (status === 413 || status === 416) return { maxBytes: Math.floor(chunk / 2) };
  return { refused: true };
}

/** `1 MiB`, `3.94 MiB`, `512 KiB`: chunk sizes are binary. */
export function binarySize(bytes: number): string {
  if (bytes >= 1024 ** 2) return `${Number((bytes / 1024 ** 2).toFixed(2))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(2))} KiB`;
  return `${bytes} B`;
}

/** Messages round (4.00MiB): stay 1% under a limit, on a 64 KiB boundary from a MiB up. */
function underLimit(limit: number): number {
  const align = limit >= 1024 ** 2 ? ALIGN : 1;
  return Math.max(1, Math.floor((limit * 0.99) / align) * align);
}

function bytesOf(value: string, unit: string): number {
  return Math.floor(Number(value) * (UNITS[unit.toLowerCase()] ?? 1));
}
