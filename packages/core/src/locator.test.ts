import { existsSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { exitCodeOf } from "./errors.js";
import {
  formatLocator,
  locatorName,
  moduleSource,
  openLocator,
  parseLocator,
  repositoryOf,
  selectorOf,
} from "./locator.js";

const scratch = tempDir("tofu-oci-locator-");
afterAll(() => scratch.cleanup());
const DIGEST = `sha256:${"a".repeat(64)}`;

describe("parseLocator", () => {
  it("reads both registry forms, keeping an oci:// //SUBDIR", () => {
    expect(parseLocator("r.example:5000/mods/net:1.0.0")).toEqual({
      kind: "registry",
      registry: "r.example:5000",
      repository: "mods/net",
      tag: "1.0.0",
    });
    expect(parseLocator(`oci://r.example/mods/net//sub/dir?digest=${DIGEST}`)).toEqual({
      kind: "registry",
      registry: "r.example",
      repository: "mods/net",
      digest: DIGEST,
      subdir: "sub/dir",
    });
  });

  it("reads a layout path relative to cwd, with a tag or a digest", () => {
    expect(parseLocator("out/layout:2", { ociLayout: true, cwd: "/work" })).toEqual({
      kind: "layout",
      registry: "",
      repository: "/work/out/layout",
      tag: "2",
    });
    expect(parseLocator(`/abs/layout@${DIGEST}`, { ociLayout: true })).toEqual({
      kind: "layout",
      registry: "",
      repository: "/abs/layout",
      digest: DIGEST,
    });
  });

  it("refuses malformed input as a usage error (exit 2)", () => {
    for (const input of ["", "no-registry", "r.example/UPPER:1", "r.example/a:bad+tag", "https://r.example/a"]) {
      expect(exitCodeOf(catching(() => parseLocator(input))), input).toBe(2);
    }
    expect(exitCodeOf(catching(() => parseLocator("dir@sha256:short", { ociLayout: true })))).toBe(2);
  });
});

describe("formatting a locator", () => {
  const registry = parseLocator("oci://r.example/mods/net//sub?tag=1.0.0");
  const layout = parseLocator("/l:1", { ociLayout: true });

  it("names the place and its selector", () => {
    expect([locatorName(registry), formatLocator(registry), formatLocator(registry, { digest: DIGEST })]).toEqual([
      "r.example/mods/net",
      "r.example/mods/net:1.0.0",
      `r.example/mods/net@${DIGEST}`,
    ]);
    expect([locatorName(layout), formatLocator(layout)]).toEqual(["/l", "/l:1"]);
    expect(repositoryOf(registry)).toEqual({ kind: "registry", registry: "r.example", repository: "mods/net" });
    expect([selectorOf(registry), selectorOf(repositoryOf(registry))]).toEqual(["1.0.0", undefined]);
  });

  it("gives the OpenTofu module source with the subdirectory, and the layout reference for a layout", () => {
    expect(moduleSource(registry, { digest: DIGEST })).toBe(`oci://r.example/mods/net//sub?digest=${DIGEST}`);
    expect(moduleSource(registry, { tag: "1.0.0" })).toBe("oci://r.example/mods/net//sub?tag=1.0.0");
    expect(moduleSource(layout, { digest: DIGEST })).toBe(`/l@${DIGEST}`);
  });
});

describe("openLocator", () => {
  it("creates a missing layout only when asked, and makes no client for it", async () => {
    const locator = parseLocator(join(scratch.path, "new-layout"), { ociLayout: true });
    expect(exitCodeOf(await openLocator(locator).catch((e: unknown) => e))).toBe(3);
    const opened = await openLocator(locator, { create: true });
    expect(opened.client).toBeUndefined();
    expect(existsSync(join(locator.repository, "oci-layout"))).toBe(true);
  });

  it("makes a client for a registry unless one is given, which stays the caller's", async () => {
    const locator = parseLocator("r.example/a/b");
    const made = await openLocator(locator);
    expect(made.target.name).toBe("r.example/a/b");
    expect(made.client).toBeDefined();
    const shared = await openLocator(locator, { client: made.client! });
    expect(shared.client).toBeUndefined();
    await made.client!.close();
  });
});

function catching(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
