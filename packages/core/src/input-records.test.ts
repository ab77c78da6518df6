import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { exitCodeOf } from "./errors.js";
import { isUpstreamError, readInputRecords } from "./input-records.js";
import { readRecords, type AnyRecord } from "./records.js";

const lines = (...records: object[]) =>
  Readable.from([records.map((record) => `${JSON.stringify(record)}\n`).join("")]);

async function consume(stream: Readable) {
  const passed: AnyRecord[] = [];
  const read: AnyRecord[] = [];
  for await (const record of readInputRecords(stream, { kinds: ["artifact"], onOther: (other) => passed.push(other) }))
    read.push(record);
  return { read, passed };
}

describe("readInputRecords (the pass-through rule)", () => {
  it("yields the command's kinds and hands every other record on, in order", async () => {
    const { read, passed } = await consume(
      lines(
        { kind: "artifact", n: 1 },
        { kind: "cli-config", text: "x" },
        { kind: "artifact", n: 2 },
        { kind: "bundle" },
      ),
    );
    expect(read).toEqual([
      { kind: "artifact", n: 1 },
      { kind: "artifact", n: 2 },
    ]);
    expect(passed).toEqual([{ kind: "cli-config", text: "x" }, { kind: "bundle" }]);
  });

  it("ends at an error record with the upstream's code (and so its exit code), message and hint", async () => {
    const failure = await consume(
      lines(
        { kind: "artifact" },
        { kind: "error", code: "unauthorized", message: "authentication required", hint: "Log in." },
      ),
    ).catch((error: unknown) => error);
    expect(isUpstreamError(failure)).toBe(true);
    expect(failure).toMatchObject({ code: "unauthorized", message: "authentication required", hint: "Log in." });
    expect(exitCodeOf(failure)).toBe(4);
    const unknown = await consume(lines({ kind: "error", code: "bogus" })).catch((error: unknown) => error);
    expect(unknown).toMatchObject({ code: "internal", message: "the command before this one in the pipeline failed" });
  });
});

describe("a line that is not JSON", () => {
  it("is quoted when it is text, and named, not echoed, when it is binary", async () => {
    const read = async (input: string | Buffer) => {
      for await (const _ of readRecords(Readable.from([input]))) void _;
    };
    await expect(read("hello there\n")).rejects.toThrow("stdin line 1 is not JSON: hello there");
    const zip = Buffer.concat([
      Buffer.from("PK\u0003\u0004\u0014\u0000\u0000\u0000\u0008\u0000"),
      Buffer.from([0xff, 0xfe, 0x00, 0x01]),
      Buffer.from("\nmore"),
    ]);
    await expect(read(zip)).rejects.toThrow(
      /^stdin line 1 is not JSON: \(a zip archive: give the zip file as an argument instead\)$/,
    );
    await expect(read(Buffer.from([0x7b, 0x00, 0x01, 0xff, 0x0a]))).rejects.toThrow(
      /^stdin line 1 is not JSON: \(binary data\)$/,
    );
  });
});
