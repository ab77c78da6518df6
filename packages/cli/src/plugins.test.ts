import { chmodSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { findPlugin, suggest } from "./plugins.js";

const scratch = tempDir();
afterAll(() => scratch.cleanup());

describe("plugins", () => {
  it("finds only executable tofu-oci-<name> files, first on PATH wins", () => {
    writeFileSync(join(scratch.path, "tofu-oci-noexec"), "");
    writeFileSync(join(scratch.path, "tofu-oci-ok"), "#!/bin/sh\n");
    chmodSync(join(scratch.path, "tofu-oci-ok"), 0o755);
    const path = ["/nonexistent", scratch.path].join(delimiter);
    expect(findPlugin("ok", path)).toBe(join(scratch.path, "tofu-oci-ok"));
    expect(findPlugin("noexec", path)).toBeUndefined();
    expect(findPlugin("ok", undefined)).toBeUndefined();
  });

  it("suggests close command names", () => {
    const known = ["pack", "push", "verify", "auth", "mirror"];
    expect(suggest("pakc", known)).toEqual(["pack"]);
    expect(suggest("pus", known)).toContain("push");
    expect(suggest("verfy", known)).toEqual(["verify"]);
    expect(suggest("zzzzzz", known)).toEqual([]);
  });
});
