import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseRecords, runProcess, tempDir, uniqueRepository } from "../src/index.js";
import { startWorkspaceNpmRegistry, type WorkspaceNpmRegistry } from "../src/workspace-npm-registry.js";

// Installs every publishable package from its `pnpm pack` tarball into an empty project with
// plain npm, as a user's `npm install` or `npx` would, so a missing `files` entry, a dev-only
// import, a wrong `bin` path or an unpublished workspace range fails here. npm resolves their
// dependencies from a loopback registry that serves the workspace's installed copies, with an
// empty cache: nothing comes from the public registry, and a dependency the workspace does not
// install cannot be found.

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../..", import.meta.url));
const tsc = join(root, "node_modules", ".bin", "tsc");

interface Manifest {
  name: string;
  private?: boolean;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
}

const published = readdirSync(join(root, "packages"))
  .filter((dir) => existsSync(join(root, "packages", dir, "package.json")) && existsSync(join(root, "packages", dir, "dist")))
  .map((dir) => ({ dir: join(root, "packages", dir), manifest: JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) as Manifest }))
  .filter(({ manifest }) => !manifest.private);

const scratch = tempDir("tofu-oci-packed-");
const project = join(scratch.path, "project");
const tarballs = join(scratch.path, "tarballs");
let npmRegistry: WorkspaceNpmRegistry;
/** npm's settings for every npm and npx call: the loopback registry and a cache of this run only. */
let npmEnv: Record<string, string>;

beforeAll(async () => {
  const dependencies = published.flatMap(({ dir, manifest }) => Object.keys(manifest.dependencies ?? {}).map((name) => ({ from: dir, name })));
  npmRegistry = await startWorkspaceNpmRegistry([...dependencies, { from: root, name: "@types/node" }]);
  npmEnv = { npm_config_registry: npmRegistry.url, npm_config_cache: join(scratch.path, "npm-cache"), npm_config_update_notifier: "false" };
  const filters = published.flatMap(({ dir }) => ["--filter", `./${relative(root, dir)}`]);
  await run("pnpm", ["--recursive", ...filters, "pack", "--pack-destination", tarballs], { cwd: root });
  await run("mkdir", ["-p", project]);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  const files = readdirSync(tarballs).map((file) => join(tarballs, file));
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...files], { cwd: project, env: { ...process.env, ...npmEnv }, timeout: 240_000 });
}, 300_000);
afterAll(async () => {
  await npmRegistry?.stop();
  scratch.cleanup();
});

describe("packed tarballs", () => {
  it("install with their dependencies from the workspace's copies alone", () => {
    expect(npmRegistry.requests.some((path) => path.startsWith("/-/tarball/undici/")), npmRegistry.requests.join("\n")).toBe(true);
    for (const name of ["undici", "yargs", "cosmiconfig"]) expect(existsSync(join(project, "node_modules", name, "package.json")), name).toBe(true);
  });

  it("publish real versions for workspace and catalog ranges", () => {
    for (const { manifest } of published) {
      const installed = JSON.parse(readFileSync(join(project, "node_modules", manifest.name, "package.json"), "utf8")) as Manifest;
      const ranges = Object.values(installed.dependencies ?? {});
      expect(ranges.filter((range) => range.startsWith("workspace:") || range.startsWith("catalog:")), manifest.name).toEqual([]);
    }
  });

  it.each(published.flatMap(({ manifest }) => Object.keys(manifest.bin ?? {})))("%s --help runs from the installed tarball", async (bin) => {
    const result = await runProcess(join(project, "node_modules", ".bin", bin), ["--help"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--version");
  });

  it("npx runs the umbrella from the installed tarball", async () => {
    const result = await runProcess("npx", ["--no-install", "tofu-oci", "--version"], { cwd: project, env: npmEnv });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each(published.map(({ manifest }) => manifest.name))("%s loads with require() from CommonJS (require(esm), Node >= 20.19)", async (name) => {
    writeFileSync(join(project, "require.cjs"), `console.log(Object.keys(require(${JSON.stringify(name)})).length);`);
    const result = await runProcess(process.execPath, ["require.cjs"], { cwd: project });
    expect(result.stderr).toBe("");
    expect(Number(result.stdout.trim())).toBeGreaterThan(0);
  });

  it.each(published.map(({ manifest }) => manifest.name))("%s imports in plain Node ESM", async (name) => {
    const result = await runProcess(process.execPath, ["--input-type=module", "-e", `const m = await import(${JSON.stringify(name)}); console.log(Object.keys(m).length);`], { cwd: project });
    expect(result.stderr).toBe("");
    expect(Number(result.stdout.trim())).toBeGreaterThan(0);
  });

  it("a fresh ESM TypeScript project type-checks against the packed @tofu-oci/core (and every other package)", async () => {
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, noEmit: true, types: ["node"], skipLibCheck: false }, files: ["main.ts"] }),
    );
    writeFileSync(
      join(project, "main.ts"),
      [
        'import { parseReference, formatReference, type Descriptor, type Reference } from "@tofu-oci/core";',
        'import { buildModuleManifest } from "@tofu-oci/opentofu";',
        'import { OciLayout } from "@tofu-oci/core/layout";',
        'import { RegistryClient, RemoteRepository } from "@tofu-oci/core/remote";',
        'const ref: Reference = parseReference("oci://example.com/vpc?tag=1.0.0");',
        'const layer: Descriptor = { mediaType: "archive/zip", digest: `sha256:${"0".repeat(64)}`, size: 1 };',
        "const manifest = buildModuleManifest({ layer });",
        "const digest: string = manifest.descriptor.digest;",
        'export const out = [formatReference(ref, "opentofu"), digest, OciLayout.open, new RemoteRepository(new RegistryClient(), ref.registry, ref.repository).name];',
        "// @ts-expect-error: the types are real, so a wrong call fails to compile",
        "parseReference(42);",
        // Every package's declarations load too: their imports of other packages' types
        // (yargs, semver, undici) must resolve from the published dependencies.
        'import { packModule } from "@tofu-oci/pack";',
        'import { push } from "@tofu-oci/push";',
        'import { verify } from "@tofu-oci/verify";',
        'import { opentofuCredentials } from "@tofu-oci/auth";',
        'import { copyArtifacts } from "@tofu-oci/mirror";',
        'import { runCli, type CliSpec } from "@tofu-oci/cli-kit";',
        'import { runUmbrella } from "@tofu-oci/cli";',
        "export const libraries = [packModule, push, verify, opentofuCredentials, copyArtifacts, runCli, runUmbrella];",
        "export type Spec = CliSpec;",
      ].join("\n"),
    );
    await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "@types/node@20"], { cwd: project, env: { ...process.env, ...npmEnv }, timeout: 120_000 });
    const result = await runProcess(tsc, ["-p", "."], { cwd: project });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });
});

