import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { fileSink } from "./file-sink.js";

const dir = () => mkdtempSync(join(tmpdir(), "tofu-oci-file-sink-"));

describe("fileSink", () => {
  it("writes every chunk in order, including chunks that queue up and go in one writev", async () => {
    const chunks = Array.from({ length: 200 }, (_, i) => Buffer.alloc(10_000 + i, i));
    const path = join(dir(), "out");
    await pipeline(Readable.from(chunks), fileSink(path));
    expect(readFileSync(path).equals(Buffer.concat(chunks))).toBe(true);
  });

  it("truncates an existing file and applies the mode", async () => {
    const path = join(dir(), "out");
    await pipeline(Readable.from([Buffer.from("a long first content")]), fileSink(path));
    await pipeline(Readable.from([Buffer.from("short")]), fileSink(path, { mode: 0o600 }));
    expect(readFileSync(path, "utf8")).toBe("short");
    await pipeline(Readable.from([Buffer.from("new")]), fileSink(`${path}-2`, { mode: 0o600 }));
    expect(statSync(`${path}-2`).mode & 0o777).toBe(0o600);
  });

  it("fails the pipeline when the file cannot be created", async () => {
    await expect(
      pipeline(Readable.from([Buffer.from("x")]), fileSink(join(dir(), "missing", "out"))),
    ).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("fails the pipeline when the source fails", async () => {
    const path = join(dir(), "out");
    async function* broken() {
      yield Buffer.from("part");
      throw new Error("connection reset");
    }
    await expect(pipeline(Readable.from(broken()), fileSink(path))).rejects.toThrow("connection reset");
  });
});
