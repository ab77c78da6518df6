import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { memoryContext, tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { qualifyReference } from "./default-registry.js";
import { Output } from "./output.js";
import { registryClientOptions } from "./registry-options.js";

const scratch = tempDir();
afterAll(() => scratch.cleanup());

describe("qualifyReference (the config file's registry)", () => {
  it.each([
    ["modules/vpc:1.0.0", "registry.example.com/modules/vpc:1.0.0"],
    ["team/modules/vpc@sha256:abc", "registry.example.com/team/modules/vpc@sha256:abc"],
    ["other.example.com/modules/vpc:1.0.0", "other.example.com/modules/vpc:1.0.0"],
    ["localhost/vpc", "localhost/vpc"],
    ["127.0.0.1:5000/vpc", "127.0.0.1:5000/vpc"],
    ["oci://other.example.com/vpc?tag=1.0.0", "oci://other.example.com/vpc?tag=1.0.0"],
    ["vpc", "vpc"],
  ])("%s -> %s", (reference, expected) => {
    expect(qualifyReference(reference, "registry.example.com")).toBe(expected);
  });

  it("refuses a first part that is not a host when no registry is configured, rather than look it up as one", () => {
    expect(() => qualifyReference("modules/vpc:1.0.0", undefined)).toThrow(
      /"modules" in modules\/vpc:1\.0\.0 is not a registry host/,
    );
    expect(() => qualifyReference("modules/vpc:1.0.0", undefined)).toThrow(
      expect.objectContaining({ code: "usage", hint: expect.stringContaining('set "registry"') }),
    );
    expect(qualifyReference("registry.example.com/vpc", undefined)).toBe("registry.example.com/vpc");
    expect(qualifyReference("${registry}/mirror/${repository}", undefined)).toBe("${registry}/mirror/${repository}");
  });
});

describe("concurrency from the config file", () => {
  it("is the default, and --concurrency wins", async () => {
    const dir = join(scratch.path, "concurrency");
    mkdirSync(dir);
    writeFileSync(join(dir, ".tofu-ocirc.json"), JSON.stringify({ concurrency: 7 }));
    const { ctx } = memoryContext({ cwd: dir, env: { HOME: dir } });
    expect((await registryClientOptions({}, ctx)).concurrency).toBe(7);
    expect((await registryClientOptions({ concurrency: 2 }, ctx)).concurrency).toBe(2);
    expect(
      (await registryClientOptions({}, memoryContext({ cwd: scratch.path, env: { HOME: dir } }).ctx)).concurrency,
    ).toBe(4);
  });
});

describe("colour on stderr", () => {
  const ESC = "\u001b[";
  function warned(stderrIsTTY: boolean, env: Record<string, string>): string {
    const context = memoryContext({ env });
    new Output({ ...context.ctx, stderrIsTTY }).warn("careful");
    return context.stderr();
  }

  it("only on a terminal", () => {
    expect(warned(true, {})).toContain(`${ESC}33mwarning:${ESC}0m careful`);
    expect(warned(false, {})).toBe("warning: careful\n");
  });

  it("never with NO_COLOR set to anything non-empty, or TERM=dumb", () => {
    expect(warned(true, { NO_COLOR: "1" })).toBe("warning: careful\n");
    expect(warned(true, { TERM: "dumb" })).toBe("warning: careful\n");
    expect(warned(true, { NO_COLOR: "" })).toContain(ESC);
  });
});

describe("--quiet and --verbose", () => {
  function printed(options: { quiet?: boolean; verbose?: boolean }): string {
    const context = memoryContext();
    const output = new Output(context.ctx, options);
    output.info("status");
    output.debug("detail");
    output.warn("careful");
    output.error(new Error("boom"));
    return context.stderr();
  }

  it("quiet drops status lines; warnings and errors always print; details only with verbose", () => {
    expect(printed({})).toBe("status\nwarning: careful\nerror: unexpected error: boom\n");
    expect(printed({ quiet: true })).toBe("warning: careful\nerror: unexpected error: boom\n");
    expect(printed({ verbose: true })).toMatch(
      /^status\ndebug: detail\nwarning: careful\nerror: unexpected error: boom\n/,
    );
  });
});
