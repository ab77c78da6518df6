import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { digestHex, invalidInput } from "@tofu-oci/core";
import { planUnpack, type UnpackPlan } from "./unpack-plan.js";
import type { InspectedEntry } from "./zip-inspect.js";

// Two h1: hashes of one provider zip exist in OpenTofu, both x/mod dirhash.Hash1 (golang/mod
// sumdb/dirhash/hash.go:44) over a different list of files:
// - over the zip's raw entries (HashZip, hash.go:115): what OpenTofu compares the lock file's h1:
//   hashes against before it unpacks an archive (internal/getproviders/hash.go:437 PackageHashV1
//   of a PackageLocalArchive);
// - over the files of the unpacked directory (HashDir, hash.go:70): what `tofu init` and
//   `tofu providers lock` write into the lock file (hash.go:426, PackageHashV1 of a
//   PackageLocalDir, after internal/providercache installed the package).
// Release zips are flat, with no directory entries and no repeated names, so both agree there.

/** A file's `/`-separated path and the hex sha256 of its content. */
export interface HashedFile {
  /** The file's `/`-separated path inside the package. */
  name: string;
  /** The hex SHA-256 of the file's content. */
  sha256: string;
}

const EMPTY_SHA256 = createHash("sha256").digest("hex");

/**
 * x/mod `dirhash.Hash1` over a set of distinct files: for each file, sorted by the UTF-8 bytes of
 * its name, the line `<sha256 hex>  <name>\n`; then `h1:` and the standard base64 of the sha256 of
 * all lines (docs/contract/provider-protocol.md §4).
 * @throws TofuOciError "invalid-input" for a name with a newline (dirhash refuses it) or a name
 *   given twice (a directory cannot hold it twice).
 */
export function h1OfFiles(files: Iterable<HashedFile>): string {
  const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  let previous: string | undefined;
  for (const { name } of sorted) {
    if (name === previous) throw invalidInput(`the file ${name} appears twice`);
    previous = name;
  }
  return hash1(sorted);
}

/**
 * The `h1:` of a directory's files (`dirhash.HashDir`, golang/mod sumdb/dirhash/hash.go:70): what
 * `tofu init` records for an installed provider (internal/getproviders/hash.go:426).
 */
export async function h1OfDirectory(dir: string): Promise<string> {
  const files: HashedFile[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) continue;
    const path = join(entry.parentPath, entry.name);
    files.push({ name: relative(dir, path).split(sep).join("/"), sha256: await sha256Hex(createReadStream(path)) });
  }
  return h1OfFiles(files);
}

/**
 * The `h1:` of a zip over its raw entries (`dirhash.HashZip`, golang/mod sumdb/dirhash/hash.go:115):
 * what OpenTofu computes of a provider archive to compare with the lock file's `h1:` hashes before
 * unpacking it (internal/getproviders/hash.go:437, used by package_location_local_archive.go:39
 * InstallProviderPackage, which every registry, mirror and OCI install goes through). Every entry
 * counts, directories included with empty content, and a repeated name is hashed twice with the
 * content of its last entry.
 * @throws TofuOciError "invalid-input" where Go fails: a name with a newline, or a directory entry
 *   with data (archive/zip opens it as an error).
 */
export function h1OfZipEntries(entries: readonly InspectedEntry[]): string {
  const last = new Map<string, InspectedEntry>(entries.map((entry) => [entry.name, entry]));
  const files = entries.map((entry) => {
    const content = last.get(entry.name)!;
    if (content.isDirectory && content.compressedSize !== 0) {
      throw invalidInput(`the directory entry ${JSON.stringify(entry.name)} has data ("zip: not a valid zip file")`);
    }
    return { name: entry.name, sha256: content.isDirectory ? EMPTY_SHA256 : content.sha256 };
  });
  return hash1(files.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name))));
}

/**
 * The `h1:` of the directory a zip unpacks to (`dirhash.HashDir` after go-getter's unzip, as
 * planned by `planUnpack`): what `tofu init` writes into the lock file for the package
 * (internal/getproviders/hash.go:426). Directory entries add nothing; of a repeated name, the last
 * entry is the file.
 * @param plan the unpack plan of `entries`, when the caller has it already.
 * @throws TofuOciError "invalid-input" when go-getter could not unpack the zip.
 */
export function h1OfUnpackedPackage(entries: readonly InspectedEntry[], plan?: UnpackPlan): string {
  const unpacked = plan ?? planUnpack(entries);
  if ("problem" in unpacked) throw invalidInput(`the zip does not unpack: ${unpacked.problem}`);
  return h1OfFiles([...unpacked.files].map(([name, index]) => ({ name, sha256: entries[index]!.sha256 })));
}

/**
 * OpenTofu's `zh:` hash of a zip from its sha256 digest (`sha256:<hex>` or the hex alone): `zh:`
 * and the lowercase hex (internal/getproviders/hash.go:370 HashLegacyZipSHAFromSHA). For an OCI
 * provider package it is the layer digest (package_location_oci_blob_archive.go:273).
 */
export function zhOf(digest: string): string {
  return `zh:${digest.startsWith("sha256:") ? digestHex(digest) : digest.toLowerCase()}`;
}

/** The two `h1:` hashes of a provider zip (see `h1OfZipEntries` and `h1OfUnpackedPackage`). */
export interface PackageHashes {
  /** What OpenTofu compares against the lock before unpacking; `error` when Go fails to compute it. */
  h1OfZipEntries: string | { error: string };
  /** What tofu init writes into the lock file. */
  h1OfUnpackedPackage: string;
}

/**
 * Both `h1:` hashes of an inspected provider zip, in one pass over the hashes already made: the
 * error of `h1OfZipEntries` is kept as a value, since OpenTofu only fails on it when an `h1:`
 * comes up in the lock before a match.
 */
export function packageHashes(entries: readonly InspectedEntry[], plan: UnpackPlan): PackageHashes {
  let zip: PackageHashes["h1OfZipEntries"];
  try {
    zip = h1OfZipEntries(entries);
  } catch (error) {
    zip = { error: (error as Error).message };
  }
  return { h1OfZipEntries: zip, h1OfUnpackedPackage: h1OfUnpackedPackage(entries, plan) };
}

function hash1(sorted: readonly HashedFile[]): string {
  const summary = createHash("sha256");
  for (const { name, sha256 } of sorted) {
    if (name.includes("\n")) {
      throw invalidInput(`dirhash: filenames with newlines are not supported (${JSON.stringify(name)})`);
    }
    summary.update(`${sha256}  ${name}\n`);
  }
  return `h1:${summary.digest("base64")}`;
}

async function sha256Hex(stream: NodeJS.ReadableStream): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
