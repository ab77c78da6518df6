import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { runBin, tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { BUILT_IN_COMMANDS } from "../src/built-ins.js";

const scratch = tempDir();
afterAll(() => scratch.cleanup());
const version = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string })
  .version;

/** A git-style plugin: prints its arguments and stdin, exits with the code given as $1. */
function installPlugin(name: string): string {
  const path = join(scratch.path, `tofu-oci-${name}`);
  writeFileSync(path, '#!/bin/sh\necho "args: $*"\necho "stdin: $(cat)"\nexit "$1"\n');
  chmodSync(path, 0o755);
  return scratch.path;
}

describe("tofu-oci umbrella", () => {
  it("--help lists every built-in command with its one-line description", async () => {
    const result = await runBin("cli", ["--help"]);
    expect(result.code).toBe(0);
    for (const [name, { describe }] of Object.entries(BUILT_IN_COMMANDS)) {
      const words = describe.split(/\s+/).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
      expect(result.stdout).toMatch(new RegExp(`tofu-oci ${name}\\s+${words.join("\\s+")}`));
    }
    expect(result.stdout).toContain("tofu-oci-<cmd>");
  });

  it("--version prints the package version", async () => {
    expect(await runBin("cli", ["--version"])).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it("runs tofu-oci-<cmd> from PATH with the remaining arguments, stdin and exit code", async () => {
    const dir = installPlugin("hello");
    const result = await runBin("cli", ["hello", "3", "--flag", "value"], {
      stdin: "piped",
      env: { PATH: `${dir}${delimiter}${process.env.PATH}` },
    });
    expect(result.stdout).toBe("args: 3 --flag value\nstdin: piped\n");
    expect(result.code).toBe(3);
  });

  it("suggests the closest built-in command for a typo", async () => {
    const [name] = Object.keys(BUILT_IN_COMMANDS);
    if (!name) return;
    const result = await runBin("cli", [name.slice(0, -1)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: unknown command '${name.slice(0, -1)}'; did you mean '${name}'?`);
  });

  it("prints a shell completion script", async () => {
    const result = await runBin("cli", ["completion"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("tofu-oci");
    expect(result.stdout).toContain("complete");
  });

  it("completes the commands of a built-in package, and their flags", async () => {
    const commands = await runBin("cli", ["--get-yargs-completions", "tofu-oci", "pack", ""]);
    expect(commands.stdout.split("\n")).toEqual(expect.arrayContaining(["module", "provider"]));
    const flags = await runBin("cli", ["--get-yargs-completions", "tofu-oci", "mirror", "copy", "a", "b", "--"]);
    expect(flags.stdout.split("\n")).toEqual(expect.arrayContaining(["--to-oci-layout", "--plain-http"]));
  });

  it("exits 2 for an unknown command, with a hint", async () => {
    const result = await runBin("cli", ["no-such-command"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: unknown command 'no-such-command'\n");
    expect(result.stderr).toContain("no tofu-oci-no-such-command on PATH; run tofu-oci --help");
  });
});
