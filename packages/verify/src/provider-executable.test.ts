import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { buildZip } from "../test/zip-builder.js";
import { Checks } from "./checks.js";
import { checkPackageZip } from "./package-zip.js";
import { findExecutable } from "./provider-executable.js";

const scratch = tempDir();
afterAll(() => scratch.cleanup());

async function checkedZip(name: string, mode: number) {
  const path = join(scratch.path, `${name}-${mode.toString(8)}.zip`);
  writeFileSync(path, buildZip([{ name, content: "binary", mode }]));
  return checkPackageZip(path, new Checks());
}

describe("the provider executable", () => {
  it("warns about a missing execute bit, except on Windows, which has none (as tofu-oci-pack provider checks it)", async () => {
    const unix = await checkedZip("terraform-provider-thing_v1.0.0", 0o644);
    expect(findExecutable(unix, "thing", { os: "linux" })).toMatchObject({ ok: true, warning: expect.stringContaining("is not marked executable") });
    const windows = await checkedZip("terraform-provider-thing_v1.0.0.exe", 0o644);
    expect(findExecutable(windows, "thing", { os: "windows" })).toEqual({ ok: true, name: "terraform-provider-thing_v1.0.0.exe" });
    const runnable = await checkedZip("terraform-provider-thing_v1.0.0", 0o755);
    expect(findExecutable(runnable, "thing", { os: "linux" })).toEqual({ ok: true, name: "terraform-provider-thing_v1.0.0" });
  });
});
