import { existsSync, readFileSync, readdirSync } from "node:fs";
import { builtinModules } from "node:module";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));

/** Which packages each workspace package may import, types included (docs/contract/style.md rule 11). */
const ALLOWED: Record<string, string[]> = {
  "@tofu-oci/core": ["undici", "fflate", "yauzl", "cross-spawn"],
  "@tofu-oci/opentofu": ["@tofu-oci/core", "@cdktf/hcl2json", "semver"],
  "@tofu-oci/sbom": ["@tofu-oci/core", "@cyclonedx/cyclonedx-library"],
  "@tofu-oci/registry-protocol": ["@tofu-oci/core", "@tofu-oci/opentofu", "openpgp", "undici"],
  "@tofu-oci/cli-kit": ["@tofu-oci/core", "yargs", "cosmiconfig"],
  "@tofu-oci/auth": ["@tofu-oci/core", "@tofu-oci/cli-kit", "*"],
  "@tofu-oci/pack": ["@tofu-oci/core", "@tofu-oci/opentofu", "@tofu-oci/cli-kit", "*"],
  "@tofu-oci/push": ["@tofu-oci/core", "@tofu-oci/opentofu", "@tofu-oci/cli-kit", "@tofu-oci/auth", "*"],
  "@tofu-oci/verify": ["@tofu-oci/core", "@tofu-oci/opentofu", "@tofu-oci/cli-kit", "@tofu-oci/auth", "*"],
  "@tofu-oci/doctor": [
    "@tofu-oci/core",
    "@tofu-oci/cli-kit",
    "@tofu-oci/auth",
    "@tofu-oci/pack",
    "@tofu-oci/push",
    "@tofu-oci/verify",
    "*",
  ],
  "@tofu-oci/mirror": [
    "@tofu-oci/core",
    "@tofu-oci/opentofu",
    "@tofu-oci/registry-protocol",
    "@tofu-oci/sbom",
    "@tofu-oci/cli-kit",
    "@tofu-oci/auth",
    "@tofu-oci/pack",
    "*",
  ],
  "@tofu-oci/deps": [
    "@tofu-oci/core",
    "@tofu-oci/opentofu",
    "@tofu-oci/cli-kit",
    "@tofu-oci/auth",
    "@tofu-oci/verify",
    "*",
  ],
  "@tofu-oci/cli": ["@tofu-oci/*"],
};

/** The command-line runtime: what a library entry point must never reach. */
const CLI_RUNTIME = ["@tofu-oci/cli-kit", "yargs", "cosmiconfig"];

/** Packages that are command lines through and through, so any file may use cli-kit. */
const CLI_PACKAGES = ["@tofu-oci/cli-kit", "@tofu-oci/cli"];

/**
 * The files of a command package that may import cli-kit: the bin, the command modules
 * (`command.ts`, `copy-command.ts`, `bundle-commands.ts`) and helpers that only they use, named
 * `command-*.ts` (e.g. auth's command-client-options.ts). Everything else is library.
 */
const isCommandFile = (file: string) => /^(bin|command|[\w-]+-commands?|command-[\w-]+)\.ts$/.test(basename(file));

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  exports?: Record<string, string | { default?: string }>;
}

const packages = readdirSync(join(root, "packages"))
  .filter((dir) => existsSync(join(root, "packages", dir, "package.json")))
  .map((dir) => ({
    dir: join(root, "packages", dir),
    manifest: JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) as Manifest,
  }));
const manifests = new Map(packages.map(({ manifest }) => [manifest.name, manifest]));
const packageDirs = new Map(packages.map(({ dir, manifest }) => [manifest.name, dir]));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|mts|mjs)$/.test(e.name) && !/\.test\.|worker/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/**
 * Every module a file names: `import ... from`, `import type ... from`, `export ... from`,
 * `export type ... from`, side-effect `import "x"`, and `import("x")` (dynamic, or in a type).
 */
