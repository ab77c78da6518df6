// Test data for benchmark scenarios: large stored zips streamed to disk (module layers, provider
// release zips), cached by name in a directory every scenario of a run shares.
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { testkit } from "./lib.mjs";

const CHUNK = 8 * 1024 * 1024;

/**
 * A zip of one stored entry `entry` holding `bytes` incompressible bytes (one random 8 MiB
 * chunk repeated, so distinct seeds give distinct digests), written once into `dir` and reused.
 * Returns `{ file, digest, size }`.
 * @param {string} dir
 * @param {{ name: string, entry: string, bytes: number, mode?: number }} spec
 */
export async function storedZip(dir, { name, entry, bytes, mode = 0o100644 }) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  const infoFile = `${file}.json`;
  if (existsSync(infoFile) && existsSync(file)) {
    const info = JSON.parse(readFileSync(infoFile, "utf8"));
    if (statSync(file).size === info.size) return info;
  }
  const chunk = randomBytes(CHUNK);
  const chunks = Math.ceil(bytes / CHUNK);
  const pieces = (i) => (i < chunks - 1 ? chunk : chunk.subarray(0, bytes - CHUNK * (chunks - 1)));
  let crc = 0;
  for (let i = 0; i < chunks; i++) crc = crc32(pieces(i), crc);
  const { storedEntry, endOfCentralDirectory } = await testkit();
  const { local, central } = storedEntry(Buffer.from(entry), bytes, crc, 0, mode);
  const end = endOfCentralDirectory(1, central.length, local.length + bytes);

  const hash = createHash("sha256");
  const out = createWriteStream(file);
  const write = async (buffer) => {
    hash.update(buffer);
    if (!out.write(buffer)) await once(out, "drain");
  };
  await write(local);
  for (let i = 0; i < chunks; i++) await write(pieces(i));
  await write(Buffer.concat([central, end]));
  out.end();
  await once(out, "finish");
  const info = { file, digest: `sha256:${hash.digest("hex")}`, size: statSync(file).size };
  writeFileSync(infoFile, JSON.stringify(info));
  return info;
}

/** The package record tofu-oci-pack prints for a module zip (what tofu-oci-push reads on stdin). */
export function modulePackageRecord(zip) {
  return { kind: "package", type: "module", file: zip.file, digest: zip.digest, size: zip.size, mediaType: "archive/zip", files: 1 };
}
