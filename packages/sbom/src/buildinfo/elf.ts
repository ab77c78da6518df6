import { Fields, readMapped, type Executable, type FileReader, type Mapping } from "./file-reader.js";

const PT_LOAD = 1;
const PF_X = 1;
const PF_W = 2;

interface ElfSegment extends Mapping {
  type: number;
  flags: number;
}

interface ElfSection {
  name: string;
  address: number;
}

/**
 * Opens an ELF executable (32/64-bit, either byte order): its program headers map addresses to
 * file offsets, and the `.go.buildinfo` section, or else the first writable non-executable
 * PT_LOAD segment, holds the build info (Go debug/buildinfo `elfExe`).
 */
export async function openElf(reader: FileReader, ident: Buffer): Promise<Executable | undefined> {
  const is64 = ident[4] === 2;
  const littleEndian = ident[5] === 1;
  const header = new Fields(await reader.read(0, 64), littleEndian);
  if (header.bytes.length < (is64 ? 64 : 52)) return undefined;
  const layout = is64
    ? {
        phoff: header.u64(0x20),
        shoff: header.u64(0x28),
        phentsize: header.u16(0x36),
        phnum: header.u16(0x38),
        shentsize: header.u16(0x3a),
        shnum: header.u16(0x3c),
        shstrndx: header.u16(0x3e),
      }
    : {
        phoff: header.u32(0x1c),
        shoff: header.u32(0x20),
        phentsize: header.u16(0x2a),
        phnum: header.u16(0x2c),
        shentsize: header.u16(0x2e),
        shnum: header.u16(0x30),
        shstrndx: header.u16(0x32),
      };
  const segments = await readSegments(reader, layout, is64, littleEndian);
  const sections = await readSections(reader, layout, is64, littleEndian);
  return {
    format: "elf",
    readData: (address, size) => readMapped(reader, segments, address, size),
    dataStart: () =>
      sections.find((section) => section.name === ".go.buildinfo")?.address ??
      segments.find((segment) => segment.type === PT_LOAD && (segment.flags & (PF_X | PF_W)) === PF_W)?.address,
  };
}

async function readSegments(
  reader: FileReader,
  layout: { phoff: number; phentsize: number; phnum: number },
  is64: boolean,
  littleEndian: boolean,
): Promise<ElfSegment[]> {
  const table = new Fields(await reader.read(layout.phoff, layout.phentsize * layout.phnum), littleEndian);
  const segments: ElfSegment[] = [];
  for (let i = 0; i < layout.phnum; i++) {
    const at = i * layout.phentsize;
    if (at + layout.phentsize > table.bytes.length) break;
    segments.push(
      is64
        ? {
            type: table.u32(at),
            flags: table.u32(at + 4),
            offset: table.u64(at + 8),
            address: table.u64(at + 16),
            fileSize: table.u64(at + 32),
          }
        : {
            type: table.u32(at),
            offset: table.u32(at + 4),
            address: table.u32(at + 8),
            fileSize: table.u32(at + 16),
            flags: table.u32(at + 24),
          },
    );
  }
  return segments;
}

async function readSections(
  reader: FileReader,
  layout: { shoff: number; shentsize: number; shnum: number; shstrndx: number },
  is64: boolean,
  littleEndian: boolean,
): Promise<ElfSection[]> {
  if (layout.shoff === 0 || layout.shnum === 0) return [];
  const table = new Fields(await reader.read(layout.shoff, layout.shentsize * layout.shnum), littleEndian);
  const raw = [];
  for (let i = 0; i < layout.shnum; i++) {
    const at = i * layout.shentsize;
    if (at + layout.shentsize > table.bytes.length) break;
    raw.push(
      is64
        ? {
            nameOffset: table.u32(at),
            address: table.u64(at + 16),
            offset: table.u64(at + 24),
            size: table.u64(at + 32),
          }
        : {
            nameOffset: table.u32(at),
            address: table.u32(at + 12),
            offset: table.u32(at + 16),
            size: table.u32(at + 20),
          },
    );
  }
  const names = raw[layout.shstrndx];
  const strings = names ? await reader.read(names.offset, Math.min(names.size, 1024 * 1024)) : Buffer.alloc(0);
  return raw.map((section) => ({ name: cString(strings, section.nameOffset), address: section.address }));
}

function cString(bytes: Buffer, offset: number): string {
  const end = bytes.indexOf(0, offset);
  return bytes.subarray(offset, end === -1 ? bytes.length : end).toString("latin1");
}
