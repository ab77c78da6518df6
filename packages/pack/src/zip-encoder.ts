import { invalidInput } from "@tofu-oci/core";

/** What a zip entry's headers say, apart from its CRC-32 and sizes (which follow its data). */
export interface ZipEntryHeader {
  /** The `/`-separated path in the zip. */
  name: string;
  /** 0 (stored) or 8 (deflate). */
  method: 0 | 8;
  /** General-purpose flag bits 1-2: the deflate level hint (APPNOTE 4.4.4); 0 for stored entries. */
  levelBits: number;
  /** The external attributes (Unix mode in the upper 16 bits). */
  attributes: number;
}

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION = 20;
const UNIX = 3;
/** Flag bit 3: CRC-32 and sizes follow the data in a data descriptor. */
const HAS_DATA_DESCRIPTOR = 0x08;
/** Flag bit 11: the name is UTF-8. */
const UTF8_NAME = 0x800;
const ZIP32_LIMIT = 0xffffffff;

/**
 * Writes a zip entry by entry to `output` and keeps only the central directory (46 bytes plus
 * the name per entry) in memory. The records are byte for byte those of fflate's `Zip` for the
 * same entries (local header without sizes, data, data descriptor; central directory; end
 * record; no extra fields or comments), which is what earlier versions wrote: fflate's `Zip`
 * keeps about 2 KB of objects per entry until the end, so it is not used for the records.
 */
export class ZipEncoder {
  readonly #output: (chunk: Uint8Array) => void;
  readonly #dosTime: number;
  #central = Buffer.alloc(64 * 1024);
  #centralLength = 0;
  #count = 0;
  #offset = 0;
  #entry: { header: ZipEntryHeader; name: Buffer; start: number; compressed: number } | undefined;

  /** `mtime` is every entry's time, as local date fields (see `zipTimestamp`). */
  constructor(output: (chunk: Uint8Array) => void, mtime: Date) {
    this.#output = output;
    this.#dosTime = dosTime(mtime);
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.#offset;
  }

  /** Starts an entry: writes its local header. */
  begin(header: ZipEntryHeader): void {
    const name = Buffer.from(header.name, "utf8");
    if (name.length > 0xffff)
      throw invalidInput(`the path ${header.name.slice(0, 80)}... is too long for a zip`, "Exclude it.");
    const local = Buffer.alloc(30 + name.length);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(flags(header, name), 6);
    local.writeUInt16LE(header.method, 8);
    local.writeUInt32LE(this.#dosTime, 10);
    local.writeUInt16LE(name.length, 26);
    name.copy(local, 30);
    this.#entry = { header, name, start: this.#offset, compressed: 0 };
    this.#write(local);
  }

  /** Writes (compressed) data of the current entry. */
  data(chunk: Uint8Array): void {
    this.#entry!.compressed += chunk.length;
    this.#write(chunk);
  }

  /** Ends the current entry with the CRC-32 and size of its uncompressed data. */
  end(crc: number, size: number): void {
    const { header, name, start, compressed } = this.#entry!;
    this.#entry = undefined;
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
    descriptor.writeUInt32LE(crc, 4);
    descriptor.writeUInt32LE(compressed, 8);
    descriptor.writeUInt32LE(size, 12);
    this.#write(descriptor);
    const record = this.#reserve(46 + name.length);
    record.writeUInt32LE(CENTRAL_HEADER, 0);
    record.writeUInt16LE((UNIX << 8) | VERSION, 4);
    record.writeUInt16LE(VERSION, 6);
    record.writeUInt16LE(flags(header, name), 8);
    record.writeUInt16LE(header.method, 10);
    record.writeUInt32LE(this.#dosTime, 12);
    record.writeUInt32LE(crc, 16);
    record.writeUInt32LE(compressed, 20);
    record.writeUInt32LE(size, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(header.attributes >>> 0, 38);
    record.writeUInt32LE(start, 42);
    name.copy(record, 46);
    this.#count++;
  }

  /** Writes the central directory and the end record; returns them (the zip's last bytes). */
  finish(): Uint8Array {
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
    // Without ZIP64 the counts keep their low 16 bits, as fflate writes them and Go's reader expects.
    end.writeUInt16LE(this.#count & 0xffff, 8);
    end.writeUInt16LE(this.#count & 0xffff, 10);
    end.writeUInt32LE(this.#centralLength, 12);
    end.writeUInt32LE(this.#offset, 16);
    this.#assertFits(this.#centralLength + end.length);
    const last = Buffer.concat([this.#central.subarray(0, this.#centralLength), end]);
    this.#central = Buffer.alloc(0);
    this.#offset += last.length;
    return last;
  }

  #write(chunk: Uint8Array): void {
    this.#assertFits(chunk.length);
    this.#offset += chunk.length;
    this.#output(chunk);
  }

  #assertFits(length: number): void {
    if (this.#offset + length > ZIP32_LIMIT) {
      throw invalidInput(
        "the package grew over 4 GiB while it was written",
        "A zip without ZIP64 holds at most 4 GiB; exclude large files.",
      );
    }
  }

  /** `length` zeroed bytes at the end of the central directory, growing it by doubling. */
  #reserve(length: number): Buffer {
    const needed = this.#centralLength + length;
    if (needed > this.#central.length) {
      const grown = Buffer.alloc(Math.max(needed, this.#central.length * 2));
      this.#central.copy(grown, 0, 0, this.#centralLength);
      this.#central = grown;
    }
    const record = this.#central.subarray(this.#centralLength, needed);
    this.#centralLength = needed;
    return record;
  }
}

function flags(header: ZipEntryHeader, name: Buffer): number {
  return (header.levelBits << 1) | HAS_DATA_DESCRIPTOR | (name.length !== header.name.length ? UTF8_NAME : 0);
}

/** MS-DOS date and time (APPNOTE 4.4.6) of the Date's local fields, in two-second steps. */
function dosTime(date: Date): number {
  const year = date.getFullYear() - 1980;
  return (
    ((year << 25) |
      ((date.getMonth() + 1) << 21) |
      (date.getDate() << 16) |
      (date.getHours() << 11) |
      (date.getMinutes() << 5) |
      (date.getSeconds() >> 1)) >>>
    0
  );
}
