import { createHash } from "node:crypto";
import { invalidInput, isTofuOciError } from "@tofu-oci/core";
import { readZip, type ZipEntry, type ZipLimits } from "@tofu-oci/core/zip";

/** One zip entry with the sha256 of its content. */
export interface InspectedEntry {
  /** The entry's name as stored in the zip, not validated. */
  name: string;
  /** The name ends with `/`. */
  isDirectory: boolean;
  /** The Unix mode marks a symbolic link. */
  isSymlink: boolean;
  /** Unix permission bits, when the zip was made on Unix. */
  mode: number | undefined;
  /** The size of the stored data; Go's archive/zip refuses to open a directory entry that has some. */
  compressedSize: number;
  /** The hex sha256 of the content. */
  sha256: string;
}

// OpenTofu unzips with go-getter's zero-value ZipDecompressor: no entry or size limits.
const NO_LIMITS = { maxEntries: Infinity, maxTotalSize: Infinity, maxRatio: Infinity };

/**
 * Reads every entry of a zip the way Go's archive/zip does for go-getter's unzip (go-getter
 * decompress_zip.go:29 ZipDecompressor.Decompress, v1.8.6; `empty archive` at :49): the central
 * directory must parse, entries must use Store or Deflate, sizes must match and a CRC-32 that
 * is not 0 must match (core's readZip checks both while streaming). Returns the entries, or what
 * is wrong with the archive: a damaged archive is a problem, never a crash.
 * @param limits zip-bomb limits (see core's `ZipLimits`; `{}` for core's defaults). Default: none,
 *   as OpenTofu unzips.
 */
export async function inspectZip(
  path: string,
  limits: ZipLimits = NO_LIMITS,
): Promise<InspectedEntry[] | { problem: string }> {
  const entries: InspectedEntry[] = [];
  try {
    await readZip(path, async (entry) => void entries.push(await inspectEntry(entry)), limits);
  } catch (error) {
    if (!isTofuOciError(error)) throw error;
    return { problem: error.message.replaceAll(`${path}: `, "").replaceAll(path, "the zip") };
  }
  if (entries.length === 0) return { problem: 'the zip has no entries ("empty archive")' };
  return entries;
}

/**
 * {@link inspectZip} for callers that want an error: reads a provider or module package zip
 * entry by entry, hashing each entry's content.
 * @param limits as for {@link inspectZip}; default none.
 * @throws TofuOciError "invalid-input" (exit 6) when OpenTofu could not read the archive, or it
 *   breaks the limits.
 */
export async function readPackageZip(path: string, limits?: ZipLimits): Promise<InspectedEntry[]> {
  const entries = await inspectZip(path, limits);
  if (!Array.isArray(entries)) {
    throw invalidInput(`${path}: ${entries.problem}`, "Re-create the archive; it may be truncated or damaged.");
  }
  return entries;
}

async function inspectEntry(entry: ZipEntry): Promise<InspectedEntry> {
  const hash = createHash("sha256");
  for await (const chunk of await entry.open()) hash.update(chunk as Buffer);
  const { name, isDirectory, isSymlink, mode, compressedSize } = entry;
  return { name, isDirectory, isSymlink, mode, compressedSize, sha256: hash.digest("hex") };
}

/** What the entry names mean to go-getter: a refusal, and names that work only on some systems. */
export interface NameReview {
  /** Why go-getter refuses to unpack the zip (a `..` name); absent when it unpacks. */
  problem?: string;
  /** Names that unpack on Linux but mean something else on Windows (absolute, drive letter, backslash). */
  warnings: string[];
}

/**
 * go-getter refuses an entry name with a `..` component, split on `/` and `\` (decompress_zip.go:66,
 * containsDotDot at decompress.go:72).
 * Absolute names, drive letters and backslashes are unpacked under the target on Linux, so
 * they pass, with a warning that they mean something else on Windows.
 */
export function reviewNames(entries: ReadonlyArray<{ name: string }>): NameReview {
  const escaping = entries.find((entry) => entry.name.split(/[/\\]/).includes(".."));
  const warnings = [
    odd(entries, (name) => name.startsWith("/"), "absolute names"),
    odd(entries, (name) => /^[a-zA-Z]:/.test(name), "names with a drive letter"),
    odd(entries, (name) => name.includes("\\"), "names with backslashes (directory separators on Windows only)"),
  ].filter((warning): warning is string => warning !== undefined);
  if (!escaping) return { warnings };
  return {
    warnings,
    problem: `the entry "${escaping.name}" has a ".." component ("entry contains '..'"), which OpenTofu refuses as a path escape (zip slip); re-create the zip with paths relative to the package root`,
  };
}

function odd(
  entries: ReadonlyArray<{ name: string }>,
  test: (name: string) => boolean,
  what: string,
): string | undefined {
  const names = entries.map((entry) => entry.name).filter(test);
  if (names.length === 0) return undefined;
  return `${names.length} ${what}, e.g. "${names[0]}"; OpenTofu unpacks them under the package directory`;
}
