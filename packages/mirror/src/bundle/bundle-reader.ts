import { createReadStream } from "node:fs";
import { mkdir, open, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";
import { DigestVerifier, MANIFEST_SIZE_LIMIT, TofuOciError, invalidInput, readAll, writeStreamAtomic } from "@tofu-oci/core";
import { INDEX_FILE, LAYOUT_FILE, blobPath } from "./layout-names.js";

/** What a bundle held, once unpacked and every blob's digest checked. */
export interface ExtractedBundle {
  /** The OCI image layout directory the bundle was unpacked into. */
  directory: string;
  /** Size of every blob, by digest. */
  blobs: Map<string, number>;
  /** Entries that are not part of an OCI layout and were skipped. */
  ignored: string[];
}

const BLOB_NAME = /^blobs\/sha256\/([a-f0-9]{64})$/;

/**
 * Unpacks a tar (or gzip-compressed tar) of an OCI image layout into `directory`, streaming
 * each blob to disk through a digest check: a blob whose bytes do not match its name fails the
 * whole import (exit 1) before anything is sent anywhere. Links, devices and unsafe names are
 * refused; the layout must have `oci-layout` and `index.json`.
 * @throws TofuOciError "verification-failed" (exit 1) or "invalid-input" (exit 6).
 */
export async function extractBundle(file: string, directory: string): Promise<ExtractedBundle> {
  await mkdir(join(directory, "blobs", "sha256"), { recursive: true });
  const extract = tar.extract();
  const gzip = await isGzip(file);
  const source = createReadStream(file);
  const reading = (gzip ? pipeline(source, createGunzip(), extract) : pipeline(source, extract)).catch((error: unknown) => {
    throw notATar(file, error);
  });
  const result: ExtractedBundle = { directory, blobs: new Map(), ignored: [] };
  const seen = new Set<string>();
  try {
    for await (const entry of extract) {
      await unpackEntry(entry, file, result, seen);
    }
    await reading;
  } catch (error) {
    extract.destroy();
    await reading.catch(() => {});
    throw notATar(file, error);
  }
  for (const required of [LAYOUT_FILE, INDEX_FILE]) {
    if (!seen.has(required)) throw invalidInput(`${file} is not an OCI layout bundle: it has no ${required}`, "Make bundles with tofu-oci-mirror export.");
  }
  return result;
}

async function unpackEntry(entry: tar.Entry, file: string, result: ExtractedBundle, seen: Set<string>): Promise<void> {
  const name = entry.header.name.replace(/^\.\//, "");
  const type = entry.header.type ?? "file";
  if (type === "directory" || type === "pax-header" || type === "pax-global-header") return drain(entry);
  if (type !== "file" && type !== "contiguous-file") throw invalidInput(`${file}: ${name} is a ${type}, which a bundle must not contain`, "Make bundles with tofu-oci-mirror export.");
  const size = entry.header.size ?? 0;
  const blob = BLOB_NAME.exec(name);
  if (blob) {
    const digest = `sha256:${blob[1]}`;
    await writeStreamAtomic(join(result.directory, blobPath(digest)), entry, new DigestVerifier({ digest, size }, `blob ${digest} in ${file}`));
    result.blobs.set(digest, size);
  } else if (name === LAYOUT_FILE || name === INDEX_FILE) {
    await writeFile(join(result.directory, name), await readAll(entry, MANIFEST_SIZE_LIMIT, `${name} in ${file}`));
  } else {
    result.ignored.push(name);
    return drain(entry);
  }
  seen.add(name);
}

/** True when the file starts with the gzip magic bytes. */
async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, "r").catch((error: unknown) => {
    throw invalidInput(`cannot read the bundle ${file}: ${(error as Error).message}`);
  });
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    return head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function drain(entry: Readable): Promise<void> {
  for await (const _ of entry);
}

function notATar(file: string, error: unknown): unknown {
  if (error instanceof TofuOciError) return error;
  return invalidInput(`${file} is not a readable tar file: ${(error as Error).message}`, "The bundle is damaged or truncated; copy it again.", error);
}

