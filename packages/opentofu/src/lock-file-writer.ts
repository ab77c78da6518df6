import { canonicalConstraints } from "./constraints-string.js";
import { quoteHclString } from "./hcl.js";
import type { LockFile, ProviderLock } from "./lock-file.js";
import { parseProviderAddress, type ProviderAddress } from "./provider-address.js";

/** The two comment lines OpenTofu starts every lock file with (internal/depsfile/locks_file.go:145). */
export const LOCK_FILE_HEADER =
  '# This file is maintained automatically by "tofu init".\n# Manual edits may be lost in future updates.\n';

/**
 * `.terraform.lock.hcl` byte for byte as `tofu init` and `tofu providers lock` write it
 * (internal/depsfile/locks_file.go:127 SaveLocksToBytes, formatted by hclwrite): the header, then
 * one `provider` block per provider sorted by hostname, namespace and type
 * (registry-address provider.go:174 LessThan), each after a blank line; `version`, then
 * `constraints` in canonical form when there are any ({@link canonicalConstraints}; the two
 * aligned on `=` as hclwrite's format aligns consecutive one-line attributes), then the hashes
 * sorted and without duplicates (internal/depsfile/locks.go:182 NewProviderLock), one per line
 * with a trailing comma (locks_file.go:472 encodeHashSetTokens). An entry without hashes has no
 * `hashes` argument. A file OpenTofu wrote, read with `parseLockFile` and written here, is the
 * same bytes.
 */
export function formatLockFile(lock: LockFile): string {
  const blocks = [...lock.providers.values()].sort(compareLocks).map(formatProviderBlock);
  return LOCK_FILE_HEADER + blocks.map((block) => `\n${block}`).join("");
}

function formatProviderBlock(lock: ProviderLock): string {
  const constraints = lock.constraints === undefined ? "" : canonicalForm(lock.constraints);
  const attributes: Array<[string, string]> = [["version", quoteHclString(lock.version)]];
  if (constraints !== "") attributes.push(["constraints", quoteHclString(constraints)]);
  const width = Math.max(...attributes.map(([name]) => name.length));
  const lines = attributes.map(([name, value]) => `  ${name.padEnd(width)} = ${value}\n`);
  const hashes = sortedHashes(lock.hashes);
  if (hashes.length > 0)
    lines.push(`  hashes = [\n${hashes.map((hash) => `    ${quoteHclString(hash)},\n`).join("")}  ]\n`);
  return `provider ${quoteHclString(lock.address)} {\n${lines.join("")}}\n`;
}

/** Constraints as OpenTofu re-writes them; text it cannot parse is kept as given (its loader reports it). */
function canonicalForm(constraints: string): string {
  try {
    return canonicalConstraints([constraints]);
  } catch {
    return constraints;
  }
}

/** locks.go:190: sorted by byte value (hashes are ASCII), duplicates dropped. */
function sortedHashes(hashes: readonly string[]): string[] {
  return [...new Set(hashes)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function compareLocks(a: ProviderLock, b: ProviderLock): number {
  const [x, y] = [addressOf(a.address), addressOf(b.address)];
  for (const part of ["hostname", "namespace", "type"] as const) {
    if (x[part] !== y[part]) return x[part] < y[part] ? -1 : 1;
  }
  return 0;
}

function addressOf(label: string): ProviderAddress {
  return parseProviderAddress(label, { form: "qualified" });
}
