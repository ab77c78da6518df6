import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exitCodeOf } from "@tofu-oci/core";
import { memoryContext, tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { registryClientOptions } from "./registry-options.js";

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
    expect(await loadConfig(join(rc, "sub"))).toEqual({
      config: { plainHttp: true, concurrency: 8 },
      filepath: join(rc, ".tofu-ocirc.json"),
    });
    const pkg = project("pkg", {
      "package.json": JSON.stringify({ name: "x", "tofu-oci": { registry: "registry.example.com" } }),
    });
    expect((await loadConfig(pkg)).config).toEqual({ registry: "registry.example.com" });
  });

  it.each([
    [{ plainHtp: true }, 'unknown key "plainHtp"'],
    [{ concurrency: 0 }, '"concurrency" must be a positive integer'],
    [{ caFile: 3 }, '"caFile" must be a string'],
    [{ retries: -1 }, '"retries" must be an integer of 0 or more'],
    [{ chunkSize: 0 }, '"chunkSize" must be a positive integer'],
  ])("names the bad key: %j", async (config, fragment) => {
    const dir = project(`bad-${fragment.length}`, { ".tofu-ocirc.json": JSON.stringify(config) });
    const error = await loadConfig(dir).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toContain(fragment);
  });

  it("turns the retry and chunk keys into registry client options", async () => {
    const dir = project("retry", {
      ".tofu-ocirc.json": JSON.stringify({ retries: 0, retryMinDelayMs: 0, retryMaxDelayMs: 20, chunkSize: 1048576 }),
    });
    const { config } = await loadConfig(dir);
    const options = await registryClientOptions({}, memoryContext({ cwd: dir, env: { HOME: dir } }).ctx, { config });
    expect(options.retry).toEqual({ retries: 0, minDelayMs: 0, maxDelayMs: 20 });
    expect(options.chunkSize).toBe(1048576);
    const defaults = await registryClientOptions({}, memoryContext({ cwd: dir, env: { HOME: dir } }).ctx, {
      config: {},
    });
    expect(defaults.retry).toBeUndefined();
    expect(defaults.chunkSize).toBeUndefined();
  });

  it("reports a syntax error with exit code 6, on one line without the parser's code frame", async () => {
    const dir = project("syntax", { ".tofu-ocirc.json": "{ broken" });
    const error = await loadConfig(dir).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toMatch(
      /^cannot read the tofu-oci config file: JSON Error in .*\.tofu-ocirc\.json: .*position 2/,
    );
    expect((error as Error).message).not.toContain("\n");
  });

  it("reads a .tofu-ocirc that holds JSON as JSON, so its errors say JSON; YAML stays YAML", async () => {
    const json = await loadConfig(project("rc-json", { ".tofu-ocirc": '{"plainHttp": true,' })).catch(
      (e: unknown) => e,
    );
    expect((json as Error).message).toMatch(/^cannot read the tofu-oci config file: JSON Error in .*\.tofu-ocirc:/);
    expect((await loadConfig(project("rc-json-ok", { ".tofu-ocirc": '{"plainHttp": true}' }))).config).toEqual({
      plainHttp: true,
    });
    expect(
      (await loadConfig(project("rc-yaml", { ".tofu-ocirc": "plainHttp: true\nconcurrency: 2\n" }))).config,
    ).toEqual({ plainHttp: true, concurrency: 2 });
  });

  it("stops every command, also one that uses none of its keys", async () => {
    const { defineCommand } = await import("./define-command.js");
    const { runCli } = await import("./run-cli.js");
    let ran = false;
    const command = defineCommand({
      command: "noop",
      describe: "uses no config",
      builder: (y) => y,
      handler: () => void (ran = true),
    });
    const io = memoryContext({ cwd: project("rc-unknown", { ".tofu-ocirc": '{"bogus": 1}' }) });
    expect(await runCli({ scriptName: "tofu-oci-x", version: "1", commands: [command] }, ["noop"], io.ctx)).toBe(6);
    expect(io.stderr()).toContain('unknown key "bogus"');
    expect(ran).toBe(false);
  });
});
