import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { badInputCases } from "./bad-input-cases.js";
import { badFilePaths, writeBadFiles } from "./support/bad-input-fixtures.js";
import { expectFailure } from "./support/expect-failure.js";
import { makeUser } from "./support/user.js";

// Issue 10, "Bad input (every bin)": each case exits with its documented code, one line saying
// what is wrong (plus at most a hint), no stack trace, a JSON error record in json mode, and
// nothing written: the user's directories are byte-for-byte as before.
const scratch = tempDir("tofu-oci-e2e-bad-input-");
const bad = badFilePaths(join(scratch.path, "files"));
const cases = badInputCases(bad);
beforeAll(() => writeBadFiles(bad));
afterAll(() => scratch.cleanup());

/** Every path under `dir`, files with their size and modification time. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .sort()
    .map((path) => {
      const info = statSync(join(dir, path));
      return info.isDirectory() ? `${path}/` : `${path} ${info.size} ${info.mtimeMs}`;
    });
}

function writeAll(root: string, content: Record<string, string> = {}): void {
  for (const [path, text] of Object.entries(content)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

describe("bad input to every bin", () => {
  it("has at least 60 cases over all seven bins", () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.bin))).toEqual(
      new Set(["pack", "push", "verify", "auth", "mirror", "deps", "cli"]),
    );
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.concurrent.each(cases.map((testCase) => [testCase.name, testCase] as const))("%s", async (name, testCase) => {
    const user = makeUser(scratch.path, name.replace(/\W+/g, "-"));
    writeAll(user.cwd, testCase.cwdFiles);
    writeAll(user.home, testCase.homeFiles);
    const root = join(user.cwd, "..");
    const before = snapshot(root);
    const format = testCase.format ?? "json";
    const result = await user.run(testCase.bin, [...testCase.args, "--format", format], {
      ...(testCase.stdin === undefined ? {} : { stdin: testCase.stdin }),
      ...(testCase.env ? { env: testCase.env } : {}),
    });
    expectFailure(result, testCase.code, testCase.message, format);
    expect(snapshot(root)).toEqual(before);
  });
});
