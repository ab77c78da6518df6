import { crc32 } from "node:zlib";

/** One entry of a test zip, written in the order given. */
export interface ZipSpec {
  name: string;
  content?: string | Buffer;
  /** Unix permission bits. Default 0644 (0755 for directories). */
  mode?: number;
  /** Declare this CRC-32 instead of the real one (to damage the archive). */
  crc?: number;
}

const DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1;

/**
 * A stored (uncompressed) zip with entries exactly as given: any name, order, duplicate or
 * directory (a name ending in "/"), fixed 1980 timestamps, Unix modes. Tests build broken
 * packages with it that no well-behaved zip tool would write.
 */
export function buildZip(specs: ZipSpec[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const spec of specs) {
    const name = Buffer.from(spec.name, "utf8");
    const data = Buffer.from(spec.content ?? "");
    const crc = spec.crc ?? crc32(data);
    const parts = storedEntry(name, data.length, crc, offset, mode(spec));
    const local = Buffer.concat([parts.local, data]);
    central.push(parts.central);
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(central);
  return Buffer.concat([...locals, directory, endOfCentralDirectory(specs.length, directory.length, offset)]);
}

/**
 * The headers of one stored entry whose data starts after `local` at `offset`, for tests that
 * stream large zips instead of building them in memory.
 */
export function storedEntry(
  name: Buffer,
  size: number,
  crc: number,
  offset: number,
  unixMode = 0o100644,
): { local: Buffer; central: Buffer } {
  return {
    local: Buffer.concat([header(0x04034b50, name, size, crc), name]),
    central: Buffer.concat([centralHeader(name, size, crc, offset, unixMode), name]),
  };
}

function mode(spec: ZipSpec): number {
  const isDir = spec.name.endsWith("/");
  return ((isDir ? 0o040000 : 0o100000) | (spec.mode ?? (isDir ? 0o755 : 0o644))) >>> 0;
}

function header(signature: number, name: Buffer, size: number, crc: number): Buffer {
  const buffer = Buffer.alloc(30);
  buffer.writeUInt32LE(signature, 0);
  buffer.writeUInt16LE(10, 4);
  buffer.writeUInt16LE(0x0800, 6);
  buffer.writeUInt16LE(DOS_DATE_1980, 12);
  buffer.writeUInt32LE(crc >>> 0, 14);
  buffer.writeUInt32LE(size, 18);
  buffer.writeUInt32LE(size, 22);
  buffer.writeUInt16LE(name.length, 26);
  return buffer;
}

function centralHeader(name: Buffer, size: number, crc: number, offset: number, unixMode: number): Buffer {
  const buffer = Buffer.alloc(46);
  buffer.writeUInt32LE(0x02014b50, 0);
  buffer.writeUInt16LE((3 << 8) | 20, 4);
  buffer.writeUInt16LE(10, 6);
  buffer.writeUInt16LE(0x0800, 8);
  buffer.writeUInt16LE(DOS_DATE_1980, 14);
  buffer.writeUInt32LE(crc >>> 0, 16);
  buffer.writeUInt32LE(size, 20);
  buffer.writeUInt32LE(size, 24);
  buffer.writeUInt16LE(name.length, 28);
  buffer.writeUInt32LE((unixMode << 16) >>> 0, 38);
  buffer.writeUInt32LE(offset, 42);
  return buffer;
}

/** The end-of-central-directory record. */
export function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  const buffer = Buffer.alloc(22);
  buffer.writeUInt32LE(0x06054b50, 0);
  buffer.writeUInt16LE(count, 8);
  buffer.writeUInt16LE(count, 10);
  buffer.writeUInt32LE(size, 12);
  buffer.writeUInt32LE(offset, 16);
  return buffer;
}
