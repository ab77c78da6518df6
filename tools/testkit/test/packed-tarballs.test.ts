import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  parseRecords,
  runProcess,
  startModuleRegistry,
  startProviderRegistry,
  tempDir,
  uniqueRepository,
  type TestModuleRegistry,
  type TestProviderRegistry,
} from "../src/index.js";
import { startWorkspaceNpmRegistry, type WorkspaceNpmRegistry } from "../src/workspace-npm-registry.js";
import { checkedBlocks, fileNameOf, writeBlocks } from "./readme-blocks.js";
import { writeCliConfig, writeExampleFiles, writeProviderReleases } from "./readme-fixtures.js";

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
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
}

const published = readdirSync(join(root, "packages"))
  .filter(
    (dir) => existsSync(join(root, "packages", dir, "package.json")) && existsSync(join(root, "packages", dir, "dist")),
  )
  .map((dir) => ({
    dir: join(root, "packages", dir),
    manifest: JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) as Manifest,
  }))
  .filter(({ manifest }) => !manifest.private);

/** The published packages whose README has ```ts check blocks: [name, dir]. */
const withExamples = published
  .filter(({ dir }) => checkedBlocks(readFileSync(join(dir, "README.md"), "utf8")).length > 0)
  .map(({ dir, manifest }) => [manifest.name, dir] as const);

const scratch = tempDir("tofu-oci-packed-");
const project = join(scratch.path, "project");
const tarballs = join(scratch.path, "tarballs");
let npmRegistry: WorkspaceNpmRegistry;
/** Where one package's README examples are written and compiled. */
const examplesDir = (name: string) => join(project, "readme", name.replace(/^@tofu-oci\//, ""));
/** npm's settings for every npm and npx call: the loopback registry and a cache of this run only. */
let npmEnv: Record<string, string>;

beforeAll(async () => {
  const dependencies = published.flatMap(({ dir, manifest }) =>
    Object.keys(manifest.dependencies ?? {}).map((name) => ({ from: dir, name })),
  );
  npmRegistry = await startWorkspaceNpmRegistry([...dependencies, { from: root, name: "@types/node" }]);
  npmEnv = {
    npm_config_registry: npmRegistry.url,
    npm_config_cache: join(scratch.path, "npm-cache"),
    npm_config_update_notifier: "false",
  };
  const filters = published.flatMap(({ dir }) => ["--filter", `./${relative(root, dir)}`]);
  await run("pnpm", ["--recursive", ...filters, "pack", "--pack-destination", tarballs], { cwd: root });
  await run("mkdir", ["-p", project]);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  const files = readdirSync(tarballs).map((file) => join(tarballs, file));
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...files], {
    cwd: project,
    env: { ...process.env, ...npmEnv },
    timeout: 240_000,
  });
}, 300_000);
afterAll(async () => {
  await npmRegistry?.stop();
  scratch.cleanup();
});

