import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The metadata every published package carries (issue 21), read from every packages/* manifest,
// so a package added later is held to the same rules without touching this file. What the
// packed tarballs then contain is checked by packed-tarballs.test.ts (publint, attw, install).

const root = fileURLToPath(new URL("../../..", import.meta.url));
const REPOSITORY = "git+https://github.com/tofu-oci/tofu-oci.git";

interface Manifest {
  name: string;
  private?: boolean;
  license?: string;
  homepage?: string;
  repository?: { type?: string; url?: string; directory?: string };
  bugs?: { url?: string };
  keywords?: string[];
  sideEffects?: boolean | string[];
  engines?: { node?: string };
  files?: string[];
  scripts?: Record<string, string>;
  publishConfig?: { access?: string; provenance?: boolean };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Manifest;
const workspaceDirs = (parent: string) =>
  readdirSync(join(root, parent))
    .filter((dir) => existsSync(join(root, parent, dir, "package.json")))
    .map((dir) => ({ dir: `${parent}/${dir}`, manifest: read(join(root, parent, dir, "package.json")) }));

const packages = workspaceDirs("packages");
const published = packages.filter(({ manifest }) => !manifest.private);
const tools = workspaceDirs("tools");

/** The default catalog of pnpm-workspace.yaml: name -> specifier (its flat `name: spec` lines). */
function defaultCatalog(): Map<string, string> {
  const yaml = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
  const block = /^catalog:\n((?:[ \t]+.*\n|\n)*)/m.exec(yaml)?.[1] ?? "";
  const entries = [...block.matchAll(/^[ \t]+"?([^"#:\s][^":]*)"?:[ \t]*(\S+)/gm)].map((m) => [m[1]!, m[2]!] as const);
  return new Map(entries);
}

/** What a published manifest says in place of `catalog:`: the catalog's specifier. */
function publishedRange(range: string, name: string, catalog: Map<string, string>): string | undefined {
  return range === "catalog:" || range === "catalog:default" ? catalog.get(name) : range;
}

describe("package metadata", () => {
  it("reads the workspace (the catalog and at least the known packages)", () => {
    expect(published.map(({ manifest }) => manifest.name)).toEqual(
      expect.arrayContaining(["@tofu-oci/core", "@tofu-oci/cli"]),
    );
    expect(defaultCatalog().get("undici")).toMatch(/^\^/);
  });

  it.each(published.map(({ dir, manifest }) => [manifest.name, dir, manifest] as const))(
    "%s: repository, homepage, bugs, keywords, license, engines, sideEffects",
    (_name, dir, manifest) => {
      expect(manifest.repository).toEqual({ type: "git", url: REPOSITORY, directory: dir });
      expect(manifest.homepage).toBe(`https://github.com/tofu-oci/tofu-oci/tree/main/${dir}#readme`);
      expect(manifest.bugs?.url).toBe("https://github.com/tofu-oci/tofu-oci/issues");
      expect(manifest.keywords).toContain("opentofu");
      expect(manifest.license).toBe("MIT");
      expect(existsSync(join(root, dir, "LICENSE")), `${dir}/LICENSE`).toBe(true);
      expect(manifest.engines?.node).toMatch(/^>=\d/);
      // Bins run only as programs; nothing in a library entry acts on import.
      expect(manifest.sideEffects).toBe(false);
    },
  );

  it.each(published.map(({ dir, manifest }) => [manifest.name, dir, manifest] as const))(
    "%s: ships dist with the sources its maps point at, README and CHANGELOG; publishes with provenance behind the dist guard",
    (_name, _dir, manifest) => {
      expect(manifest.files).toEqual(
        expect.arrayContaining(["dist", "src", "!src/**/*.test.ts", "README.md", "CHANGELOG.md"]),
      );
      expect(manifest.scripts?.prepack).toBe("node ../../tools/check-dist.mjs");
      expect(manifest.publishConfig).toEqual({ access: "public", provenance: true });
    },
  );

  it.each(published.map(({ manifest }) => [manifest.name, manifest] as const))(
    "%s: third-party dependencies are published as ranges, workspace ones as workspace:^",
    (_name, manifest) => {
      const catalog = defaultCatalog();
      const entries = Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies });
      const internal = entries.filter(([name]) => name.startsWith("@tofu-oci/"));
      expect(internal.filter(([, range]) => range !== "workspace:^")).toEqual([]);
      const exact = entries
        .filter(([name]) => !name.startsWith("@tofu-oci/"))
        .map(([name, range]) => [name, publishedRange(range, name, catalog)] as const)
        .filter(([, range]) => range === undefined || !/^[\^~]\d/.test(range));
      // An exact pin here is what every consumer gets: they cannot dedupe or take patch releases.
      expect(exact).toEqual([]);
    },
  );

  it("workspace tools are private, so neither changesets nor a publish can pick them", () => {
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.filter(({ manifest }) => manifest.private !== true).map(({ dir }) => dir)).toEqual([]);
    const config = JSON.parse(readFileSync(join(root, ".changeset", "config.json"), "utf8")) as {
      privatePackages?: unknown;
    };
    expect(config.privatePackages).toEqual({ version: false, tag: false });
  });
});
