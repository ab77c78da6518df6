import { parseRecords, type BinResult } from "@tofu-oci/testkit";
import { expect } from "vitest";

/**
 * The failure contract of docs/contract/design.md §2.2: the exit code, one `error:` line saying what is wrong
 * (plus at most one hint line), no stack trace, and in JSON mode exactly one error record.
 */
export function expectFailure(
  result: BinResult,
  code: number,
  message: RegExp,
  format: "json" | "text" = "json",
): void {
  const context = `stdout: ${result.stdout}\nstderr: ${result.stderr}`;
  expect(result.code, context).toBe(code);
  const lines = result.stderr
    .trimEnd()
    .split("\n")
    .filter((line) => !line.startsWith("warning:"));
  expect(lines[0], context).toMatch(/^error: /);
  expect(lines[0], context).toMatch(message);
  expect(lines.length, context).toBeLessThanOrEqual(2);
  expect(result.stderr, context).not.toMatch(/^\s+at /m);
  if (format === "json") {
    // A failed verification (exit 1) prints its verification records before the error record.
    const records = parseRecords(result.stdout);
    expect(records.at(-1), context).toEqual(
      expect.objectContaining({ kind: "error", code: expect.any(String), message: expect.any(String) }),
    );
    expect(
      records.filter((record) => record.kind !== (code === 1 ? "verification" : "error")),
      context,
    ).toEqual(code === 1 ? [records.at(-1)] : []);
  } else if (code !== 1) {
    expect(result.stdout, context).toBe("");
  }
}

/** The one record of a successful run, after checking the exit code. */
export function onlyRecord(result: BinResult): Record<string, unknown> {
  expect(result.code, result.stderr).toBe(0);
  const records = parseRecords(result.stdout);
  expect(records, result.stdout).toHaveLength(1);
  return records[0]!;
}
