import { once } from "node:events";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import {
  findProgram,
  isProgramFile,
  pathDirectories,
  programExtensions,
  programName,
  spawnProgram,
} from "./executables.js";

const scratch = tempDir();
afterAll(() => scratch.cleanup());

/** A Windows file system of the given files, for the lookup rules on any platform. */
function windowsFiles(...files: string[]) {
  const existing = new Set(files.map((file) => file.toLowerCase()));
  return (file: string) => existing.has(file.toLowerCase());
}

describe("PATH lookup on Windows (rules, on every platform)", () => {
  it("tries PATHEXT's endings in order in each directory, first directory first", () => {
    const isProgram = windowsFiles("C:\\b\\tofu-oci-x.cmd", "C:\\b\\tofu-oci-x.exe", "C:\\c\\tofu-oci-x.exe");
    const env = { PATH: "C:\\a;C:\\b;C:\\c", PATHEXT: ".COM;.EXE;.BAT;.CMD" };
    expect(findProgram("tofu-oci-x", { env, platform: "win32", isProgram })).toBe("C:\\b\\tofu-oci-x.exe");
    expect(findProgram("tofu-oci-x", { env: { ...env, PATHEXT: ".CMD;.EXE" }, platform: "win32", isProgram })).toBe(
      "C:\\b\\tofu-oci-x.cmd",
    );
  });

  it("never takes a file without a PATHEXT ending, and defaults PATHEXT as cmd.exe does", () => {
    const isProgram = windowsFiles("C:\\a\\tofu-oci-x", "C:\\a\\tofu-oci-x.ps1", "C:\\a\\tofu-oci-y.bat");
    expect(findProgram("tofu-oci-x", { env: { PATH: "C:\\a" }, platform: "win32", isProgram })).toBeUndefined();
    expect(findProgram("tofu-oci-y", { env: { PATH: "C:\\a" }, platform: "win32", isProgram })).toBe(
      "C:\\a\\tofu-oci-y.bat",
    );
    expect(programExtensions({ env: {}, platform: "win32" })).toEqual([".com", ".exe", ".bat", ".cmd"]);
  });

  it("reads `Path` when PATH is unset and splits on ';'", () => {
    expect(pathDirectories({ env: { Path: "C:\\a;;C:\\b" }, platform: "win32" })).toEqual(["C:\\a", "C:\\b"]);
    expect(pathDirectories({ env: { Path: "/a" }, platform: "linux" })).toEqual([]);
  });

  it("names a program without its PATHEXT ending, in any case", () => {
    expect(programName("tofu-oci-x.CMD", { env: {}, platform: "win32" })).toBe("tofu-oci-x");
    expect(programName("tofu-oci-x.ps1", { env: {}, platform: "win32" })).toBe("tofu-oci-x.ps1");
    expect(programName("tofu-oci-x.cmd", { env: {}, platform: "linux" })).toBe("tofu-oci-x.cmd");
  });
});

describe("PATH lookup on this machine", () => {
  const bin = join(scratch.path, "bin");
  mkdirSync(bin, { recursive: true });
  const script = process.platform === "win32" ? "echo.cmd" : "echo-args";
  writeFileSync(
    join(bin, script),
    process.platform === "win32"
      ? "@echo off\r\necho %*\r\n"
      : '#!/bin/sh\nfor a in "$@"; do printf "[%s]" "$a"; done\n',
  );
  chmodSync(join(bin, script), 0o755);

  it("finds the program and runs it with arguments that need quoting (a .cmd through cmd.exe on Windows)", async () => {
    const name = process.platform === "win32" ? "echo" : "echo-args";
    const found = findProgram(name, {
      env: {
        PATH: `${join(scratch.path, "none")}${process.platform === "win32" ? ";" : ":"}${bin}`,
        PATHEXT: process.env.PATHEXT,
      },
    });
    expect(found).toBe(join(bin, script));
    const child = spawnProgram(found!, ["two words", 'a "quote"'], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    const [code] = await once(child, "close");
    expect(code).toBe(0);
    if (process.platform === "win32") expect(stdout).toContain("two words");
    else expect(stdout).toBe('[two words][a "quote"]');
  });

  it.skipIf(process.platform === "win32")("skips files that are not executable, and directories", () => {
    writeFileSync(join(bin, "plain"), "");
    mkdirSync(join(bin, "folder"), { recursive: true });
    expect(isProgramFile(join(bin, "plain"))).toBe(false);
    expect(isProgramFile(join(bin, "folder"))).toBe(false);
    expect(findProgram("plain", { env: { PATH: bin } })).toBeUndefined();
  });
});