// One real command per bin against the test registry, from the installed tarballs: pack the
// example module, push it, verify it, resolve its credentials, copy it to an OCI layout; then
// the same chain through `npx @tofu-oci/cli <cmd>`.
describe("installed bins against the test registry", () => {
  const registry = inject("registries").plain;
  const example = join(root, "examples", "modules", "network");
  const env = { HOME: scratch.path, XDG_CONFIG_HOME: join(scratch.path, ".config"), DOCKER_CONFIG: undefined, REGISTRY_AUTH_FILE: undefined, TF_CLI_CONFIG_FILE: undefined };
  const runners: Record<string, (command: string, args: string[]) => Promise<{ code: number | null; stdout: string; stderr: string }>> = {
    "tofu-oci-<cmd>": (command, args) => runProcess(join(project, "node_modules", ".bin", `tofu-oci-${command}`), [...args, "--format", "json"], { cwd: project, env }),
    // The form the docs use: npx runs the package's only bin, `tofu-oci`.
    "npx @tofu-oci/cli <cmd>": (command, args) => runProcess("npx", ["--no-install", "@tofu-oci/cli", command, ...args, "--format", "json"], { cwd: project, env: { ...env, ...npmEnv } }),
  };

  it.each(Object.keys(runners))("%s: pack, push, verify, auth resolve, mirror copy", async (form) => {
    const run = async (command: string, args: string[]) => {
      const result = await runners[form]!(command, args);
      expect(result.code, `${command} ${args.join(" ")}: ${result.stderr}`).toBe(0);
      return parseRecords(result.stdout);
    };
    const name = form.startsWith("npx") ? "npx" : "bins";
    const repository = uniqueRepository(`packed/${name}`);
    const ref = `${registry.host}/${repository}:1.0.0`;
    const zip = join(scratch.path, `${name}.zip`);

    const [packed] = await run("pack", ["module", example, "-o", zip]);
    expect(packed).toMatchObject({ kind: "package", type: "module", file: zip });
    const [pushed] = await run("push", [ref, zip, "--plain-http"]);
    expect(pushed).toMatchObject({ kind: "artifact", type: "module", tag: "1.0.0" });
    const [verified] = await run("verify", [ref, "--plain-http"]);
    expect(verified).toMatchObject({ kind: "verification", ok: true, digest: pushed!.digest });
    const [credentials] = await run("auth", ["resolve", ref]);
    expect(credentials).toMatchObject({ kind: "credentials", registry: registry.host, repository, anonymous: true });
    const [copied] = await run("mirror", ["copy", ref, join(scratch.path, `${name}-layout`), "--to-oci-layout", "--plain-http"]);
    expect(copied).toMatchObject({ kind: "artifact", digest: pushed!.digest, tag: "1.0.0" });
  });
});
