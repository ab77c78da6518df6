import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { readBuildInfo } from "./buildinfo.js";

const scratch = tempDir();
afterAll(() => scratch.cleanup());

const BASE = 0x500000;
const DATA_OFFSET = 0x100;
// cmd/go's modload infoStart/infoEnd framing: 16 bytes each, not UTF-8.
const SENTINEL_START = Buffer.from("3077af0c9274080241e1c107e6d618e6", "hex");
const SENTINEL_END = Buffer.from("f932433186182072008242104116d8f2", "hex");

/**
 * A minimal 64-bit little-endian ELF whose one writable PT_LOAD segment holds a build info
 * header in the pre-Go 1.18 layout: pointers to Go string headers instead of inline strings.
 */
function pointerFormatElf(goVersion: string, modinfo: string): Buffer {
  const version = Buffer.from(goVersion);
  const module = Buffer.concat([SENTINEL_START, Buffer.from(modinfo), SENTINEL_END]);
  const data = Buffer.alloc(0x40 + version.length + module.length);
  data.write("\xff Go buildinf:", 0, "latin1");
  data[14] = 8;
  data[15] = 0;
  data.writeBigUInt64LE(BigInt(BASE + 0x20), 16);
  data.writeBigUInt64LE(BigInt(BASE + 0x30), 24);
  data.writeBigUInt64LE(BigInt(BASE + 0x40), 0x20);
  data.writeBigUInt64LE(BigInt(version.length), 0x28);
  data.writeBigUInt64LE(BigInt(BASE + 0x40 + version.length), 0x30);
  data.writeBigUInt64LE(BigInt(module.length), 0x38);
  version.copy(data, 0x40);
  module.copy(data, 0x40 + version.length);
  const header = Buffer.alloc(DATA_OFFSET);
  header.write("\x7fELF", 0, "latin1");
  header[4] = 2;
  header[5] = 1;
  header[6] = 1;
  header.writeUInt16LE(2, 16);
  header.writeUInt16LE(0x3e, 18);
  header.writeBigUInt64LE(64n, 32);
  header.writeUInt16LE(64, 52);
  header.writeUInt16LE(56, 54);
  header.writeUInt16LE(1, 56);
  header.writeUInt32LE(1, 64);
  header.writeUInt32LE(6, 68);
  header.writeBigUInt64LE(BigInt(DATA_OFFSET), 72);
  header.writeBigUInt64LE(BigInt(BASE), 80);
  header.writeBigUInt64LE(BigInt(data.length), 96);
  header.writeBigUInt64LE(BigInt(data.length), 104);
  return Buffer.concat([header, data]);
}

describe("readBuildInfo, pre-Go 1.18 pointer layout", () => {
  it("follows the string pointers through the segment that maps them", async () => {
    const file = join(scratch.path, "old-go");
    writeFileSync(
      file,
      pointerFormatElf(
        "go1.16.15",
        "path\texample.com/old\nmod\texample.com/old\tv1.0.0\t\ndep\texample.com/dep\tv0.1.0\th1:abc=\n",
      ),
    );
    const info = await readBuildInfo(file);
    expect(info).toEqual({
      goVersion: "go1.16.15",
      path: "example.com/old",
      main: { path: "example.com/old", version: "v1.0.0", sum: "" },
      deps: [{ path: "example.com/dep", version: "v0.1.0", sum: "h1:abc=" }],
      settings: [],
    });
  });

  it("reports an executable whose version string points nowhere as not Go", async () => {
    const broken = pointerFormatElf("go1.16", "path\tx\n");
    broken.writeBigUInt64LE(BigInt(0x900000), DATA_OFFSET + 16);
    const file = join(scratch.path, "broken-go");
    writeFileSync(file, broken);
    expect(await readBuildInfo(file)).toEqual({ reason: "not-go" });
  });
});
