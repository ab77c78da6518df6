import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exitCodeOf } from "@tofu-oci/core";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

const scratch = tempDir();
afterAll(() => scratch.cleanup());

function project(name: string, files: Record<string, string>): string {
  const dir = join(scratch.path, name);
  mkdirSync(join(dir, "sub"), { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

describe("loadConfig (cosmiconfig)", () => {
  it("finds .tofu-ocirc.json from a subdirectory and from package.json", async () => {
    const rc = project("rc", { ".tofu-ocirc.json": JSON.stringify({ plainHttp: true, concurrency: 8 }) });
    expect(await loadConfig(join(rc, "sub"))).toEqual({ config: { plainHttp: true, concurrency: 8 }, filepath: join(rc, ".tofu-ocirc.json") });
    const pkg = project("pkg", { "package.json": JSON.stringify({ name: "x", "tofu-oci": { registry: "registry.example.com" } }) });
    expect((await loadConfig(pkg)).config).toEqual({ registry: "registry.example.com" });
  });

  it.each([
    [{ plainHtp: true }, 'unknown key "plainHtp"'],
    [{ concurrency: 0 }, '"concurrency" must be a positive integer'],
    [{ caFile: 3 }, '"caFile" must be a string'],
  ])("names the bad key: %j", async (config, fragment) => {
    const dir = project(`bad-${fragment.length}`, { ".tofu-ocirc.json": JSON.stringify(config) });
    const error = await loadConfig(dir).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toContain(fragment);
  });

  it("reports a syntax error with exit code 6", async () => {
    const dir = project("syntax", { ".tofu-ocirc.json": "{ broken" });
    expect(exitCodeOf(await loadConfig(dir).catch((e: unknown) => e))).toBe(6);
  });
});
