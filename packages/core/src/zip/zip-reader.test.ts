import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { tempDir } from "@tofu-oci/testkit";
import { zipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { exitCodeOf } from "../errors.js";
import { listZip, readZip, unsafeEntryReason } from "./zip-reader.js";

const scratch = tempDir();
afterAll(() => scratch.cleanup());

function writeZip(name: string, files: Record<string, Uint8Array>, level: 0 | 9 = 0): string {
  const path = join(scratch.path, name);
  writeFileSync(path, zipSync(files, { level }));
  return path;
}

describe("readZip", () => {
  it("lists entries and streams their content", async () => {
    const path = writeZip("ok.zip", {
      "main.tf": Buffer.from("# hi\n"),
      "sub/": new Uint8Array(),
      "sub/x.tf": Buffer.from("x"),
    });
    const entries = await listZip(path);
    expect(entries.map((e) => [e.name, e.isDirectory, e.size])).toEqual([
      ["main.tf", false, 5],
      ["sub/", true, 0],
      ["sub/x.tf", false, 1],
    ]);
    const contents: Record<string, string> = {};
    await readZip(path, async (entry) => {
      const chunks: Buffer[] = [];
      for await (const chunk of await entry.open()) chunks.push(chunk as Buffer);
      contents[entry.name] = Buffer.concat(chunks).toString();
    });
    expect(contents).toEqual({ "main.tf": "# hi\n", "sub/": "", "sub/x.tf": "x" });
  });

  it("exposes the declared CRC-32, which reading does not check", async () => {
    const path = writeZip("crc.zip", { "main.tf": Buffer.from("# hi\n") });
    const [entry] = await listZip(path);
    expect(entry!.crc32).toBe(crc32(Buffer.from("# hi\n")));
  });

  it.each([
    ["not a zip", Buffer.from("this is not a zip file at all, just text")],
    ["empty file", Buffer.alloc(0)],
  ])("refuses %s with exit code 6", async (_label, bytes) => {
    const path = join(scratch.path, "bad.zip");
    writeFileSync(path, bytes);
    const error = await listZip(path).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toContain("not a valid zip");
  });

  it("refuses a truncated zip", async () => {
    const whole = zipSync({ "main.tf": Buffer.alloc(10_000, 97) }, { level: 0 });
    const path = join(scratch.path, "truncated.zip");
    writeFileSync(path, whole.subarray(0, whole.length - 30));
    expect(exitCodeOf(await listZip(path).catch((e: unknown) => e))).toBe(6);
  });

  it("refuses a zip bomb by ratio and by total size before unpacking", async () => {
    const bomb = writeZip("bomb.zip", { "big.tf": new Uint8Array(20 * 1024 * 1024) }, 9);
    const error = await listZip(bomb).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toMatch(/expands \d+x/);
    const many = writeZip("large.zip", { "a.tf": new Uint8Array(600), "b.tf": new Uint8Array(600) });
    expect(((await listZip(many, { maxTotalSize: 1000 }).catch((e: unknown) => e)) as Error).message).toContain(
      "more than 1000 bytes",
    );
    expect(((await listZip(many, { maxEntries: 1 }).catch((e: unknown) => e)) as Error).message).toContain(
      "over the limit of 1",
    );
  });

  it("stops at the first error the visitor throws", async () => {
    const path = writeZip("visit.zip", { "a.tf": Buffer.from("a"), "b.tf": Buffer.from("b") });
    const seen: string[] = [];
    await expect(
      readZip(path, (entry) => {
        seen.push(entry.name);
        throw new Error("stop");
      }),
    ).rejects.toThrow("stop");
    expect(seen).toEqual(["a.tf"]);
  });
});

describe("unsafeEntryReason", () => {
  it.each([
    ["../etc/passwd", ".."],
    ["a/../../b", ".."],
    ["/etc/passwd", "absolute"],
    ["C:/Windows", "drive letter"],
    ["a\\b.tf", "backslash"],
    ["", "empty"],
  ])("flags %j", (name, fragment) => {
    expect(unsafeEntryReason(name)).toContain(fragment);
  });

  it.each(["main.tf", "a/b/c.tf", "..hidden/x", "a..b", "dir/"])("accepts %j", (name) => {
    expect(unsafeEntryReason(name)).toBeUndefined();
  });
});
