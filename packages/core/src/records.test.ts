import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { exitCodeOf } from "./errors.js";
import { expectKind, readRecords, writeRecord } from "./records.js";

async function collect(text: string) {
  const records = [];
  for await (const record of readRecords(Readable.from([text]))) records.push(record);
  return records;
}

describe("NDJSON records", () => {
  it("round-trips records and skips blank lines", async () => {
    const out = new PassThrough();
    writeRecord(out, { kind: "package", n: 1 });
    writeRecord(out, { kind: "artifact", n: 2 });
    out.end();
    const text = (await out.toArray()).join("");
    expect(await collect(`${text}\n\r\n`)).toEqual([
      { kind: "package", n: 1 },
      { kind: "artifact", n: 2 },
    ]);
  });

  it.each([
    ['{"kind":"package"}\n{oops', "line 2 is not JSON"],
    ["[1,2]", "not a record"],
    ['{"no":"kind"}', "not a record"],
    ['{"kind":5}', "not a record"],
  ])("refuses %j with exit code 6", async (text, fragment) => {
    const error = await collect(text).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toContain(fragment);
  });

  it("names the kind it wanted and the kind it got", () => {
    expect(() => expectKind({ kind: "verification" }, ["package"], "tofu-oci-push")).toThrow(
      'tofu-oci-push reads package records on stdin, got a "verification" record',
    );
  });
});
