import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBin, type BinResult, type RunBinOptions } from "@tofu-oci/testkit";

/** Runs the built tofu-oci-pack bin. */
export function pack(args: string[], options: RunBinOptions = {}): Promise<BinResult> {
  return runBin("pack", args, { timeoutMs: 120_000, ...options });
}

/** A file to create: content, and optionally a mode (after the umask). */
export interface TreeFile {
  path: string;
  content: string;
  mode?: number;
}

/**
 * Creates the files in the given order in a child process with its own umask (process.umask is
 * not available in test workers), so the test really varies the umask.
 */
export function writeTree(root: string, files: readonly TreeFile[], umask: number): void {
  const spec = join(root, "..", `.tree-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(spec, JSON.stringify({ root, files }));
  const script = `
    const { mkdirSync, writeFileSync } = require("node:fs");
    const { dirname, join } = require("node:path");
    const { root, files } = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    for (const file of files) {
      mkdirSync(dirname(join(root, file.path)), { recursive: true });
      writeFileSync(join(root, file.path), file.content, file.mode === undefined ? {} : { mode: file.mode });
    }`;
  execFileSync("sh", ["-c", `umask ${umask.toString(8)} && exec "$0" -e "$1" "$2"`, process.execPath, script, spec]);
}

/** Entries of a zip's central directory, as raw fields. */
export interface RawZipEntry {
  name: string;
  versionMadeBy: number;
  flags: number;
  method: number;
  dosTime: number;
  dosDate: number;
  extraLength: number;
  localExtraLength: number;
  externalAttributes: number;
}

/** Parses a (small, non-ZIP64) zip's central directory byte by byte. */
export function readCentralDirectory(file: string): RawZipEntry[] {
  const bytes = readFileSync(file);
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = bytes.readUInt16LE(end + 10);
  let offset = bytes.readUInt32LE(end + 16);
  const entries: RawZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = bytes.readUInt16LE(offset + 28);
    const extraLength = bytes.readUInt16LE(offset + 30);
    const commentLength = bytes.readUInt16LE(offset + 32);
    const localOffset = bytes.readUInt32LE(offset + 42);
    entries.push({
      name: bytes.subarray(offset + 46, offset + 46 + nameLength).toString("utf8"),
      versionMadeBy: bytes.readUInt16LE(offset + 4),
      flags: bytes.readUInt16LE(offset + 8),
      method: bytes.readUInt16LE(offset + 10),
      dosTime: bytes.readUInt16LE(offset + 12),
      dosDate: bytes.readUInt16LE(offset + 14),
      extraLength,
      localExtraLength: bytes.readUInt16LE(localOffset + 28),
      externalAttributes: bytes.readUInt32LE(offset + 38),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Every file below `dir` (relative paths), to check that nothing was left behind. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}
