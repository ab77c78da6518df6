import { existsSync, readFileSync, readdirSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));

/** Which packages each workspace package may import at run time (style.md rule 11). */
const ALLOWED: Record<string, string[]> = {
  "@tofu-oci/core": ["undici", "fflate", "yauzl"],
  "@tofu-oci/opentofu": ["@tofu-oci/core", "@cdktf/hcl2json", "semver"],
  "@tofu-oci/sbom": ["@tofu-oci/core", "@cyclonedx/cyclonedx-library"],
  "@tofu-oci/registry-protocol": ["@tofu-oci/core", "@tofu-oci/opentofu", "openpgp", "undici"],
  "@tofu-oci/cli-kit": ["@tofu-oci/core", "yargs", "cosmiconfig"],
  "@tofu-oci/auth": ["@tofu-oci/core", "@tofu-oci/cli-kit", "*"],
  "@tofu-oci/pack": ["@tofu-oci/core", "@tofu-oci/opentofu", "@tofu-oci/cli-kit", "*"],
  "@tofu-oci/push": ["@tofu-oci/core", "@tofu-oci/opentofu", "@tofu-oci/cli-kit", "@tofu-oci/auth", "*"],
  "@tofu-oci/verify": ["@tofu-oci/core", "@tofu-oci/opentofu", "@tofu-oci/cli-kit", "@tofu-oci/auth", "*"],
  "@tofu-oci/mirror": [
    "@tofu-oci/core",
    "@tofu-oci/opentofu",
    "@tofu-oci/registry-protocol",
    "@tofu-oci/sbom",
    "@tofu-oci/cli-kit",
    "@tofu-oci/auth",
    "@tofu-oci/pack",
    "@tofu-oci/push",
    "*",
  ],
  "@tofu-oci/cli": ["@tofu-oci/*"],
};

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  exports?: Record<string, unknown>;
}

const packages = readdirSync(join(root, "packages"))
  .filter((dir) => existsSync(join(root, "packages", dir, "package.json")))
  .map((dir) => ({ dir: join(root, "packages", dir), manifest: JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) as Manifest }));
const manifests = new Map(packages.map(({ manifest }) => [manifest.name, manifest]));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|mts|mjs)$/.test(e.name) && !/\.test\.|test-context|worker/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s(?:type\s)?[^"';]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g)];
  const isTypeOnly = (match: RegExpMatchArray) => /^\s*(?:import|export)\s+type\s/.test(match[0].trimStart());
  return specifiers.filter((m) => !isTypeOnly(m)).map((m) => (m[1] ?? m[2])!);
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

const isBuiltin = (specifier: string) => specifier.startsWith("node:") || builtinModules.includes(specifier);

describe("workspace boundaries", () => {
  it.each(packages.map((p) => [p.manifest.name, p.dir] as const))("%s imports only what it may and declares it", (name, dir) => {
    const allowed = ALLOWED[name] ?? [];
    const problems: string[] = [];
    for (const file of sourceFiles(join(dir, "src"))) {
      for (const specifier of importsOf(file)) {
        if (specifier.startsWith(".") || isBuiltin(specifier)) continue;
        const target = packageName(specifier);
        const where = relative(root, file);
        const internal = target.startsWith("@tofu-oci/");
        const permitted = allowed.includes(target) || (internal ? allowed.includes("@tofu-oci/*") : allowed.includes("*"));
        if (!permitted) problems.push(`${where}: may not import ${target}`);
        if (!manifests.get(name)?.dependencies?.[target]) problems.push(`${where}: imports ${target}, which is not in dependencies`);
        const subpath = specifier.slice(target.length);
        const exported = manifests.get(target)?.exports;
        if (internal && exported && !(`.${subpath}` in exported)) problems.push(`${where}: ${specifier} is not an export of ${target}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("has no dependency cycles between workspace packages", () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const cycles: string[] = [];
    const visit = (name: string, path: string[]) => {
      if (done.has(name)) return;
      if (visiting.has(name)) return void cycles.push([...path, name].join(" -> "));
      visiting.add(name);
      for (const dep of Object.keys(manifests.get(name)?.dependencies ?? {})) if (manifests.has(dep)) visit(dep, [...path, name]);
      visiting.delete(name);
      done.add(name);
    };
    for (const name of manifests.keys()) visit(name, []);
    expect(cycles).toEqual([]);
  });
});