function importsOf(text: string): string[] {
  // Comments that start a line (JSDoc, //) go; a "/*" inside a string such as a glob stays.
  const code = text.replace(/^\s*\/\*[\s\S]*?\*\//gm, "").replace(/^\s*\/\/.*$/gm, "");
  const patterns = [
    /(?:^|[\n;])\s*(?:import|export)\s[^"';]*?\sfrom\s*["']([^"']+)["']/g,
    /(?:^|[\n;])\s*import\s*["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1]!));
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

const isBuiltin = (specifier: string) => specifier.startsWith("node:") || builtinModules.includes(specifier);

/** The source file behind a workspace package's export, e.g. `@tofu-oci/core/remote` -> core/src/remote/index.ts. */
function exportSource(specifier: string): string | undefined {
  const name = packageName(specifier);
  const dir = packageDirs.get(name);
  const target = manifests.get(name)?.exports?.[`.${specifier.slice(name.length)}`];
  const file = typeof target === "string" ? target : target?.default;
  return dir && file ? join(dir, file.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts")) : undefined;
}

/** The library entry points of a package: every export but `./command` and `./package.json`. */
function libraryEntries(manifest: Manifest): string[] {
  return Object.keys(manifest.exports ?? {})
    .filter((subpath) => subpath !== "./command" && subpath !== "./package.json")
    .map((subpath) => (subpath === "." ? manifest.name : `${manifest.name}${subpath.slice(1)}`));
}

/** The chain of files by which `entry` reaches one of `forbidden`, if it does (imports of any kind). */
function pathToForbidden(entry: string, forbidden: string[]): string[] | undefined {
  const start = exportSource(entry);
  if (!start) return [`${entry}: no source for this export`];
  const via = new Map<string, string[]>([[start, [relative(root, start)]]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const specifier of importsOf(readFileSync(file, "utf8"))) {
      if (isBuiltin(specifier)) continue;
      const chain = [...via.get(file)!, specifier];
      if (forbidden.includes(packageName(specifier))) return chain;
      const next = specifier.startsWith(".")
        ? join(dirname(file), specifier.replace(/\.js$/, ".ts"))
        : exportSource(specifier);
      if (next && existsSync(next) && !via.has(next)) {
        via.set(next, specifier.startsWith(".") ? [...via.get(file)!, relative(root, next)] : chain);
        queue.push(next);
      }
    }
  }
  return undefined;
}

describe("import scanning", () => {
  it("sees type imports, re-exports, side-effect and dynamic imports, not comments", () => {
    const text = [
      'import { a } from "a";',
      'import type { B } from "b";',
      "import {\n  type C,\n  d,\n} from 'c';",
      'export { e } from "e";',
      'export type { F } from "f";',
      'export * from "g";',
      'import "h";',
      'const i = await import("i");',
      'type J = import("j").J;',
      '// import { k } from "k";',
      '/** import { l } from "l"; */',
    ].join("\n");
    expect(importsOf(text).sort()).toEqual(["a", "b", "c", "e", "f", "g", "h", "i", "j"]);
  });

  it("follows a library entry through files and packages to a forbidden import", () => {
    expect(pathToForbidden("@tofu-oci/cli", ["@tofu-oci/cli-kit"])).toEqual([
      "packages/cli/src/index.ts",
      "packages/cli/src/umbrella.ts",
      "@tofu-oci/cli-kit",
    ]);
    expect(pathToForbidden("@tofu-oci/core/zip", ["yauzl"])).toEqual([
      "packages/core/src/zip/index.ts",
      "packages/core/src/zip/zip-reader.ts",
      "yauzl",
    ]);
    expect(pathToForbidden("@tofu-oci/cli", ["cosmiconfig"])).toContain("@tofu-oci/cli-kit");
  });
});

describe("workspace boundaries", () => {
  it.each(packages.map((p) => [p.manifest.name, p.dir] as const))(
    "%s imports only what it may and declares it",
    (name, dir) => {
      const allowed = ALLOWED[name] ?? [];
      const problems: string[] = [];
      for (const file of sourceFiles(join(dir, "src"))) {
        for (const specifier of importsOf(readFileSync(file, "utf8"))) {
          if (specifier.startsWith(".") || isBuiltin(specifier)) continue;
          const target = packageName(specifier);
          const where = relative(root, file);
          const internal = target.startsWith("@tofu-oci/");
          const permitted =
            allowed.includes(target) || (internal ? allowed.includes("@tofu-oci/*") : allowed.includes("*"));
          if (!permitted) problems.push(`${where}: may not import ${target}`);
          if (
            !manifests.get(name)?.dependencies?.[target] &&
            !manifests.get(name)?.dependencies?.[`@types/${target}`]
          ) {
            problems.push(`${where}: imports ${target}, which is not in dependencies`);
          }
          const subpath = specifier.slice(target.length);
          const exported = manifests.get(target)?.exports;
          if (internal && exported && !(`.${subpath}` in exported))
            problems.push(`${where}: ${specifier} is not an export of ${target}`);
        }
      }
      expect(problems).toEqual([]);
    },
  );

  it.each(
    packages.filter((p) => !CLI_PACKAGES.includes(p.manifest.name)).map((p) => [p.manifest.name, p.dir] as const),
  )("%s: only its bin and command files import the command-line runtime", (_name, dir) => {
    const offenders = sourceFiles(join(dir, "src"))
      .filter((file) => !isCommandFile(file))
      .flatMap((file) =>
        importsOf(readFileSync(file, "utf8"))
          .filter((specifier) => CLI_RUNTIME.includes(packageName(specifier)))
          .map((specifier) => `${relative(root, file)}: ${specifier}`),
      );
    expect(offenders).toEqual([]);
  });

  it.each(packages.filter((p) => !CLI_PACKAGES.includes(p.manifest.name)).flatMap((p) => libraryEntries(p.manifest)))(
    "the library entry %s does not reach the command-line runtime, even through types",
    (entry) => {
      expect(pathToForbidden(entry, CLI_RUNTIME)).toBeUndefined();
    },
  );

  it("has no dependency cycles between workspace packages", () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const cycles: string[] = [];
    const visit = (name: string, path: string[]) => {
      if (done.has(name)) return;
      if (visiting.has(name)) return void cycles.push([...path, name].join(" -> "));
      visiting.add(name);
      for (const dep of Object.keys(manifests.get(name)?.dependencies ?? {}))
        if (manifests.has(dep)) visit(dep, [...path, name]);
      visiting.delete(name);
      done.add(name);
    };
    for (const name of manifests.keys()) visit(name, []);
    expect(cycles).toEqual([]);
  });
});

/** The edges of CONTRIBUTING.md's mermaid diagram, as "from -> to" with package directory names. */
function diagramEdges(): string[] {
  const text = readFileSync(join(root, "CONTRIBUTING.md"), "utf8");
  const block = /```mermaid\n([\s\S]*?)```/.exec(text)?.[1] ?? "";
  const names = new Map([...block.matchAll(/(\w+)\[([\w-]+)[^\]]*\]/g)].map((m) => [m[1]!, m[2]!]));
  const nameOf = (node: string) => names.get(node) ?? node;
  return block.split("\n").flatMap((line) => {
    const [from, to] = line.replace(/\[[^\]]*\]/g, "").split("-->");
    if (!from || !to) return [];
    return to.split("&").map((node) => `${nameOf(from.trim())} -> ${nameOf(node.trim())}`);
  });
}

it("CONTRIBUTING's dependency diagram shows every workspace dependency (core only where it is the only one; cli-kit never)", () => {
  const dirName = (name: string) => basename(packageDirs.get(name) ?? name);
  const declared = [...manifests.values()].flatMap((manifest) => {
    const workspaceDeps = Object.keys(manifest.dependencies ?? {}).filter(
      (dep) => manifests.has(dep) && dep !== "@tofu-oci/cli-kit",
    );
    const drawn = workspaceDeps.length > 1 ? workspaceDeps.filter((dep) => dep !== "@tofu-oci/core") : workspaceDeps;
    return drawn.map((dep) => `${dirName(manifest.name)} -> ${dirName(dep)}`);
  });
  expect(diagramEdges().sort()).toEqual(declared.sort());
});
