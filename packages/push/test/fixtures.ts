import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, writeFileSync } from "node:fs";
import { join } from "node:path";
import { once } from "node:events";
import { buildZip, endOfCentralDirectory, storedEntry } from "@tofu-oci/testkit";
import { crc32 } from "node:zlib";
import type { ModulePackageRecord, ProviderPackageRecord } from "@tofu-oci/core";

/** A zip package as tofu-oci-pack describes it. */
export interface ZipFixture {
  file: string;
  digest: string;
  size: number;
}

/** The bytes of a stored (uncompressed) zip of the given files, sorted by name, deterministic. */
export function zipBytes(files: Record<string, string | Buffer>): Buffer {
  return buildZip(
    Object.entries(files)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, content]) => ({ name, content })),
  );
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
  return writeZip(dir, name, {
    "main.tf": `# ${marker}\nvariable "name" {}\n`,
    "modules/sub/main.tf": 'output "x" { value = 1 }\n',
  });
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
  const { local: header, central: directory } = storedEntry(entryName, size, crc, 0);
  await write(header);
  for (const chunk of chunks) await write(chunk);
  await write(directory);
  await write(endOfCentralDirectory(1, directory.length, header.length + size));
  out.end();
  await once(out, "finish");
  const total = header.length + size + directory.length + 22;
  return { file, digest: `sha256:${hash.digest("hex")}`, size: total };
}

/** A provider release zip named as goreleaser names them, holding the provider executable. */
export function writeProviderZip(
  dir: string,
  type: string,
  version: string,
  os: string,
  arch: string,
): ZipFixture & { os: string; arch: string } {
  const zip = writeZip(dir, `terraform-provider-${type}_${version}_${os}_${arch}.zip`, {
    [`terraform-provider-${type}_v${version}`]: `#!/bin/sh\n# ${type} ${version} ${os}/${arch} ${randomBytes(8).toString("hex")}\n`,
  });
  return { ...zip, os, arch };
}

/** The package record tofu-oci-pack prints for a module zip. */
export function moduleRecord(zip: ZipFixture): ModulePackageRecord {
  return {
    kind: "package",
    type: "module",
    file: zip.file,
    digest: zip.digest,
    size: zip.size,
    mediaType: "archive/zip",
    files: 2,
  };
}

/** The package record tofu-oci-pack prints for provider release zips. */
export function providerRecord(
  provider: string,
  version: string,
  zips: Array<ZipFixture & { os: string; arch: string }>,
): ProviderPackageRecord {
  return {
    kind: "package",
    type: "provider",
    provider,
    version,
    platforms: zips.map(({ os, arch, file, digest, size }) => ({ os, arch, file, digest, size })),
  };
}

export const SPDX = JSON.stringify({
  spdxVersion: "SPDX-2.3",
  SPDXID: "SPDXRef-DOCUMENT",
  name: "network",
  dataLicense: "CC0-1.0",
  packages: [],
});
export const CYCLONEDX = JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.5", version: 1, components: [] });

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
