import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { findPlugin, listPlugins } from "./plugins.js";

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
});
