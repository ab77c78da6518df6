// Archives that attack their reader: truncated, zip bombs by ratio and by size, and tars of
// any entry (links, escaping names). Tests of every package that reads archives share them.
import { crc32, deflateRawSync } from "node:zlib";
import { buildZip, endOfCentralDirectory, storedEntry } from "./zip-builder.js";

/** A valid zip with its central directory cut off. */
export function truncatedZip(): Buffer {
  const zip = buildZip([{ name: "main.tf", content: 'variable "x" {}\n'.repeat(64) }]);
  return zip.subarray(0, zip.length - 40);
}

/**
 * A zip of one deflated entry `name` holding `size` zero bytes: a ratio bomb (deflate reaches
 * about 1030:1) that stays small on disk.
 */
export function ratioBomb(name: string, size = 16 * 1024 * 1024): Buffer {
  const data = Buffer.alloc(size);
  const packed = deflateRawSync(data, { level: 9 });
  const { local, central } = storedEntry(Buffer.from(name), size, crc32(data), 0, 0o100755);
  // Turn the stored entry into a deflated one: method 8 and the compressed size.
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(packed.length, 18);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(packed.length, 20);
  const first = Buffer.concat([local, packed]);
  return Buffer.concat([first, central, endOfCentralDirectory(1, central.length, first.length)]);
}

/**
 * A zip of one deflated entry `name` whose headers declare `declared` bytes while it inflates to
 * more: Go's archive/zip (so OpenTofu) and yauzl fail reading it ("too many bytes").
 */
export function lyingSizeZip(name: string, declared = 10): Buffer {
  const data = Buffer.from('variable "x" {}\n'.repeat(200));
  const packed = deflateRawSync(data);
  const { local, central } = storedEntry(Buffer.from(name), declared, crc32(data), 0, 0o100644);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(packed.length, 18);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(packed.length, 20);
  const first = Buffer.concat([local, packed]);
  return Buffer.concat([first, central, endOfCentralDirectory(1, central.length, first.length)]);
}

/** A zip whose central directory declares two 3 GiB entries that are not there: a size bomb. */
export function sizeBomb(name: string): Buffer {
  const big = 3 * 1024 ** 3;
  const a = storedEntry(Buffer.from(name), big, 0, 0, 0o100755);
  const b = storedEntry(Buffer.from(`${name}-2`), big, 0, 0, 0o100644);
  const directory = Buffer.concat([a.central, b.central]);
  return Buffer.concat([a.local, directory, endOfCentralDirectory(2, directory.length, a.local.length)]);
}

/** One ustar entry: a file with content, or a symbolic link. */
export interface TarSpec {
  name: string;
  content?: string;
  symlinkTo?: string;
}

/** A POSIX ustar archive of exactly the entries given, any name allowed. */
export function buildTar(specs: TarSpec[]): Buffer {
  const blocks: Buffer[] = [];
  for (const spec of specs) {
    const data = Buffer.from(spec.content ?? "");
    blocks.push(tarHeader(spec, spec.symlinkTo ? 0 : data.length));
    if (!spec.symlinkTo) blocks.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  return Buffer.concat([...blocks, Buffer.alloc(1024)]);
}

function tarHeader(spec: TarSpec, size: number): Buffer {
  const header = Buffer.alloc(512);
  header.write(spec.name, 0, 100, "utf8");
  header.write("0000644\0", 100);
  header.write("0000000\0", 108);
  header.write("0000000\0", 116);
  header.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
  header.write("00000000000\0", 136);
  header.write(spec.symlinkTo ? "2" : "0", 156);
  if (spec.symlinkTo) header.write(spec.symlinkTo, 157, 100, "utf8");
  header.write("ustar\0", 257);
  header.write("00", 263);
  header.fill(" ", 148, 156);
  const sum = header.reduce((total, byte) => total + byte, 0);
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return header;
}
