import { createReadStream, createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";
import { TofuOciError, invalidInput } from "@tofu-oci/core";
import { readZip, unsafeEntryReason } from "@tofu-oci/core/zip";
import type { ArchiveFormat } from "./package-address.js";

/** Bounds on what one module package may unpack to. */
const MAX_ENTRIES = 100_000;
const MAX_TOTAL_SIZE = 4 * 1024 ** 3;

/**
 * Unpacks a module package archive into `directory` (which must exist and be empty). Entries
 * whose names would leave the directory, links and devices are refused, as are archives past
 * 100 000 entries or 4 GiB.
 * @throws TofuOciError "invalid-input" (exit 6) for a damaged or unsafe archive.
 */
export async function unpackArchive(
  file: string,
  format: ArchiveFormat,
  directory: string,
  what: string,
): Promise<void> {
  await mkdir(directory, { recursive: true });
  if (format === "zip") await unpackZip(file, directory, what);
  else await unpackTarGz(file, directory, what);
}

async function unpackZip(file: string, directory: string, what: string): Promise<void> {
  await readZip(file, async (entry) => {
    if (entry.isSymlink) throw unsafe(what, entry.name, "it is a symbolic link");
    const path = safePath(directory, entry.name, what);
    if (entry.isDirectory) return void (await mkdir(path, { recursive: true }));
    await writeEntry(path, await entry.open(), entry.mode);
  });
}

async function unpackTarGz(file: string, directory: string, what: string): Promise<void> {
  const extract = tar.extract();
  const reading = pipeline(createReadStream(file), createGunzip(), extract).catch((error: unknown) => {
    throw notTarGz(what, error);
  });
  let entries = 0;
  let total = 0;
  try {
    for await (const entry of extract) {
      if (++entries > MAX_ENTRIES) throw invalidInput(`${what} has more than ${MAX_ENTRIES} entries`);
      total += entry.header.size ?? 0;
      if (total > MAX_TOTAL_SIZE) throw invalidInput(`${what} unpacks to more than ${MAX_TOTAL_SIZE} bytes`);
      await unpackTarEntry(entry, directory, what);
    }
    await reading;
  } catch (error) {
    extract.destroy();
    await reading.catch(() => {});
    throw notTarGz(what, error);
  }
}

function notTarGz(what: string, error: unknown): unknown {
  if (error instanceof TofuOciError) return error;
  return invalidInput(
    `${what} is not a valid tar.gz archive: ${(error as Error).message}`,
    "The package is damaged, or not the archive its name says.",
    error,
  );
}

async function unpackTarEntry(entry: tar.Entry, directory: string, what: string): Promise<void> {
  const { type = "file", name } = entry.header;
  if (type === "pax-header" || type === "pax-global-header") return drain(entry);
  const normalized = name.replace(/^(\.\/)+/, "");
  if (normalized === "" || normalized === ".") return drain(entry);
  const path = safePath(directory, normalized.replace(/\/$/, ""), what);
  if (type === "directory") {
    await mkdir(path, { recursive: true });
    return drain(entry);
  }
  if (type !== "file" && type !== "contiguous-file") throw unsafe(what, name, `it is a ${type}`);
  await writeEntry(path, entry, entry.header.mode);
}

/** The path an entry unpacks to, or an error when its name would leave `directory`. */
function safePath(directory: string, name: string, what: string): string {
  const reason = unsafeEntryReason(name);
  if (reason) throw unsafe(what, name, reason);
  return join(directory, ...name.split("/"));
}

/** Writes an entry, keeping only whether it is executable (pack normalizes modes anyway). */
async function writeEntry(path: string, content: Readable, mode: number | undefined): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await pipeline(
    content,
    createWriteStream(path, { mode: mode !== undefined && (mode & 0o111) !== 0 ? 0o755 : 0o644 }),
  );
}

async function drain(entry: Readable): Promise<void> {
  for await (const _ of entry);
}

function unsafe(what: string, name: string, reason: string): TofuOciError {
  return invalidInput(
    `${what}: refusing entry "${name}": ${reason}`,
    "The archive is unsafe to unpack; ask its publisher to fix it.",
  );
}
