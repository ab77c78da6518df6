import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runProcess, tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../api.mjs", import.meta.url));
const root = fileURLToPath(new URL("../../..", import.meta.url));
const out = tempDir("tofu-oci-api-");
const fixture = tempDir("tofu-oci-api-fixture-");
afterAll(() => {
  out.cleanup();
  fixture.cleanup();
});

/** A one-package workspace whose `Options.retries` has no doc comment; its inline `tool` type needs none per member. */
function writeFixture(root: string): void {
  const files: Record<string, string> = {
    "README.md": "# fixture\n",
    "tools/docs/tsconfig.json": JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        types: [],
        noEmit: true,
      },
      include: ["../../packages/*/src/**/*.ts"],
    }),
    "packages/demo/package.json": JSON.stringify({
      name: "@fixture/demo",
      description: "A fixture package.",
      exports: { ".": "./dist/index.js" },
    }),
    "packages/demo/src/index.ts": [
      "/** Options of {@link run}. */",
      "export interface Options {",
      "  /** Seconds to wait. Default 5. */",
      "  timeout?: number;",
      "  retries?: number;",
      "  /** Names the tool. */",
      "  tool?: { name: string; version: string };",
      "}",
      "",
      "/** Runs nothing. */",
      "export function run(options: Options): Options {",
      "  return options;",
      "}",
      "",
    ].join("\n"),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

describe("API reference", () => {
  it("typedoc documents every package's public entry points without a warning", async () => {
    const result = await runProcess(process.execPath, [script, "--out", out.path], { timeoutMs: 120_000 });
    expect(result.stderr).not.toContain("does not have any documentation");
    expect(result.stderr).not.toMatch(/warning|error/i);
    expect(result.code).toBe(0);
    expect(existsSync(join(out.path, "index.html"))).toBe(true);
  }, 150_000);

  // Issue 21: modules are titled by import path, described, and the ./command entries are in.
  it("titles modules by their import path, with a description, ./command entries included", () => {
    const pages = readdirSync(join(out.path, "modules"));
    expect(pages).toEqual(
      expect.arrayContaining(["_tofu-oci_core.html", "_tofu-oci_core_layout.html", "_tofu-oci_pack_command.html"]),
    );
    expect(pages.filter((page) => page.includes("_src"))).toEqual([]);
    const layout = readFileSync(join(out.path, "modules", "_tofu-oci_core_layout.html"), "utf8");
    expect(layout).toContain("@tofu-oci/core/layout");
    expect(layout).toContain("OCI image layout directories");
    const core = readFileSync(join(out.path, "modules", "_tofu-oci_core.html"), "utf8");
    const { description } = JSON.parse(readFileSync(join(root, "packages", "core", "package.json"), "utf8")) as {
      description: string;
    };
    expect(core).toContain(description.slice(0, 40));
  });

  // Issue 21: every exported member (functions, classes, interfaces, types, constants and their
  // properties and methods) has a doc comment; typedoc's notDocumented validation fails the run.
  it("fails, naming the member, when an exported member has no doc comment", async () => {
    writeFixture(fixture.path);
    const result = await runProcess(
      process.execPath,
      [script, "--root", fixture.path, "--out", join(fixture.path, "api")],
      { timeoutMs: 120_000 },
    );
    const undocumented = result.stderr.split("\n").filter((line) => line.includes("does not have any documentation"));
    expect(undocumented).toHaveLength(1);
    expect(undocumented[0]).toContain("Options.retries (Property)");
    expect(result.code).toBe(1);
    expect(existsSync(join(fixture.path, "api", "index.html"))).toBe(false);
  }, 150_000);
});
