import { Fields, readMapped, type Executable, type FileReader, type Mapping } from "./file-reader.js";

const PE32_PLUS = 0x20b;
const IMAGE_SCN_ALIGN_32BYTES = 0x600000;
// IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_READ | IMAGE_SCN_MEM_WRITE
const WRITABLE_DATA = 0x40 | 0x40000000 | 0x80000000;

interface PeSection extends Mapping {
  characteristics: number;
}

/**
 * Opens a PE (Windows) executable: sections map relative virtual addresses (plus the image
 * base) to raw data, and the first initialized read-write data section holds the build info
 * (Go debug/buildinfo `peExe`).
 */
export async function openPe(reader: FileReader): Promise<Executable | undefined> {
  const dos = new Fields(await reader.read(0, 64), true);
  if (dos.bytes.length < 64) return undefined;
  const peOffset = dos.u32(0x3c);
  const coff = new Fields(await reader.read(peOffset, 24 + 240), true);
  if (coff.bytes.length < 24 + 2 || coff.bytes.toString("latin1", 0, 4) !== "PE\0\0") return undefined;
  const sectionCount = coff.u16(6);
  const optionalSize = coff.u16(20);
  const imageBase = coff.u16(24) === PE32_PLUS ? coff.u64(24 + 24) : coff.u32(24 + 28);
  const table = new Fields(await reader.read(peOffset + 24 + optionalSize, sectionCount * 40), true);
  const sections: PeSection[] = [];
  for (let i = 0; i < sectionCount && (i + 1) * 40 <= table.bytes.length; i++) {
    const at = i * 40;
    // Go's pe.Section.Size is SizeOfRawData: the bytes the file really has.
    sections.push({
      address: table.u32(at + 12) + imageBase,
      fileSize: table.u32(at + 16),
      offset: table.u32(at + 20),
      characteristics: table.u32(at + 36),
    });
  }
  return {
    format: "pe",
    readData: (address, size) => readMapped(reader, sections, address, size),
    dataStart: () =>
      sections.find(
        (s) =>
          s.address !== imageBase &&
          s.fileSize !== 0 &&
          (s.characteristics & ~IMAGE_SCN_ALIGN_32BYTES) >>> 0 === WRITABLE_DATA >>> 0,
      )?.address,
  };
}
