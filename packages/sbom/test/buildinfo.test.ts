import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { GREET, MAIN_MODULE, goProgram, tempDir, type GoProgram } from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBuildInfo } from "../src/index.js";

const scratch = tempDir();
let program: GoProgram;

beforeAll(() => {
  program = goProgram(scratch.path);
}, 300_000);
afterAll(() => scratch.cleanup());

describe("Go build info from real executables (debug/buildinfo)", () => {
  it.each([
    ["linux_amd64", "ELF"],
    ["darwin_arm64", "Mach-O"],
    ["windows_amd64", "PE"],
    ["linux_386", "32-bit ELF"],
  ])(
    "reads %s (%s) exactly as go version -m does",
    (platform) => {
      const file = join(scratch.path, `copy-${platform}`);
      writeFileSync(file, program.build(platform));
      return readBuildInfo(file).then((info) => {
        if ("reason" in info) throw new Error(`no build info: ${info.reason}`);
        expect(info.main).toEqual({ path: MAIN_MODULE, version: "(devel)", sum: "" });
        expect(info.deps).toEqual([{ path: GREET.path, version: GREET.version, sum: program.greetSum }]);
        expect(info.settings).toContainEqual({ key: "GOOS", value: platform.split("_")[0] });
        // go version -m prints "<file>: <go version>" and then the module lines with a tab in front.
        const reference = program.versionM(platform);
        expect(reference.split("\n")[0]).toContain(info.goVersion);
        for (const { key, value } of info.settings) expect(reference).toContain(`build\t${key}=${value}`);
      });
    },
    120_000,
  );

  it("says when a file is not an executable or has no Go build info", async () => {
    const text = join(scratch.path, "text");
    writeFileSync(text, "just some text, certainly not an executable");
    expect(await readBuildInfo(text)).toEqual({ reason: "unrecognized-format" });
    const elf = join(scratch.path, "not-go");
    const header = Buffer.alloc(64);
    header.write("\x7fELF", 0, "latin1");
    header[4] = 2;
    header[5] = 1;
    writeFileSync(elf, header);
    expect(await readBuildInfo(elf)).toEqual({ reason: "not-go" });
  });
});
