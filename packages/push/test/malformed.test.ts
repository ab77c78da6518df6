import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { moduleRecord, providerRecord, writeModuleZip, writeProviderZip } from "./fixtures.js";
import { runPush } from "./registry-helpers.js";

const dir = tempDir("tofu-oci-push-malformed-");
afterAll(() => dir.cleanup());
const zip = writeModuleZip(dir.path, "malformed", "ok.zip");
const notZip = join(dir.path, "not-a-zip.zip");
writeFileSync(notZip, "plain text, not a zip");
const notSbom = join(dir.path, "not-sbom.json");
writeFileSync(notSbom, JSON.stringify({ hello: "world" }));
const provider = JSON.stringify(
  providerRecord("example.com/acme/bad", "1.0.0", [writeProviderZip(dir.path, "bad", "1.0.0", "linux", "amd64")]),
);

// Nothing listens on port 1: any network request would end in exit code 5, so these exit codes
// also prove that every check runs before the first request, and that nothing was pushed.
const HOST = "127.0.0.1:1";

describe("malformed input: exit code, one-line message, no stack, no network", () => {
  it.each([
    ["a bad reference", [`${HOST}/Bad_Repo:1`, zip.file], undefined, 2, /invalid repository name/],
    [
      "a digest reference",
      [`${HOST}/repo@sha256:${"a".repeat(64)}`, zip.file],
      undefined,
      2,
      /cannot push to a digest/,
    ],
    ["a bad tag", [`${HOST}/repo:1`, zip.file, "--tag", "bad tag!"], undefined, 2, /invalid tag/],
    ["a missing zip", [`${HOST}/repo:1`, join(dir.path, "missing.zip")], undefined, 6, /does not exist/],
    ["a file that is not a zip", [`${HOST}/repo:1`, notZip], undefined, 6, /not a zip archive/],
    ["records that are not JSON", [`${HOST}/repo:1`], "{not json", 6, /line 1 is not JSON/],
    [
      "records of the wrong kind only",
      [`${HOST}/repo:1`],
      JSON.stringify({ kind: "verification", ok: true }),
      6,
      /no package records on stdin/,
    ],
    [
      "a record whose file changed",
      [`${HOST}/repo:1`],
      JSON.stringify({ ...moduleRecord(zip), size: 1 }),
      6,
      /its record says 1/,
    ],
    ["a bad annotation", [`${HOST}/repo:1`, zip.file, "-a", "no-equals-sign"], undefined, 2, /invalid annotation/],
    ["a provider tag that is not the version", [`${HOST}/repo:9.9.9`], provider, 2, /not the provider version/],
    [
      "an SBOM that is neither SPDX nor CycloneDX",
      [`${HOST}/repo:1`, zip.file, "--sbom", notSbom],
      undefined,
      6,
      /neither SPDX JSON nor CycloneDX/,
    ],
    [
      "a missing SBOM",
      [`${HOST}/repo:1`, zip.file, "--sbom", join(dir.path, "nope.json")],
      undefined,
      6,
      /does not exist/,
    ],
    [
      "an attach without a tag or digest",
      ["attach", `${HOST}/repo`, notSbom, "--artifact-type", "x/y"],
      undefined,
      2,
      /names no tag or digest/,
    ],
  ])("%s", async (_name, args, stdin, code, message) => {
    const result = await runPush(args as string[], stdin === undefined ? {} : { stdin: stdin as string });
    expect(result.code).toBe(code);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(message as RegExp);
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    // Records push does not read pass through before the error record.
    expect(JSON.parse(result.stdout.trim().split("\n").at(-1)!)).toMatchObject({ kind: "error" });
  });
});
