import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildZip, tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { findExecutable, runsAsIs, type UnpackedZip } from "./provider-executable.js";
import { planUnpack } from "./unpack-plan.js";
import { readPackageZip } from "./zip-inspect.js";

const scratch = tempDir();
afterAll(() => scratch.cleanup());

async function unpackedZip(name: string, mode: number): Promise<UnpackedZip> {
  const path = join(scratch.path, `${name}-${mode.toString(8)}.zip`);
  writeFileSync(path, buildZip([{ name, content: "binary", mode }]));
  const entries = await readPackageZip(path);
  const plan = planUnpack(entries);
  if ("problem" in plan) throw new Error(plan.problem);
  return { entries, plan };
}

describe("the provider executable", () => {
  it("warns about a missing execute bit, except on Windows, which has none (as tofu-oci-pack provider checks it)", async () => {
    const unix = await unpackedZip("terraform-provider-thing_v1.0.0", 0o644);
    expect(findExecutable(unix, "thing", { os: "linux" })).toMatchObject({
      ok: true,
      warning: expect.stringContaining("is not marked executable"),
    });
    const windows = await unpackedZip("terraform-provider-thing_v1.0.0.exe", 0o644);
    expect(findExecutable(windows, "thing", { os: "windows" })).toEqual({
      ok: true,
      name: "terraform-provider-thing_v1.0.0.exe",
    });
    const runnable = await unpackedZip("terraform-provider-thing_v1.0.0", 0o755);
    expect(findExecutable(runnable, "thing", { os: "linux" })).toEqual({
      ok: true,
      name: "terraform-provider-thing_v1.0.0",
    });
  });

  it("runs as is with any execute bit, on Windows, or without a recorded Unix mode", () => {
    expect(runsAsIs(0o100, "linux")).toBe(true);
    expect(runsAsIs(0o644, "darwin")).toBe(false);
    expect(runsAsIs(0o644, "windows")).toBe(true);
    expect(runsAsIs(undefined, "linux")).toBe(true);
  });
});
