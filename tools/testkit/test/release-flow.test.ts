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

const packageDirs = readdirSync(join(root, "packages")).filter((dir) =>
  existsSync(join(root, "packages", dir, "package.json")),
);
const version = (copy: string, dir: string) =>
  (JSON.parse(readFileSync(join(copy, "packages", dir, "package.json"), "utf8")) as { version: string }).version;

const dependenciesOf = (copy: string, dir: string) =>
  (
    JSON.parse(readFileSync(join(copy, "packages", dir, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    }
  ).dependencies ?? {};

let copies = 0;
function copyWorkspaceManifests(): string {
  const copy = join(scratch.path, `workspace-${++copies}`);
  for (const file of ["package.json", "pnpm-workspace.yaml"]) cpSync(join(root, file), join(copy, file));
  mkdirSync(join(copy, ".changeset"), { recursive: true });
  cpSync(join(root, ".changeset", "config.json"), join(copy, ".changeset", "config.json"));
  for (const dir of packageDirs)
    cpSync(join(root, "packages", dir, "package.json"), join(copy, "packages", dir, "package.json"));
  cpSync(join(root, "tools", "testkit", "package.json"), join(copy, "tools", "testkit", "package.json"));
  return copy;
}

/** Runs `changeset version` with one changeset on a fresh copy; the versions before it, and the copy. */
async function versionWith(changesetFile: string): Promise<{ copy: string; before: Record<string, string> }> {
  const copy = copyWorkspaceManifests();
  const before = Object.fromEntries(packageDirs.map((dir) => [dir, version(copy, dir)]));
  writeFileSync(join(copy, ".changeset", "sample.md"), changesetFile);
  await run("git", ["init", "-q", "-b", "main"], { cwd: copy });
  await run(changeset, ["version"], { cwd: copy });
  return { copy, before };
}

describe("release flow (changesets)", () => {
  it("a patch changeset for @tofu-oci/core bumps only core and writes its CHANGELOG", async () => {
    const { copy, before } = await versionWith('---\n"@tofu-oci/core": patch\n---\n\nFix a sample bug.\n');

    const [major, minor, patch] = before.core!.split(".").map(Number);
    expect(version(copy, "core")).toBe(`${major}.${minor}.${patch! + 1}`);
    for (const dir of packageDirs.filter((d) => d !== "core")) expect(version(copy, dir), dir).toBe(before[dir]);
    expect(readFileSync(join(copy, "packages", "core", "CHANGELOG.md"), "utf8")).toContain("Fix a sample bug.");
    expect(existsSync(join(copy, ".changeset", "sample.md"))).toBe(false);
  });

  it("a minor changeset for @tofu-oci/pack also bumps the packages whose ^0.x range it leaves, and nothing else", async () => {
    const { copy, before } = await versionWith('---\n"@tofu-oci/pack": minor\n---\n\nA sample feature.\n');

    const dependents = packageDirs.filter((dir) => Object.keys(dependenciesOf(copy, dir)).includes("@tofu-oci/pack"));
    expect(dependents.sort()).toEqual(["cli", "doctor", "mirror"]);
    const [major, minor] = before.pack!.split(".").map(Number);
    expect(version(copy, "pack")).toBe(`${major}.${minor! + 1}.0`);
    for (const dir of dependents) {
      const [dMajor, dMinor, dPatch] = before[dir]!.split(".").map(Number);
      expect(version(copy, dir), dir).toBe(`${dMajor}.${dMinor}.${dPatch! + 1}`);
      // `workspace:^` stays; pnpm publish writes it as ^<pack's new version>.
      expect(dependenciesOf(copy, dir)["@tofu-oci/pack"], dir).toBe("workspace:^");
    }
    for (const dir of packageDirs.filter((d) => d !== "pack" && !dependents.includes(d)))
      expect(version(copy, dir), dir).toBe(before[dir]);
  });

  it("every published package depends on workspace packages through workspace ranges", () => {
    for (const dir of packageDirs) {
      const manifest = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) as {
        dependencies?: Record<string, string>;
      };
      const internal = Object.entries(manifest.dependencies ?? {}).filter(([name]) => name.startsWith("@tofu-oci/"));
      expect(
        internal.filter(([, range]) => range !== "workspace:^"),
        dir,
      ).toEqual([]);
    }
  });
});