describe("packed tarballs", () => {
  it("install with their dependencies from the workspace's copies alone", () => {
    expect(
      npmRegistry.requests.some((path) => path.startsWith("/-/tarball/undici/")),
      npmRegistry.requests.join("\n"),
    ).toBe(true);
    for (const name of ["undici", "yargs", "cosmiconfig"])
      expect(existsSync(join(project, "node_modules", name, "package.json")), name).toBe(true);
  });

  it("publish real versions for workspace and catalog ranges", () => {
    for (const { manifest } of published) {
      const installed = JSON.parse(
        readFileSync(join(project, "node_modules", manifest.name, "package.json"), "utf8"),
      ) as Manifest;
      const ranges = Object.values(installed.dependencies ?? {});
      expect(
        ranges.filter((range) => range.startsWith("workspace:") || range.startsWith("catalog:")),
        manifest.name,
      ).toEqual([]);
    }
  });

  /** `pnpm pack`'s file name: @tofu-oci/core 0.1.0 -> tofu-oci-core-0.1.0.tgz. */
  const tarballOf = (manifest: Manifest) =>
    join(tarballs, `${manifest.name.replace(/^@/, "").replace("/", "-")}-${manifest.version}.tgz`);
  const byName = published.map(({ manifest }) => [manifest.name, manifest] as const);

  it.each(byName)("%s: publint --strict finds nothing in the tarball", async (_name, manifest) => {
    const result = await runProcess(
      join(root, "node_modules", ".bin", "publint"),
      ["run", tarballOf(manifest), "--strict"],
      { cwd: scratch.path },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("All good!");
  });

  // esm-only: the packages are ESM; CommonJS callers load them with require(esm) (Node >= 20.19, tested below).
  it.each(byName)("%s: are-the-types-wrong finds nothing in the tarball", async (_name, manifest) => {
    const args = [tarballOf(manifest), "--profile", "esm-only", "--no-emoji", "--no-color"];
    const result = await runProcess(join(root, "node_modules", ".bin", "attw"), args, { cwd: scratch.path });
    // attw exits 1 on any problem the profile does not ignore (the strict profile fails these tarballs).
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`${manifest.name} v${manifest.version}`);
  });

  it.each(published.flatMap(({ manifest }) => Object.keys(manifest.bin ?? {})))(
    "%s --help runs from the installed tarball",
    async (bin) => {
      const result = await runProcess(join(project, "node_modules", ".bin", bin), ["--help"]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("--version");
    },
  );

  it("npx runs the umbrella from the installed tarball", async () => {
    const result = await runProcess("npx", ["--no-install", "tofu-oci", "--version"], { cwd: project, env: npmEnv });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each(published.map(({ manifest }) => manifest.name))(
    "%s loads with require() from CommonJS (require(esm), Node >= 20.19)",
    async (name) => {
      writeFileSync(join(project, "require.cjs"), `console.log(Object.keys(require(${JSON.stringify(name)})).length);`);
      const result = await runProcess(process.execPath, ["require.cjs"], { cwd: project });
      expect(result.stderr).toBe("");
      expect(Number(result.stdout.trim())).toBeGreaterThan(0);
    },
  );

  it.each(published.map(({ manifest }) => manifest.name))("%s imports in plain Node ESM", async (name) => {
    const result = await runProcess(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const m = await import(${JSON.stringify(name)}); console.log(Object.keys(m).length);`,
      ],
      { cwd: project },
    );
    expect(result.stderr).toBe("");
    expect(Number(result.stdout.trim())).toBeGreaterThan(0);
  });

  it("a fresh ESM TypeScript project type-checks against the packed @tofu-oci/core (and every other package)", async () => {
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "NodeNext",
          moduleResolution: "NodeNext",
          target: "ES2022",
          strict: true,
          noEmit: true,
          types: ["node"],
          skipLibCheck: false,
        },
        files: ["main.ts"],
      }),
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
    await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "@types/node@20"], {
      cwd: project,
      env: { ...process.env, ...npmEnv },
      timeout: 120_000,
    });
    const result = await runProcess(tsc, ["-p", "."], { cwd: project });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });
  // Issue 21: a user copies a README example into a strict NodeNext project that installed the
  // tarballs. Runs after the test above, which installs @types/node into the project.
  it.each(withExamples)(
    "%s: the README's TypeScript examples type-check against the installed tarballs",
    async (name, dir) => {
      const examples = examplesDir(name);
      writeBlocks(examples, checkedBlocks(readFileSync(join(dir, "README.md"), "utf8")));
      // Emitted next to the sources, which the test below runs: a project of its own, like a reader's.
      writeFileSync(
        join(examples, "package.json"),
        JSON.stringify({ name: "readme-examples", version: "1.0.0", private: true, type: "module" }),
      );
      const compilerOptions = {
        module: "NodeNext",
        moduleResolution: "NodeNext",
        target: "ES2022",
        strict: true,
        types: ["node"],
        skipLibCheck: false,
      };
      writeFileSync(join(examples, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["**/*.ts"] }));
      const result = await runProcess(tsc, ["-p", examples], { cwd: project });
      expect(result.stdout + result.stderr).toBe("");
      expect(result.code).toBe(0);
    },
    60_000,
  );
});

// One real command per bin against the test registry, from the installed tarballs: pack the
// example module, push it, verify it, resolve its credentials, copy it to an OCI layout; then
// the same chain through `npx @tofu-oci/cli <cmd>`.
describe("installed bins against the test registry", () => {
  const registry = inject("registries").plain;
  const example = join(root, "examples", "modules", "network");
  const env = {
    HOME: scratch.path,
    XDG_CONFIG_HOME: join(scratch.path, ".config"),
    DOCKER_CONFIG: undefined,
    REGISTRY_AUTH_FILE: undefined,
    TF_CLI_CONFIG_FILE: undefined,
  };
  const runners: Record<
    string,
    (command: string, args: string[]) => Promise<{ code: number | null; stdout: string; stderr: string }>
  > = {
    "tofu-oci-<cmd>": (command, args) =>
      runProcess(join(project, "node_modules", ".bin", `tofu-oci-${command}`), [...args, "--format", "json"], {
        cwd: project,
        env,
      }),
    // The form the docs use: npx runs the package's only bin, `tofu-oci`.
    "npx @tofu-oci/cli <cmd>": (command, args) =>
      runProcess("npx", ["--no-install", "@tofu-oci/cli", command, ...args, "--format", "json"], {
        cwd: project,
        env: { ...env, ...npmEnv },
      }),
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
    const [copied] = await run("mirror", [
      "copy",
      ref,
      join(scratch.path, `${name}-layout`),
      "--to-oci-layout",
      "--plain-http",
    ]);
    expect(copied).toMatchObject({ kind: "artifact", digest: pushed!.digest, tag: "1.0.0" });
  });
});

// Issue 21: every README example runs to completion against the test registry, unchanged. The
// examples read the registry's host from REGISTRY (default registry.example.com) and find the files
// they name in their working directory, as a reader's would; the registry is the shared TLS one,
// trusted through NODE_EXTRA_CA_CERTS, seeded with what the examples pull. Upstream provider and
// module registries are local ones (PROVIDER_REGISTRY, MODULE_REGISTRY, SOURCE_PLAIN_HTTP).
describe("README examples run against the test registry", () => {
  const registry = inject("registries").tls;
  const home = join(scratch.path, "readme-home");
  let env: Record<string, string | undefined>;
  let upstream: { providers: TestProviderRegistry; modules: TestModuleRegistry } | undefined;

  beforeAll(async () => {
    const bins = join(project, "node_modules", ".bin");
    const seedEnv = {
      HOME: home,
      NODE_EXTRA_CA_CERTS: registry.caFile,
      DOCKER_CONFIG: undefined,
      REGISTRY_AUTH_FILE: undefined,
      TF_CLI_CONFIG_FILE: undefined,
    };
    const tool = async (bin: string, args: string[], stdin?: string) => {
      const result = await runProcess(join(bins, bin), [...args, "--format", "json"], {
        cwd: scratch.path,
        env: seedEnv,
        ...(stdin ? { stdin } : {}),
      });
      expect(result.code, `${bin} ${args.join(" ")}: ${result.stderr}`).toBe(0);
      return result.stdout;
    };
    const moduleZip = join(scratch.path, "readme-network.zip");
    await tool("tofu-oci-pack", ["module", join(root, "examples", "modules", "network"), "-o", moduleZip]);
    const sbom = join(scratch.path, "readme-sbom.spdx.json");
    writeFileSync(sbom, JSON.stringify({ spdxVersion: "SPDX-2.3", name: "network", packages: [] }));
    await tool("tofu-oci-push", [`${registry.host}/team/vpc:1.0.0`, moduleZip]);
    await tool("tofu-oci-push", [`${registry.host}/modules/net:1.0.0`, moduleZip, "--sbom", sbom]);
    const releases = writeProviderReleases(join(scratch.path, "readme-releases"));
    const provider = await tool("tofu-oci-pack", [
      "provider",
      "--provider",
      "example.com/acme/thing",
      "--version",
      "1.2.0",
      releases,
    ]);
    await tool("tofu-oci-push", [`${registry.host}/providers/acme/thing`], provider);

    const providers = await startProviderRegistry({
      providers: [
        { namespace: "hashicorp", type: "aws", versions: [{ version: "5.0.0", platforms: ["linux_amd64"] }] },
        { namespace: "hashicorp", type: "null", versions: [{ version: "3.2.1", platforms: ["linux_amd64"] }] },
      ],
    });
    const modules = await startModuleRegistry();
    modules.addFile("/files/vpc-5.0.0.zip", readFileSync(moduleZip));
    modules.addVersion("terraform-aws-modules/vpc/aws", "5.0.0", { json: "/files/vpc-5.0.0.zip" });
    upstream = { providers, modules };
    env = {
      ...seedEnv,
      REGISTRY: registry.host,
      PROVIDER_REGISTRY: providers.host,
      MODULE_REGISTRY: modules.host,
      SOURCE_PLAIN_HTTP: "true",
      TF_CLI_CONFIG_FILE: writeCliConfig(join(scratch.path, "readme-tofurc"), registry.host),
    };
    for (const [name] of withExamples)
      writeExampleFiles(join(examplesDir(name), "work"), root, registry.host, moduleZip);
  }, 120_000);
  afterAll(async () => {
    await upstream?.providers.stop();
    await upstream?.modules.stop();
  });

  it.each(withExamples)(
    "%s: the README's examples run to completion",
    async (name, dir) => {
      const blocks = checkedBlocks(readFileSync(join(dir, "README.md"), "utf8"));
      const runnable = blocks.flatMap((block, index) => {
        const file = fileNameOf(block, index);
        if (block.startsWith("#!")) return [{ file, args: ["--help"] }];
        return file.startsWith("example-") ? [{ file, args: [] }] : [];
      });
      expect(runnable.length).toBeGreaterThan(0);
      const examples = examplesDir(name);
      for (const { file, args } of runnable) {
        const script = join(examples, file.replace(/\.ts$/, ".js"));
        const result = await runProcess(process.execPath, [script, ...args], {
          cwd: join(examples, "work"),
          env,
          timeoutMs: 90_000,
        });
        expect(result.code, `${file}:\n${result.stdout}\n${result.stderr}`).toBe(0);
      }
    },
    120_000,
  );
});
