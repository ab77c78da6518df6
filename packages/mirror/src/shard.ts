import { createHash } from "node:crypto";
import { usageError } from "@tofu-oci/core";

/** Share `index` (1-based) of `count` shares of a mirror's work: `--shard K/N`. */
export interface Shard {
  /** Which share this machine does, from 1 to `count`. */
  index: number;
  /** How many shares the work is split into (machines), at least 1. */
  count: number;
}

/**
 * Parses `K/N` (1 <= K <= N): N machines, each given one K, together do the whole mirror once.
 * @throws TofuOciError "usage" (exit 2) for anything else.
 */
export function parseShard(text: string): Shard {
  const match = /^(\d{1,6})\/(\d{1,6})$/.exec(text.trim());
  const shard = match ? { index: Number(match[1]), count: Number(match[2]) } : undefined;
  if (!shard)
    throw usageError(`invalid --shard "${text}"`, "Write K/N, e.g. 2/4 for the second of four shares (1 <= K <= N).");
  return assertShard(shard, text);
}

/** Checks a shard given as an object (the library option). */
export function assertShard(shard: Shard, text = `${shard.index}/${shard.count}`): Shard {
  const valid =
    Number.isInteger(shard.index) && Number.isInteger(shard.count) && shard.index >= 1 && shard.index <= shard.count;
  if (!valid) throw usageError(`invalid --shard "${text}"`, "K must be from 1 to N, e.g. 1/4 to 4/4 for four shares.");
  return shard;
}

/**
 * Whether the item named `key` (a tag, or `namespace/type version`) is this shard's work. The
 * share depends on the key alone (its SHA-256), never on what else exists, so an item stays
 * with its shard as the source grows and each shard's re-runs stay incremental. No shard: all.
 */
export function inShard(shard: Shard | undefined, key: string): boolean {
  if (!shard || shard.count === 1) return true;
  return createHash("sha256").update(key).digest().readUInt32BE(0) % shard.count === shard.index - 1;
}
