import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../src/index.js";

// Runs the release flow on a copy of the workspace's manifests: a changeset for one package
// bumps that package only, writes its CHANGELOG, and publishes real versions.

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../..", import.meta.url));
const changeset = join(root, "node_modules", ".bin", "changeset");
const scratch = tempDir("tofu-oci-release-");
afterAll(() => scratch.cleanup());

const packageDirs = readdirSync(join(root, "packages")).filter((dir) => existsSync(join(root, "packages", dir, "package.json")));
const version = (copy: string, dir: string) => (JSON.parse(readFileSync(join(copy, "packages", dir, "package.json"), "utf8")) as { version: string }).version;

function copyWorkspaceManifests(): string {
  const copy = join(scratch.path, "workspace");
  for (const file of ["package.json", "pnpm-workspace.yaml"]) cpSync(join(root, file), join(copy, file));
  mkdirSync(join(copy, ".changeset"), { recursive: true });
  cpSync(join(root, ".changeset", "config.json"), join(copy, ".changeset", "config.json"));
  for (const dir of packageDirs) cpSync(join(root, "packages", dir, "package.json"), join(copy, "packages", dir, "package.json"));
  cpSync(join(root, "tools", "testkit", "package.json"), join(copy, "tools", "testkit", "package.json"));
  return copy;
}

describe("release flow (changesets)", () => {
  it("a patch changeset for @tofu-oci/core bumps only core and writes its CHANGELOG", async () => {
    const copy = copyWorkspaceManifests();
    const before = Object.fromEntries(packageDirs.map((dir) => [dir, version(copy, dir)]));
    writeFileSync(join(copy, ".changeset", "sample.md"), '---\n"@tofu-oci/core": patch\n---\n\nFix a sample bug.\n');
    await run("git", ["init", "-q", "-b", "main"], { cwd: copy });
    await run(changeset, ["version"], { cwd: copy });

    const [major, minor, patch] = before.core!.split(".").map(Number);
    expect(version(copy, "core")).toBe(`${major}.${minor}.${patch! + 1}`);
    for (const dir of packageDirs.filter((d) => d !== "core")) expect(version(copy, dir), dir).toBe(before[dir]);
    expect(readFileSync(join(copy, "packages", "core", "CHANGELOG.md"), "utf8")).toContain("Fix a sample bug.");
    expect(existsSync(join(copy, ".changeset", "sample.md"))).toBe(false);
  });

  it("every published package depends on workspace packages through workspace ranges", () => {
    for (const dir of packageDirs) {
      const manifest = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
      const internal = Object.entries(manifest.dependencies ?? {}).filter(([name]) => name.startsWith("@tofu-oci/"));
      expect(internal.filter(([, range]) => range !== "workspace:^"), dir).toEqual([]);
    }
  });
});
