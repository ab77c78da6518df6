import type { FileHandle } from "node:fs/promises";

/**
 * Random access to an executable: reads at offsets, never more than asked, so a 100 MB provider
 * binary is parsed by reading its headers and a few kilobytes of data only.
 */
export class FileReader {
  constructor(
    readonly handle: FileHandle,
    readonly size: number,
  ) {}

  /** Up to `length` bytes at `offset` (fewer at the end of the file). */
  async read(offset: number, length: number): Promise<Buffer> {
    if (offset < 0 || offset >= this.size || length <= 0) return Buffer.alloc(0);
    const wanted = Math.min(length, this.size - offset);
    const buffer = Buffer.alloc(wanted);
    const { bytesRead } = await this.handle.read(buffer, 0, wanted, offset);
    return buffer.subarray(0, bytesRead);
  }
}

/** Reads fixed-width integers in one byte order, 64-bit values as numbers (addresses fit). */
export class Fields {
  constructor(
    readonly bytes: Buffer,
    readonly littleEndian: boolean,
  ) {}

  u16(offset: number): number {
    return this.littleEndian ? this.bytes.readUInt16LE(offset) : this.bytes.readUInt16BE(offset);
  }

  u32(offset: number): number {
    return this.littleEndian ? this.bytes.readUInt32LE(offset) : this.bytes.readUInt32BE(offset);
  }

  u64(offset: number): number {
    return Number(this.littleEndian ? this.bytes.readBigUInt64LE(offset) : this.bytes.readBigUInt64BE(offset));
  }

  /** A 4- or 8-byte unsigned integer. */
  word(offset: number, size: 4 | 8): number {
    return size === 8 ? this.u64(offset) : this.u32(offset);
  }

  /** A NUL-padded name of `length` bytes. */
  name(offset: number, length: number): string {
    const raw = this.bytes.subarray(offset, offset + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end === -1 ? raw.length : end).toString("latin1");
  }
}

/** A mapped range of an executable: virtual address `address` is file offset `offset`. */
export interface Mapping {
  address: number;
  /** Bytes present in the file. */
  fileSize: number;
  offset: number;
}

/** Reads up to `size` bytes at virtual address `address`, from the first mapping that holds it. */
export async function readMapped(
  reader: FileReader,
  mappings: readonly Mapping[],
  address: number,
  size: number,
): Promise<Buffer | undefined> {
  for (const mapping of mappings) {
    if (mapping.fileSize > 0 && mapping.address <= address && address <= mapping.address + mapping.fileSize - 1) {
      const length = Math.min(size, mapping.address + mapping.fileSize - address);
      return reader.read(mapping.offset + (address - mapping.address), length);
    }
  }
  return undefined;
}

/** An executable format's view of the file, as Go's debug/buildinfo `exe` interface. */
export interface Executable {
  format: "elf" | "macho" | "pe";
  /** Reads up to `size` bytes at a virtual address; undefined when it is not mapped. */
  readData(address: number, size: number): Promise<Buffer | undefined>;
  /** The address of the section or segment that holds the build info blob, if any. */
  dataStart(): number | undefined;
}
