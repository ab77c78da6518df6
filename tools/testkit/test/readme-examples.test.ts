import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runProcess } from "../src/index.js";
import { checkedBlocks, writeBlocks } from "./readme-blocks.js";

// The TypeScript examples of the package READMEs that are fenced as ```ts check compile. All such
// blocks of one README form one small project inside the package (so `@tofu-oci/<pkg>` resolves
// to the package itself and its dependencies to its own node_modules), type-checked by the
// workspace's tsc against the built declarations (run `tsc -b` first). A block is the file its
// first comment names (`// src/command.ts`), else `example-N.ts`.

const root = fileURLToPath(new URL("../../..", import.meta.url));
const tsc = join(dirname(createRequire(join(root, "package.json")).resolve("typescript/package.json")), "bin", "tsc");
const scratchDirs: string[] = [];
afterAll(() => scratchDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const allReadmes = readdirSync(join(root, "packages"))
  .map((dir) => join(root, "packages", dir))
  .filter((dir) => existsSync(join(dir, "README.md")));
const readmes = allReadmes.filter((dir) => checkedBlocks(readFileSync(join(dir, "README.md"), "utf8")).length > 0);

/**
 * Every workspace package in the project's node_modules, so an example may import any of them
 * (push's imports pack, as a user's project would); a package's own dependencies still resolve
 * from its real directory.
 */
function linkWorkspacePackages(dir: string): void {
  mkdirSync(join(dir, "node_modules", "@tofu-oci"), { recursive: true });
  for (const name of readdirSync(join(root, "packages"))) {
    if (existsSync(join(root, "packages", name, "package.json")))
      symlinkSync(join(root, "packages", name), join(dir, "node_modules", "@tofu-oci", name), "dir");
  }
}

/** Writes the blocks as a project in the package and returns its directory. */
function project(packageDir: string, blocks: string[]): string {
  mkdirSync(join(packageDir, ".tofu-oci-test"), { recursive: true });
  const dir = mkdtempSync(join(packageDir, ".tofu-oci-test", "readme-"));
  scratchDirs.push(dir);
  writeBlocks(dir, blocks);
  const compilerOptions = {
    noEmit: true,
    composite: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
  };
  const tsconfig = { extends: relative(dir, join(root, "tsconfig.base.json")), compilerOptions, include: ["**/*.ts"] };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
  linkWorkspacePackages(dir);
  return dir;
}

describe("README examples", () => {
  it("has examples to check", () => {
    expect(readmes.map((dir) => relative(root, dir))).toEqual(
      expect.arrayContaining(["packages/auth", "packages/cli-kit"]),
    );
  });

  // Issue 21: every TypeScript example in a package README is checked; none is left as plain ```ts.
  it.each(allReadmes.map((dir) => relative(root, dir)))("%s/README.md has no unchecked TypeScript block", (dir) => {
    const unchecked = readFileSync(join(root, dir, "README.md"), "utf8").match(/^```(ts|typescript)$/gm) ?? [];
    expect(unchecked).toEqual([]);
  });

  it.each(readmes.map((dir) => [relative(root, dir), dir] as const))(
    "%s/README.md: the ts check blocks compile",
    async (_name, dir) => {
      const blocks = checkedBlocks(readFileSync(join(dir, "README.md"), "utf8"));
      const result = await runProcess(process.execPath, [tsc, "-p", project(dir, blocks)], { timeoutMs: 120_000 });
      expect(result.stdout + result.stderr).toBe("");
      expect(result.code).toBe(0);
    },
    150_000,
  );
});
