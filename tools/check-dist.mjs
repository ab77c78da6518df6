#!/usr/bin/env node
// The publish guard: every package's `prepack` runs it (so `pnpm pack`, `pnpm publish` and
// `changeset publish` all do), and it refuses to pack a package whose dist/ is not the build of
// its src/ as it is now.
//   node ../../tools/check-dist.mjs            (in a package directory)
//   node tools/check-dist.mjs packages/core ...
// Fresh means: every .js and .d.ts of a build of src/ is in dist/ byte for byte (source-map
// comments aside), dist/ holds no .js or .d.ts left over from a deleted source, and every file
// `exports` and `bin` name exists. When every output is newer than its source, that is taken as
// fresh without compiling; otherwise the package is compiled into a scratch directory and
// compared, since a checkout that changes nothing still makes sources look newer.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = join(dirname(createRequire(join(root, "package.json")).resolve("typescript/package.json")), "bin", "tsc");

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The compiled files (.js, .d.ts and their .mjs/.cjs forms) under `dir`, relative to it. */
function compiledFiles(dir) {
  return walk(dir)
    .map((file) => relative(dir, file))
    .filter((file) => /\.d\.(m|c)?ts$/.test(file) || /\.(m|c)?js$/.test(file));
}

function withoutMapComment(text) {
  return text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
}

/** The files of `exports` and `bin`, which must be in the tarball. */
function entryFiles(manifest) {
  const targets = [];
  const collect = (value) => {
    if (typeof value === "string") targets.push(value);
    else if (value && typeof value === "object") Object.values(value).forEach(collect);
  };
  collect(manifest.exports);
  collect(manifest.bin);
  return targets.filter((target) => !target.includes("*"));
}

/** True when every source under src/ has a .js and a .d.ts in dist/ that is not older than it. */
function newerThanSources(packageDir) {
  const src = join(packageDir, "src");
  const sources = walk(src)
    .map((file) => relative(src, file))
    .filter((file) => /\.(m|c)?ts$/.test(file) && !/\.d\.(m|c)?ts$/.test(file) && !/\.test\./.test(file));
  return sources.every((file) => {
    const base = join(packageDir, "dist", file.replace(/\.(m|c)?ts$/, ""));
    const changed = statSync(join(src, file)).mtimeMs;
    return [".js", ".d.ts"].every((ext) => existsSync(base + ext) && statSync(base + ext).mtimeMs >= changed);
  });
}

/** What is wrong with the package's dist/, one line each; empty when it is the build of src/. */
export function distProblems(packageDir) {
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
  const problems = entryFiles(manifest)
    .filter((target) => !existsSync(join(packageDir, target)))
    .map((target) => `${target} (named in package.json) is missing`);
  if (newerThanSources(packageDir)) return [...problems, ...leftovers(packageDir)];
  return [...problems, ...compiledProblems(packageDir)];
}

/** dist/ files without a source (only .js/.d.ts pairs that tsc would write for src/). */
function leftovers(packageDir) {
  const src = join(packageDir, "src");
  return compiledFiles(join(packageDir, "dist"))
    .filter(
      (file) =>
        ![".ts", ".mts", ".cts"].some((ext) =>
          existsSync(join(src, file.replace(/\.d\.(m|c)?ts$|\.(m|c)?js$/, "") + ext)),
        ),
    )
    .map((file) => `dist/${file} has no source (left over from a deleted file)`);
}

/** Compiles src/ into a scratch directory and compares the result with dist/. */
function compiledProblems(packageDir) {
  const dist = join(packageDir, "dist");
  const scratch = mkdtempSync(join(tmpdir(), "tofu-oci-check-dist-"));
  try {
    const flags = [
      "--outDir",
      scratch,
      "--composite",
      "false",
      "--incremental",
      "false",
      "--declarationMap",
      "false",
      "--sourceMap",
      "false",
    ];
    const built = spawnSync(process.execPath, [tsc, "-p", join(packageDir, "tsconfig.json"), ...flags], {
      encoding: "utf8",
    });
    if (built.status !== 0) return [`src/ does not compile:\n${built.stdout}${built.stderr}`];
    const problems = [];
    const fresh = compiledFiles(scratch);
    for (const file of fresh) {
      const published = join(dist, file);
      if (!existsSync(published)) problems.push(`dist/${file} is missing`);
      else if (
        withoutMapComment(readFileSync(published, "utf8")) !==
        withoutMapComment(readFileSync(join(scratch, file), "utf8"))
      ) {
        problems.push(`dist/${file} differs from the build of src/`);
      }
    }
    const expected = new Set(fresh);
    for (const file of compiledFiles(dist).filter((file) => !expected.has(file))) {
      problems.push(`dist/${file} has no source (left over from a deleted file)`);
    }
    return problems;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const dirs = process.argv.length > 2 ? process.argv.slice(2) : [process.cwd()];
  let failed = false;
  for (const dir of dirs) {
    const problems = distProblems(dir);
    if (problems.length === 0) continue;
    failed = true;
    const name = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name;
    const shown = problems
      .slice(0, 10)
      .map((problem) => `  ${problem}\n`)
      .join("");
    const more = problems.length > 10 ? `  ... and ${problems.length - 10} more\n` : "";
    process.stderr.write(`${name}: dist/ is not the build of src/, refusing to pack it:\n${shown}${more}`);
  }
  if (failed) {
    process.stderr.write("Build first (`pnpm exec tsc -b`); after deleting a source file, `rm -rf dist` and build.\n");
    process.exit(1);
  }
}
