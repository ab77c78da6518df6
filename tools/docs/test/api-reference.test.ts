import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runProcess, tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../api.mjs", import.meta.url));
const root = fileURLToPath(new URL("../../..", import.meta.url));
const out = tempDir("tofu-oci-api-");
afterAll(() => out.cleanup());

describe("API reference", () => {
  it("typedoc documents every package's public entry points without a warning", async () => {
    const result = await runProcess(process.execPath, [script, "--out", out.path], { timeoutMs: 120_000 });
    expect(result.stderr).not.toMatch(/warning|error/i);
    expect(result.code).toBe(0);
    expect(existsSync(join(out.path, "index.html"))).toBe(true);
  }, 150_000);

  // Issue 21: modules are titled by import path, described, and the ./command entries are in.
  it("titles modules by their import path, with a description, ./command entries included", () => {
    const pages = readdirSync(join(out.path, "modules"));
    expect(pages).toEqual(expect.arrayContaining(["_tofu-oci_core.html", "_tofu-oci_core_layout.html", "_tofu-oci_pack_command.html"]));
    expect(pages.filter((page) => page.includes("_src"))).toEqual([]);
    const layout = readFileSync(join(out.path, "modules", "_tofu-oci_core_layout.html"), "utf8");
    expect(layout).toContain("@tofu-oci/core/layout");
    expect(layout).toContain("OCI image layout directories");
    const core = readFileSync(join(out.path, "modules", "_tofu-oci_core.html"), "utf8");
    const { description } = JSON.parse(readFileSync(join(root, "packages", "core", "package.json"), "utf8")) as { description: string };
    expect(core).toContain(description.slice(0, 40));
  });
});
