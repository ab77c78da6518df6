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
    const local = Buffer.concat([header(0x04034b50, name, data.length, crc), name, data]);
    central.push(Buffer.concat([centralHeader(name, data.length, crc, offset, mode(spec)), name]));
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(central);
  return Buffer.concat([...locals, directory, end(specs.length, directory.length, offset)]);
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

function end(count: number, size: number, offset: number): Buffer {
  const buffer = Buffer.alloc(22);
  buffer.writeUInt32LE(0x06054b50, 0);
  buffer.writeUInt16LE(count, 8);
  buffer.writeUInt16LE(count, 10);
  buffer.writeUInt32LE(size, 12);
  buffer.writeUInt32LE(offset, 16);
  return buffer;
}

/** The fake provider package of OpenTofu's tests (internal/getproviders/mock_source.go). */
export const FAKE_PROVIDER = {
  name: "terraform-provider-test_1.2.3",
  content: "This is a fake provider package for registry.opentofu.org/hashicorp/test 1.2.3, not a real provider.\n",
  /** Asserted in internal/command/init_test.go. */
  h1: "h1:8CjxaUBuegKZSFnRos39Fs+CS78ax0Dyb7aIA5XBiNI=",
  address: "registry.opentofu.org/hashicorp/test",
};
