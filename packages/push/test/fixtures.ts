import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, writeFileSync } from "node:fs";
import { join } from "node:path";
import { once } from "node:events";
import { crc32 } from "node:zlib";

/** A zip package as tofu-oci-pack describes it. */
export interface ZipFixture {
  file: string;
  digest: string;
  size: number;
}

const DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1;

function localHeader(name: Buffer, crc: number, size: number): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(10, 4);
  header.writeUInt16LE(0x0800, 6);
  header.writeUInt16LE(DOS_DATE_1980, 12);
  header.writeUInt32LE(crc, 14);
  header.writeUInt32LE(size, 18);
  header.writeUInt32LE(size, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name]);
}

function centralEntry(name: Buffer, crc: number, size: number, offset: number): Buffer {
  const entry = Buffer.alloc(46);
  entry.writeUInt32LE(0x02014b50, 0);
  entry.writeUInt16LE((3 << 8) | 20, 4);
  entry.writeUInt16LE(10, 6);
  entry.writeUInt16LE(0x0800, 8);
  entry.writeUInt16LE(DOS_DATE_1980, 14);
  entry.writeUInt32LE(crc, 16);
  entry.writeUInt32LE(size, 20);
  entry.writeUInt32LE(size, 24);
  entry.writeUInt16LE(name.length, 28);
  entry.writeUInt32LE((0o100644 << 16) >>> 0, 38);
  entry.writeUInt32LE(offset, 42);
  return Buffer.concat([entry, name]);
}

function endOfDirectory(count: number, size: number, offset: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return end;
}

/** The bytes of a stored (uncompressed) zip of the given files, deterministic. */
export function zipBytes(files: Record<string, string | Buffer>): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [path, content] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const data = Buffer.from(content);
    const name = Buffer.from(path);
    const header = localHeader(name, crc32(data), data.length);
    central.push(centralEntry(name, crc32(data), data.length, offset));
    parts.push(header, data);
    offset += header.length + data.length;
  }
  const directory = Buffer.concat(central);
  return Buffer.concat([...parts, directory, endOfDirectory(central.length, directory.length, offset)]);
}

/** Writes a zip of `files` into `dir` and describes it. */
export function writeZip(dir: string, name: string, files: Record<string, string | Buffer>): ZipFixture {
  const bytes = zipBytes(files);
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return { file, digest: sha256(bytes), size: bytes.length };
}

/** A module zip with a main.tf that says `marker`, so each test gets its own digest. */
export function writeModuleZip(dir: string, marker: string, name = "module.zip"): ZipFixture {
  return writeZip(dir, name, { "main.tf": `# ${marker}\nvariable "name" {}\n`, "modules/sub/main.tf": "output \"x\" { value = 1 }\n" });
}

/** A zip of one stored entry of `size` random bytes, written as a stream (for large blobs). */
export async function writeLargeZip(dir: string, size: number, name = "large.zip"): Promise<ZipFixture> {
  const file = join(dir, name);
  const entryName = Buffer.from("payload.bin");
  const chunks: Buffer[] = [];
  let crc = 0;
  const chunkSize = 4 * 1024 * 1024;
  // One random chunk repeated: unique per file, cheap to make.
  const pattern = randomBytes(chunkSize);
  for (let written = 0; written < size; written += chunkSize) {
    const chunk = pattern.subarray(0, Math.min(chunkSize, size - written));
    chunks.push(chunk);
  }
  for (const chunk of chunks) crc = crc32(chunk, crc);
  const hash = createHash("sha256");
  const out = createWriteStream(file);
  const write = async (buffer: Buffer) => {
    hash.update(buffer);
    if (!out.write(buffer)) await once(out, "drain");
  };
  const header = localHeader(entryName, crc, size);
  await write(header);
  for (const chunk of chunks) await write(chunk);
  const directory = centralEntry(entryName, crc, size, 0);
  await write(directory);
  await write(endOfDirectory(1, directory.length, header.length + size));
  out.end();
  await once(out, "finish");
  const total = header.length + size + directory.length + 22;
  return { file, digest: `sha256:${hash.digest("hex")}`, size: total };
}

/** A provider release zip named as goreleaser names them, holding the provider executable. */
export function writeProviderZip(dir: string, type: string, version: string, os: string, arch: string): ZipFixture & { os: string; arch: string } {
  const zip = writeZip(dir, `terraform-provider-${type}_${version}_${os}_${arch}.zip`, {
    [`terraform-provider-${type}_v${version}`]: `#!/bin/sh\n# ${type} ${version} ${os}/${arch} ${randomBytes(8).toString("hex")}\n`,
  });
  return { ...zip, os, arch };
}

/** The package record tofu-oci-pack prints for a module zip. */
export function moduleRecord(zip: ZipFixture) {
  return { kind: "package", type: "module", file: zip.file, digest: zip.digest, size: zip.size, mediaType: "archive/zip", files: 2 };
}

/** The package record tofu-oci-pack prints for provider release zips. */
export function providerRecord(provider: string, version: string, zips: Array<ZipFixture & { os: string; arch: string }>) {
  return {
    kind: "package",
    type: "provider",
    provider,
    version,
    platforms: zips.map(({ os, arch, file, digest, size }) => ({ os, arch, file, digest, size })),
  };
}

export const SPDX = JSON.stringify({ spdxVersion: "SPDX-2.3", SPDXID: "SPDXRef-DOCUMENT", name: "network", dataLicense: "CC0-1.0", packages: [] });
export const CYCLONEDX = JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.5", version: 1, components: [] });

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
