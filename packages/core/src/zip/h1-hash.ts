import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { Readable } from "node:stream";
import { invalidInput } from "../errors.js";
import { readZip, type ZipLimits } from "./zip-reader.js";

/** A file's `/`-separated path and the hex sha256 of its content. */
export interface HashedFile {
  name: string;
  sha256: string;
}

/**
 * OpenTofu's `h1:` lock-file hash (x/mod sumdb dirhash Hash1): for each file, sorted by the
 * UTF-8 bytes of its name, the line `<sha256 hex>  <name>\n`; then sha256 of all lines as
 * standard base64. See shared/provider-protocol.md §4.
 */
export function h1Hash(files: Iterable<HashedFile>): string {
  const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  const summary = createHash("sha256");
  let previous: string | undefined;
  for (const { name, sha256 } of sorted) {
    if (name.includes("\n")) throw invalidInput(`cannot hash a file name containing a newline: ${JSON.stringify(name)}`);
    if (name === previous) throw invalidInput(`the file ${name} appears twice`);
    previous = name;
    summary.update(`${sha256}  ${name}\n`);
  }
  return `h1:${summary.digest("base64")}`;
}

/** The `h1:` hash of a zip's contents, as OpenTofu computes it for a provider package. */
export async function zipH1(path: string, limits: ZipLimits = {}): Promise<string> {
  const files: HashedFile[] = [];
  await readZip(
    path,
    async (entry) => {
      if (entry.isDirectory) return;
      files.push({ name: entry.name, sha256: await sha256Hex(await entry.open()) });
    },
    limits,
  );
  return h1Hash(files);
}

/** The `h1:` hash of a directory's regular files (what `tofu init` locks after unpacking). */
export async function dirH1(dir: string): Promise<string> {
  const files: HashedFile[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.push({ name: relative(dir, path).split(sep).join("/"), sha256: await sha256Hex(createReadStream(path)) });
  }
  return h1Hash(files);
}

async function sha256Hex(stream: Readable): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
