import { RegistryError } from "../errors.js";
import { registryWords } from "./registry-refusals.js";

/**
 * What a client learned about one registry from its answers, so later requests avoid what it
 * refused (docs/contract/registry-quirks.md): chunk limits of uploads, whether it takes chunked
 * uploads at all, whether it serves the referrers API. Nothing here is guessed from the host name.
 */
export interface RegistryKnowledge {
  /** Largest PATCH body it takes (`ghcr-patch-4mib`: 416 with the limit in the message). */
  chunkMaxBytes?: number;
  /** Smallest non-final PATCH part (`ecr-min-part-5mb`; `OCI-Chunk-Min-Length` of distribution-spec 1.1). */
  chunkMinBytes?: number;
  /** Why it takes no chunked uploads (`gar-no-chunked`): a monolithic PUT is used instead. */
  chunkedRefused?: string;
  /** Whether `GET /v2/<n>/referrers/<digest>` answers with an index; unset until asked. */
  referrersApi?: boolean;
}

/** How a registry refused a PATCH: a limit to adapt the chunk size to, or chunks not at all. */
export type ChunkRefusal = { maxBytes: number } | { minBytes: number } | { refused: string };

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
const ALIGN = 64 * 1024;
const SIZE = String.raw`([\d.]+)\s*(bytes|B|KB|KiB|MB|MiB|GB|GiB)\b`;
// registry-quirks: ghcr-patch-4mib ("... exceeds the maximum permissible limit of 4.00MiB")
const MAX_PATTERN = new RegExp(String.raw`(?:maximum|max|limit|larger than|exceeds)\D{0,40}?${SIZE}`, "i");
// registry-quirks: ecr-min-part-5mb ("All layer parts except the last part should be at least 5MB"). MB is read as
// MiB: the rule is S3's multipart minimum of 5 MiB.
const MIN_PATTERN = new RegExp(String.raw`(?:at least|minimum|min(?:imum)? length|too small)\D{0,40}?${SIZE}`, "i");

/**
 * The chunk limit a registry names in its words about a refused PATCH (see `registryWords`): a
 * largest body (GHCR's 4 MiB, kept 1% under the rounded number it prints) or a smallest
 * non-final part (ECR's 5 MiB); undefined when the words name none. Shared with `tofu-oci doctor`.
 */
export function chunkLimitIn(words: string): { maxBytes: number } | { minBytes: number } | undefined {
  const min = MIN_PATTERN.exec(words);
  if (min) return { minBytes: bytes(min[1]!, min[2]!) };
  const max = MAX_PATTERN.exec(words);
  return max ? { maxBytes: underRoundedLimit(bytes(max[1]!, max[2]!)) } : undefined;
}

/**
 * Reads a refused PATCH: GHCR's 416 with its limit, ECR's part-too-small with the minimum, or a
 * refusal of chunked uploads (a 4xx that is not about credentials, the session or rate limits:
 * gar-no-chunked, 405 or 501 for PATCH). Undefined for every other failure.
 */
export function chunkRefusal(error: unknown): ChunkRefusal | undefined {
  if (!(error instanceof RegistryError)) return undefined;
  const text = registryWords(error.errors);
  const limit = chunkLimitIn(text);
  if (limit) return limit;
  const { status } = error;
  if (status === 405 || status === 501) return { refused: `PATCH answered HTTP ${status}` };
  if (status !== 400 && status !== 411 && status !== 413 && status !== 415) return undefined;
  if (error.errors.some((e) => e.code === "BLOB_UPLOAD_UNKNOWN" || e.code === "DIGEST_INVALID")) return undefined;
  return { refused: `PATCH answered HTTP ${status}${text ? ` (${text})` : ""}` };
}

/** Adds what a refusal taught to the knowledge of its registry. */
export function learnChunkRefusal(knowledge: RegistryKnowledge, refusal: ChunkRefusal): void {
  if ("maxBytes" in refusal) knowledge.chunkMaxBytes = Math.min(knowledge.chunkMaxBytes ?? Infinity, refusal.maxBytes);
  else if ("minBytes" in refusal) knowledge.chunkMinBytes = Math.max(knowledge.chunkMinBytes ?? 0, refusal.minBytes);
  else knowledge.chunkedRefused = refusal.refused;
}

/**
 * The chunk size to use: the one asked for, raised to the registry's minimum and lowered to its
 * maximum; undefined when chunked uploads are not possible there (refused, or the limits cross).
 */
export function chunkSizeFor(asked: number, knowledge: RegistryKnowledge): number | undefined {
  if (knowledge.chunkedRefused !== undefined) return undefined;
  const size = Math.min(Math.max(asked, knowledge.chunkMinBytes ?? 0), knowledge.chunkMaxBytes ?? Infinity);
  return size >= (knowledge.chunkMinBytes ?? 0) && size > 0 ? size : undefined;
}

/** The message rounds (4.00MiB): stay 1% under the limit, on a 64 KiB boundary for limits of a MiB or more. */
function underRoundedLimit(limit: number): number {
  const align = limit >= 1024 * 1024 ? ALIGN : 1;
  return Math.max(1, Math.floor((limit * 0.99) / align) * align);
}

function bytes(value: string, unit: string): number {
  return Math.floor(Number(value) * (UNITS[unit.toLowerCase()] ?? 1));
}
