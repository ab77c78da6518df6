import { crc32 } from "node:zlib";
import { Zip, ZipPassThrough, deflateSync, type ZipInputFile } from "fflate";
import { describe, expect, it } from "vitest";
import { ZipEncoder } from "./zip-encoder.js";
import { zipTimestamp } from "./zip-writer.js";

interface TestEntry {
  name: string;
  /** Deflated at this level, or stored when undefined. */
  level?: number;
  /** The entry's content, in the pieces it is written in. */
  pieces: Uint8Array[];
  attributes: number;
}

const FILE = ((0o100000 | 0o644) << 16) >>> 0;
const EXECUTABLE = ((0o100000 | 0o755) << 16) >>> 0;
const DIRECTORY = (((0o040000 | 0o755) << 16) | 0x10) >>> 0;
const text = (value: string) => new TextEncoder().encode(value);

/** The zip of `entries` made by fflate's own `Zip`, as tofu-oci-pack made them before ZipEncoder. */
function fflateZip(entries: readonly TestEntry[], mtime: Date): Buffer {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    chunks.push(chunk);
  });
  for (const entry of entries) {
    const data = Buffer.concat(entry.pieces);
    if (entry.level === undefined) {
      const file = Object.assign(new ZipPassThrough(entry.name), { mtime, os: 3, attrs: entry.attributes });
      zip.add(file);
      entry.pieces.forEach((piece, index) => file.push(piece, index === entry.pieces.length - 1));
      if (entry.pieces.length === 0) file.push(new Uint8Array(0), true);
      continue;
    }
    const flag = entry.level === 1 ? 3 : entry.level < 6 ? 2 : entry.level === 9 ? 1 : 0;
    const file: ZipInputFile = {
      filename: entry.name,
      size: data.length,
      crc: crc32(data),
      compression: 8,
      flag,
      mtime,
      os: 3,
      attrs: entry.attributes,
    };
    zip.add(file);
    file.ondata!(null, deflateSync(data, { level: entry.level as 1 }), true);
  }
  zip.end();
  return Buffer.concat(chunks);
}

function encoderZip(entries: readonly TestEntry[], mtime: Date): Buffer {
  const chunks: Uint8Array[] = [];
  const encoder = new ZipEncoder((chunk) => chunks.push(chunk), mtime);
  for (const entry of entries) {
    const data = Buffer.concat(entry.pieces);
    const level = entry.level ?? 0;
    encoder.begin({
      name: entry.name,
      method: level === 0 ? 0 : 8,
      levelBits: level === 1 ? 3 : level === 0 ? 0 : level < 6 ? 2 : level === 9 ? 1 : 0,
      attributes: entry.attributes,
    });
    if (level === 0) for (const piece of entry.pieces) encoder.data(piece);
    else encoder.data(deflateSync(data, { level: level as 1 }));
    encoder.end(crc32(data), data.length);
  }
  chunks.push(encoder.finish());
  expect(encoder.bytes).toBe(Buffer.concat(chunks).length);
  return Buffer.concat(chunks);
}

describe("ZipEncoder", () => {
  it("writes byte for byte what fflate's Zip writes: stored, deflated, directories, UTF-8 names, modes", () => {
    const entries: TestEntry[] = [
      { name: "a-first.tofu", pieces: [], attributes: FILE },
      { name: "docs/Über.md", level: 1, pieces: [text("umlaut\n".repeat(40))], attributes: FILE },
      { name: "empty/", pieces: [], attributes: DIRECTORY },
      { name: "main.tf", level: 1, pieces: [text('variable "x" {}\n'.repeat(50))], attributes: FILE },
      {
        name: "random.bin",
        pieces: [crypto.getRandomValues(new Uint8Array(3000)), crypto.getRandomValues(new Uint8Array(17))],
        attributes: FILE,
      },
      { name: "scripts/run.sh", level: 6, pieces: [text("#!/bin/sh\necho hi\n".repeat(9))], attributes: EXECUTABLE },
      { name: "日本/設定.tf", level: 9, pieces: [text("# 設定\n".repeat(30))], attributes: FILE },
    ];
    for (const epoch of [undefined, 1_700_000_000, 4_102_444_799]) {
      const mtime = zipTimestamp(epoch);
      expect(encoderZip(entries, mtime).equals(fflateZip(entries, mtime)), `SOURCE_DATE_EPOCH ${epoch}`).toBe(true);
    }
  });

  it("keeps the low 16 bits of the entry count past 65,535 entries, as fflate does", () => {
    const entries: TestEntry[] = Array.from({ length: 65_537 }, (_, i) => ({
      name: `d${i}/`,
      pieces: [],
      attributes: DIRECTORY,
    }));
    const ours = encoderZip(entries, zipTimestamp());
    expect(ours.readUInt16LE(ours.length - 12)).toBe(1);
    expect(ours.equals(fflateZip(entries, zipTimestamp()))).toBe(true);
  });

  it("refuses to grow past 4 GiB, the limit of a zip without ZIP64", () => {
    const encoder = new ZipEncoder(() => {}, zipTimestamp());
    encoder.begin({ name: "big.bin", method: 0, levelBits: 0, attributes: FILE });
    const gib = new Uint8Array(0);
    Object.defineProperty(gib, "length", { value: 2 ** 31 });
    encoder.data(gib);
    expect(() => encoder.data(gib)).toThrow(/over 4 GiB/);
  });
});
