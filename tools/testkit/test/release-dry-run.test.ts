import { existsSync, mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runProcess, tempDir } from "../src/index.js";

// The release script as CI runs it (CONTRIBUTING.md, "Releasing"): `node tools/run.mjs release
// --dry-run` packs every published package through the dist guard and `pnpm publish --dry-run`,
// with npm pointed at a loopback registry that has nothing, so nothing is uploaded. Build first.

const root = fileURLToPath(new URL("../../..", import.meta.url));
const scratch = tempDir("tofu-oci-release-dry-");
afterAll(() => scratch.cleanup());

const manifests = readdirSync(join(root, "packages"))
  .filter((dir) => existsSync(join(root, "packages", dir, "package.json")))
  .map(
    (dir) =>
      JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) as {
        name: string;
        private?: boolean;
      },
  );

describe("release script", () => {
  it("dry-runs: every published package passes the dist guard and pnpm publish --dry-run, nothing is uploaded", async () => {
    const result = await runProcess(
      process.execPath,
      [join(root, "tools", "run.mjs"), "release", "--dry-run", "--skip-build", "--skip-tests"],
      {
        cwd: root,
        timeoutMs: 400_000,
      },
    );
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(0);
    expect(output).toContain("nothing was uploaded");
    for (const { name, private: isPrivate } of manifests) {
      expect(output.includes(`Publishing "${name}"`), name).toBe(!isPrivate);
    }
    for (const privateName of ["@tofu-oci/testkit", "@tofu-oci/e2e", "@tofu-oci/docs"])
      expect(output).not.toContain(`Publishing "${privateName}"`);
  }, 420_000);

  it("refuses without a build", async () => {
    const result = await runProcess(process.execPath, [join(root, "tools", "run.mjs"), "release", "--skip-build"], {
      cwd: root,
    });
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("--skip-build is only for --dry-run");
  });
});

describe("dist guard (tools/check-dist.mjs, every package's prepack)", () => {
  function fakePackage(name: string): string {
    const dir = join(scratch.path, name);
    mkdirSync(join(dir, "src"), { recursive: true });
    mkdirSync(join(dir, "dist"), { recursive: true });
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name, exports: { ".": "./dist/index.js", "./extra": "./dist/extra.js" } }),
    );
    writeFileSync(join(dir, "src", "index.ts"), "export const a = 1;\n");
    writeFileSync(join(dir, "dist", "index.js"), "export const a = 1;\n");
    writeFileSync(join(dir, "dist", "index.d.ts"), "export declare const a = 1;\n");
    const later = new Date(Date.now() + 60_000);
    for (const file of ["index.js", "index.d.ts"]) utimesSync(join(dir, "dist", file), later, later);
    return dir;
  }

  it("refuses a dist/ with a missing entry file or a file left over from a deleted source", async () => {
    const dir = fakePackage("stale");
    writeFileSync(join(dir, "dist", "deleted.js"), "export {};\n");
    const result = await runProcess(process.execPath, [join(root, "tools", "check-dist.mjs"), dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("./dist/extra.js (named in package.json) is missing");
    expect(result.stderr).toContain("dist/deleted.js has no source");
  });

  it("passes a dist/ that is newer than its sources and complete", async () => {
    const dir = fakePackage("fresh");
    writeFileSync(join(dir, "src", "extra.ts"), "export {};\n");
    writeFileSync(join(dir, "dist", "extra.js"), "export {};\n");
    writeFileSync(join(dir, "dist", "extra.d.ts"), "export {};\n");
    const later = new Date(Date.now() + 60_000);
    for (const file of ["extra.js", "extra.d.ts"]) utimesSync(join(dir, "dist", file), later, later);
    const result = await runProcess(process.execPath, [join(root, "tools", "check-dist.mjs"), dir]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });
});
