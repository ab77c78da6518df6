import { open } from "node:fs/promises";
import { openElf } from "./elf.js";
import { FileReader, type Executable } from "./file-reader.js";
import { openMacho } from "./macho.js";
import { parseModInfo, type GoBuildInfo } from "./modinfo.js";
import { openPe } from "./pe.js";

/**
 * Why no build info was read: not an executable we know, or one without Go build info.
 * @property reason `unrecognized-format`: not ELF, Mach-O or PE; `not-go`: no Go build info in it.
 */
export type BuildInfoMissing = { reason: "unrecognized-format" | "not-go" };

const MAGIC = Buffer.from("\xff Go buildinf:", "latin1");
const ALIGN = 16;
const HEADER_SIZE = 32;
const SEARCH_WINDOW = 64 * 1024;
const STRING_LIMIT = 16 * 1024 * 1024;

/**
 * Reads the Go build information a Go toolchain embeds in an executable (ELF, Mach-O or PE),
 * as Go's `debug/buildinfo.ReadFile` does: the 32-byte header found 16-aligned near the start of
 * the data section, then either inline varint-prefixed strings (Go 1.18+) or pointers to Go
 * strings (older toolchains); finally the module text is parsed as `runtime/debug.ParseBuildInfo`.
 */
export async function readBuildInfo(path: string): Promise<GoBuildInfo | BuildInfoMissing> {
  const handle = await open(path, "r");
  try {
    const reader = new FileReader(handle, (await handle.stat()).size);
    const executable = await openExecutable(reader);
    if (!executable) return { reason: "unrecognized-format" };
    const raw = await readRawBuildInfo(executable);
    if (!raw) return { reason: "not-go" };
    return { ...parseModInfo(raw.modinfo), goVersion: raw.goVersion };
  } finally {
    await handle.close();
  }
}

/** Identifies the format from the first bytes (Go's `readRawBuildInfo` switch). */
async function openExecutable(reader: FileReader): Promise<Executable | undefined> {
  const ident = await reader.read(0, 16);
  if (ident.length < 16) return undefined;
  if (ident.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return openElf(reader, ident);
  if (ident[0] === 0x4d && ident[1] === 0x5a) return openPe(reader);
  const bigEndianMacho = ident[0] === 0xfe && ident[1] === 0xed && ident[2] === 0xfa;
  const littleEndianMacho = ident[1] === 0xfa && ident[2] === 0xed && ident[3] === 0xfe;
  if (bigEndianMacho || littleEndianMacho) return openMacho(reader, ident);
  return undefined;
}

/** The Go version and module text, or undefined when the executable has no Go build info. */
export async function readRawBuildInfo(
  executable: Executable,
): Promise<{ goVersion: string; modinfo: string } | undefined> {
  const start = executable.dataStart();
  if (start === undefined) return undefined;
  const window = await executable.readData(start, SEARCH_WINDOW);
  const header = window && findHeader(window);
  if (!header) return undefined;
  const pointerSize = header[14]!;
  let goVersion: Buffer;
  let modinfo: Buffer;
  if ((header[15]! & 2) !== 0) {
    const version = decodeString(header, HEADER_SIZE);
    goVersion = version.value;
    modinfo = decodeString(header, version.next).value;
  } else {
    const littleEndian = header[15] === 0;
    const readPointer = (bytes: Buffer, at: number) => readWord(bytes, at, pointerSize, littleEndian);
    goVersion = await readGoString(executable, readPointer(header, 16), pointerSize, readPointer);
    modinfo = await readGoString(executable, readPointer(header, 16 + pointerSize), pointerSize, readPointer);
  }
  if (goVersion.length === 0) return undefined;
  return { goVersion: goVersion.toString("utf8"), modinfo: stripSentinels(modinfo).toString("utf8") };
}

/** The blob starting at the first 16-aligned magic with a full header after it. */
function findHeader(data: Buffer): Buffer | undefined {
  for (let from = 0; ; ) {
    const i = data.indexOf(MAGIC, from);
    if (i < 0 || data.length - i < HEADER_SIZE) return undefined;
    if (i % ALIGN === 0) return data.subarray(i);
    from = Math.ceil(i / ALIGN) * ALIGN;
  }
}

/** A uvarint length, then that many bytes; empty when it does not fit (Go's `decodeString`). */
function decodeString(data: Buffer, at: number): { value: Buffer; next: number } {
  let length = 0;
  let shift = 0;
  let i = at;
  for (; i < data.length && i - at < 10; i++) {
    const byte = data[i]!;
    length += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) break;
  }
  const start = i + 1;
  // Go refuses a string that reaches the very end of the data, too.
  if (i >= data.length || length >= data.length - start) return { value: Buffer.alloc(0), next: data.length };
  return { value: data.subarray(start, start + length), next: start + length };
}

async function readGoString(
  executable: Executable,
  address: number,
  pointerSize: number,
  readPointer: (bytes: Buffer, at: number) => number,
): Promise<Buffer> {
  const empty = Buffer.alloc(0);
  const header = await executable.readData(address, 2 * pointerSize);
  if (!header || header.length < 2 * pointerSize) return empty;
  const length = readPointer(header, pointerSize);
  if (length > STRING_LIMIT) return empty;
  const data = await executable.readData(readPointer(header, 0), length);
  return data && data.length >= length ? data : empty;
}

function readWord(bytes: Buffer, at: number, size: number, littleEndian: boolean): number {
  if (size === 4) return littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at);
  return Number(littleEndian ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at));
}

/** The module text is framed by 16-byte sentinels (cmd/go modload infoStart/infoEnd). */
function stripSentinels(modinfo: Buffer): Buffer {
  return modinfo.length >= 33 && modinfo[modinfo.length - 17] === 0x0a ? modinfo.subarray(16, -16) : Buffer.alloc(0);
}

export type { GoBuildInfo };
