import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exitCodeOf } from "@tofu-oci/core";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { listFiles } from "../test/helpers.js";
import type { ModuleEntry } from "./module-files.js";
import { CompressionThreads, writeDeterministicZip, zipTimestamp } from "./zip-writer.js";

const scratch = tempDir("tofu-oci-zip-writer-");
afterAll(() => scratch.cleanup());

function entry(path: string, source: string, size: number): ModuleEntry {
  return { path, source, kind: "file", size, mode: 0o644 };
}

describe("writeDeterministicZip", () => {
  it("leaves nothing behind when a file fails half-way through the zip", async () => {
    const out = join(scratch.path, "fail");
    mkdirSync(out);
    const good = join(scratch.path, "good.tf");
    writeFileSync(good, "x".repeat(3 * 1024 * 1024));
    const entries = [entry("a.tf", good, 3 * 1024 * 1024), entry("b.tf", join(scratch.path, "vanished.tf"), 10)];
    const error = await writeDeterministicZip(join(out, "m.zip"), entries, { level: 1, mtime: zipTimestamp() }).catch(
      (e: unknown) => e,
    );
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toMatch(/cannot read b\.tf/);
    expect(listFiles(out)).toEqual([]);
  });

  it("reports a file that cannot be read on a compression thread by its path, and leaves nothing behind", async () => {
    const out = join(scratch.path, "fail-pooled");
    mkdirSync(out);
    const good = join(scratch.path, "small.tf");
    writeFileSync(good, 'variable "x" {}\n'.repeat(100));
    const entries = Array.from({ length: 3000 }, (_, i) => entry(`f${String(i).padStart(4, "0")}.tf`, good, 1600));
    entries.push(entry("zz.tf", join(scratch.path, "vanished.tf"), 10));
    expect(CompressionThreads.for(entries, { level: 1, threads: 2 }).pool).toBeDefined();
    const error = await writeDeterministicZip(join(out, "m.zip"), entries, {
      level: 1,
      mtime: zipTimestamp(),
      threads: 2,
    }).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toMatch(/cannot read zz\.tf: ENOENT/);
    expect(listFiles(out)).toEqual([]);
  });

  it("starts compression threads only for enough small-file work, and never for level 0 or threads 0", async () => {
    const small = (count: number, size: number) =>
      Array.from({ length: count }, (_, i) => entry(`f${i}.tf`, "/nowhere", size));
    const decide = (entries: ModuleEntry[], options: { level: number; threads?: number }) => {
      const compression = CompressionThreads.for(entries, options);
      const started = compression.pool !== undefined;
      return compression.close().then(() => started);
    };
    expect(await decide(small(100, 1000), { level: 1 })).toBe(false);
    expect(await decide(small(10, 3 * 1024 * 1024), { level: 1 })).toBe(false); // streamed, not small files
    expect(await decide(small(1000, 10_000), { level: 1, threads: 2 })).toBe(true);
    expect(await decide(small(5000, 500), { level: 1, threads: 1 })).toBe(true);
    expect(await decide(small(1000, 10_000), { level: 0, threads: 2 })).toBe(false);
    expect(await decide(small(1000, 10_000), { level: 1, threads: 0 })).toBe(false);
  });

  it("stops on cancellation and leaves nothing behind", async () => {
    const out = join(scratch.path, "cancel");
    mkdirSync(out);
    const big = join(scratch.path, "big.bin");
    writeFileSync(big, Buffer.alloc(8 * 1024 * 1024, 1));
    const controller = new AbortController();
    const writing = writeDeterministicZip(join(out, "m.zip"), [entry("big.bin", big, 8 * 1024 * 1024)], {
      level: 1,
      mtime: zipTimestamp(),
      signal: controller.signal,
    });
    controller.abort();
    await expect(writing).rejects.toThrow();
    expect(listFiles(out)).toEqual([]);
  });

  it("clamps times to what a zip holds", () => {
    expect(zipTimestamp(0).getFullYear()).toBe(1980);
    expect(zipTimestamp(9_999_999_999).getFullYear()).toBe(2099);
    const date = zipTimestamp(1_700_000_000);
    expect([date.getFullYear(), date.getMonth(), date.getDate(), date.getHours(), date.getMinutes()]).toEqual([
      2023, 10, 14, 22, 13,
    ]);
  });
});
