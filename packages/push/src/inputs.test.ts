import { Readable } from "node:stream";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { exitCodeOf } from "@tofu-oci/core";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { moduleRecord, writeModuleZip } from "../test/fixtures.js";
import { loadInputs } from "./inputs.js";

const dir = tempDir("tofu-oci-push-inputs-");
afterAll(() => dir.cleanup());
const zip = writeModuleZip(dir.path, "inputs");
const good = moduleRecord(zip);

async function failure(lines: unknown[]): Promise<{ code: number; message: string }> {
  const stdin = Readable.from([lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n")]);
  const error = (await loadInputs({ stdin }).then(
    () => undefined,
    (e: unknown) => e,
  )) as Error;
  expect(error).toBeDefined();
  return { code: exitCodeOf(error), message: error.message };
}

describe("loadInputs", () => {
  it("accepts a module record and resolves its file", async () => {
    const [input] = await loadInputs({ stdin: Readable.from([JSON.stringify(good)]) });
    expect(input).toEqual({ type: "module", zip: { file: zip.file, digest: zip.digest, size: zip.size } });
  });

  it.each([
    ["not JSON", ["{oops"], /not JSON/],
    ["only records of other kinds (passed on)", [{ kind: "artifact", type: "module" }], /no package records on stdin/],
    ["a bad digest", [{ ...good, digest: "sha256:nope" }], /"digest"/],
    ["a size that does not match", [{ ...good, size: good.size + 1 }], /its record says/],
    ["a missing file", [{ ...good, file: "/nonexistent/net.zip" }], /does not exist/],
    ["an unknown type", [{ ...good, type: "chart" }], /unknown package type/],
    [
      "a provider without platforms",
      [{ kind: "package", type: "provider", provider: "a.io/b/c", version: "1.0.0", platforms: [] }],
      /non-empty/,
    ],
    [
      "a bad provider version",
      [{ kind: "package", type: "provider", provider: "a.io/b/c", version: "latest", platforms: [] }],
      /"version"/,
    ],
  ])("refuses %s with exit code 6", async (_name, lines, message) => {
    const result = await failure(lines);
    expect(result.code).toBe(6);
    expect(result.message).toMatch(message);
  });

  it("passes other records on and ends at an upstream error record with its code and message", async () => {
    const passed: unknown[] = [];
    const lines = [
      { kind: "cli-config", text: "x" },
      good,
      { kind: "error", code: "unauthorized", message: "authentication required" },
    ];
    const stdin = Readable.from([lines.map((l) => JSON.stringify(l)).join("\n")]);
    const error = await loadInputs({ stdin, onOtherRecord: (record) => passed.push(record) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "UpstreamError", code: "unauthorized", message: "authentication required" });
    expect(exitCodeOf(error)).toBe(4);
    expect(passed).toEqual([{ kind: "cli-config", text: "x" }]);
  });

  it("refuses a file that is not a zip", async () => {
    const text = join(dir.path, "text.zip");
    writeFileSync(text, "hello");
    const result = await failure([{ ...good, file: text, size: 5 }]);
    expect(result).toMatchObject({ code: 6, message: expect.stringMatching(/not a zip archive/) });
  });

  it("refuses empty stdin (exit 6) and no input at all (exit 2)", async () => {
    expect((await failure([])).code).toBe(6);
    expect(exitCodeOf(await loadInputs({ stdinIsTTY: true, stdin: Readable.from([]) }).catch((e: unknown) => e))).toBe(
      2,
    );
  });
});
