import { Fields, readMapped, type Executable, type FileReader, type Mapping } from "./file-reader.js";

const LC_SEGMENT = 0x1;
const LC_SEGMENT_64 = 0x19;
const RW = 3;

interface MachoSegment extends Mapping {
  name: string;
  maxprot: number;
  initprot: number;
}

/**
 * Opens a thin Mach-O executable (32/64-bit, either byte order): segments map addresses to file
 * offsets, and the `__go_buildinfo` section, or else the first non-empty read-write segment,
 * holds the build info (Go debug/buildinfo `machoExe`).
 */
export async function openMacho(reader: FileReader, ident: Buffer): Promise<Executable | undefined> {
  // FE ED FA CE/CF is big-endian; CE/CF FA ED FE is little-endian.
  const littleEndian = ident[0] !== 0xfe;
  const is64 = littleEndian ? ident[0] === 0xcf : ident[3] === 0xcf;
  const headerSize = is64 ? 32 : 28;
  const header = new Fields(await reader.read(0, headerSize), littleEndian);
  if (header.bytes.length < headerSize) return undefined;
  const commands = new Fields(await reader.read(headerSize, header.u32(20)), littleEndian);
  const segments: MachoSegment[] = [];
  let buildInfoSection: number | undefined;
  for (let at = 0, i = 0; i < header.u32(16) && at + 8 <= commands.bytes.length; i++) {
    const cmd = commands.u32(at);
    const size = commands.u32(at + 4);
    if (size < 8) break;
    if (cmd === LC_SEGMENT_64 || cmd === LC_SEGMENT) {
      const parsed = segmentAt(commands, at, cmd === LC_SEGMENT_64);
      segments.push(parsed.segment);
      buildInfoSection ??= parsed.sections.find((section) => section.name === "__go_buildinfo")?.address;
    }
    at += size;
  }
  const mapped = segments.filter((segment) => segment.name !== "__PAGEZERO");
  return {
    format: "macho",
    readData: (address, size) => readMapped(reader, mapped, address, size),
    dataStart: () =>
      buildInfoSection ??
      segments.find((s) => s.address !== 0 && s.fileSize !== 0 && s.initprot === RW && s.maxprot === RW)?.address,
  };
}

function segmentAt(
  fields: Fields,
  at: number,
  is64: boolean,
): { segment: MachoSegment; sections: Array<{ name: string; address: number }> } {
  const word = is64 ? 8 : 4;
  const name = fields.name(at + 8, 16);
  const address = fields.word(at + 24, word);
  const offset = fields.word(at + 24 + 2 * word, word);
  const fileSize = fields.word(at + 24 + 3 * word, word);
  const protAt = at + 24 + 4 * word;
  const segment = { name, address, offset, fileSize, maxprot: fields.u32(protAt), initprot: fields.u32(protAt + 4) };
  const count = fields.u32(protAt + 8);
  const first = protAt + 16;
  const sectionSize = is64 ? 80 : 68;
  const sections = [];
  for (let i = 0; i < count && first + (i + 1) * sectionSize <= fields.bytes.length; i++) {
    const s = first + i * sectionSize;
    sections.push({ name: fields.name(s, 16), address: fields.word(s + 32, word) });
  }
  return { segment, sections };
}
