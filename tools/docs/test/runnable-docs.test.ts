import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildZip,
  runProcess,
  startModuleRegistry,
  startProviderRegistry,
  tempDir,
  type TestModuleRegistry,
  type TestProviderRegistry,
} from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

// Runs the documentation's commands against the built CLIs. A fenced block runs when its info
// string is `sh test` (run as a bash script) or `yaml test` (a GitHub Actions workflow: its
// `run:` steps run in order). The blocks of one file run in order in one fresh directory that
// holds examples/modules/network as ./network, ./net and ./modules/network, release zips of a
// provider acme/thing 1.2.0 in ./dist/ (and two of them in ./), sbom.spdx.json, sbom.cdx.json,
// a .terraform.lock.hcl pinning acme/thing, a package.json, a .tofu-ocirc.json with
// {"plainHttp": true} and a git commit. The registry already holds modules/net:1.0.0,
// modules/network:1.0.0 and providers/acme/thing:1.2.0. Host names are rewritten:
//   registry.example.com -> the test registry; mirror.internal -> the same registry under /airgap
//   registry.opentofu.org, and a provider without a host after `mirror providers` -> a Provider
//     Registry Protocol server serving hashicorp/random and hashicorp/aws
//   modules.example.com, and a module without a host after `mirror modules` -> a Module Registry
//     Protocol server serving acme/network/aws and terraform-aws-modules/vpc/aws
// `mirror providers|modules` get --source-plain-http (those servers speak HTTP), and
// `npx [--yes] @tofu-oci/cli` becomes the built `tofu-oci` (the packed-tarball test covers npx).
// DOCS_DEBUG=1 prints every block with its output.

const root = fileURLToPath(new URL("../../..", import.meta.url));
const registry = inject("registries").plain;
const scratch = tempDir("tofu-oci-docs-");
const bin = join(scratch.path, "bin");
let providers: TestProviderRegistry;
let modules: TestModuleRegistry;

interface Block {
  file: string;
  line: number;
  script: string;
}

const documents = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => join("docs", f)),
  ...readdirSync(join(root, "packages"))
    .map((d) => join("packages", d, "README.md"))
    .filter((f) => existsSync(join(root, f))),
];

/** The runnable blocks of a markdown file, as bash scripts. */
function runnableBlocks(file: string): Block[] {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const kind = /^```(sh|yaml) test\s*$/.exec(lines[i]!)?.[1];
    if (!kind) continue;
    const start = i + 1;
    while (i + 1 < lines.length && lines[i + 1] !== "```") i++;
    const body = lines.slice(start, i + 1);
    i++;
    const scripts = kind === "sh" ? [body.join("\n")] : workflowRunSteps(body);
    for (const script of scripts) blocks.push({ file, line: start, script });
  }
  return blocks;
}

/**
 * The `run:` steps of a workflow, single-line or `run: |` blocks, in order, each after exports of
 * the workflow's literal `env:` values (those given as `${{ ... }}` come from the test).
 */
function workflowRunSteps(lines: string[]): string[] {
  const exports = lines
    .map((line) => /^\s+([A-Z][A-Z0-9_]*): (.+)$/.exec(line))
    .filter((match) => match !== null && !match[2]!.includes("${{"))
    .map((match) => `export ${match![1]}=${match![2]}\n`)
    .join("");
  return runSteps(lines).map((step) => exports + step);
}

function runSteps(lines: string[]): string[] {
  const steps: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = /^(\s*)(?:- )?run: (.*)$/.exec(lines[i]!);
    if (!match) continue;
    if (match[2] !== "|") {
      steps.push(match[2]!);
      continue;
    }
    const body: string[] = [];
    while (i + 1 < lines.length && (lines[i + 1]!.trim() === "" || lines[i + 1]!.search(/\S/) > match[1]!.length))
      body.push(lines[++i]!);
    const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.search(/\S/)));
    steps.push(body.map((l) => l.slice(indent)).join("\n"));
  }
  return steps;
}

function localize(script: string): string {
  return script
    .replace(/npx (--yes )?@tofu-oci\/cli/g, "tofu-oci")
    .replace(/(mirror providers '?)([a-z0-9-]+\/[a-z0-9-]+[@\s'])/g, `$1${providers.host}/$2`)
    .replace(/(mirror modules '?)([a-z0-9-]+\/[a-z0-9-]+\/[a-z0-9-]+[@\s'])/g, `$1${modules.host}/$2`)
    .replaceAll("mirror.internal", `${registry.host}/airgap`)
    .replaceAll("registry.example.com", registry.host)
    .replaceAll("registry.opentofu.org", providers.host)
    .replaceAll("modules.example.com", modules.host)
    .replace(/mirror (providers|modules) /g, "mirror $1 --source-plain-http ");
}

const fixtures = join(scratch.path, "fixtures");

/** The files every document's directory starts with (see the top of this file). */
function writeFixtures(): void {
  for (const target of ["network", "net", join("modules", "network")])
    cpSync(join(root, "examples", "modules", "network"), join(fixtures, target), { recursive: true });
  mkdirSync(join(fixtures, "dist"));
  const sums: string[] = [];
  for (const platform of ["linux_amd64", "darwin_arm64"]) {
    const name = `terraform-provider-thing_1.2.0_${platform}.zip`;
    const zip = buildZip([
      { name: "terraform-provider-thing_v1.2.0", content: `#!/bin/sh\necho thing ${platform}\n`, mode: 0o755 },
    ]);
    for (const dir of [fixtures, join(fixtures, "dist")]) writeFileSync(join(dir, name), zip);
    sums.push(`${createHash("sha256").update(zip).digest("hex")}  ${name}`);
  }
  for (const dir of [fixtures, join(fixtures, "dist")])
    writeFileSync(join(dir, "terraform-provider-thing_1.2.0_SHA256SUMS"), `${sums.join("\n")}\n`);
  const hashes = sums.map((line) => `    "zh:${line.split(" ")[0]}",\n`).join("");
  writeFileSync(
    join(fixtures, ".terraform.lock.hcl"),
    `provider "${registry.host}/acme/thing" {\n  version = "1.2.0"\n  hashes = [\n${hashes}  ]\n}\n`,
  );
  writeFileSync(
    join(fixtures, "sbom.spdx.json"),
    JSON.stringify({
      spdxVersion: "SPDX-2.3",
      SPDXID: "SPDXRef-DOCUMENT",
      name: "net",
      dataLicense: "CC0-1.0",
      documentNamespace: "https://example.com/net",
      creationInfo: { created: "2025-01-01T00:00:00Z", creators: ["Tool: docs"] },
      packages: [],
    }),
  );
  writeFileSync(
    join(fixtures, "sbom.cdx.json"),
    JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.5", version: 1, components: [] }),
  );
  writeFileSync(join(fixtures, "package.json"), JSON.stringify({ name: "docs", private: true }));
  writeFileSync(join(fixtures, ".tofu-ocirc.json"), JSON.stringify({ plainHttp: true }));
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=docs", "-c", "user.email=docs@example.com", ...args], { cwd: fixtures });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-q", "-m", "fixtures");
}

/** A fresh working directory for one document. */
function workspace(file: string): string {
  const dir = join(scratch.path, file.replaceAll("/", "_"));
  cpSync(fixtures, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  mkdirSync(bin);
  const bins: Record<string, string> = {
    "tofu-oci": "cli",
    "tofu-oci-pack": "pack",
    "tofu-oci-push": "push",
    "tofu-oci-verify": "verify",
    "tofu-oci-auth": "auth",
    "tofu-oci-mirror": "mirror",
    "tofu-oci-doctor": "doctor",
    "tofu-oci-deps": "deps",
  };
  for (const [name, dir] of Object.entries(bins)) {
    writeFileSync(
      join(bin, name),
      `#!/bin/sh\nexec "${process.execPath}" "${join(root, "packages", dir, "dist", "bin.js")}" "$@"\n`,
    );
    chmodSync(join(bin, name), 0o755);
  }
  const platforms = ["linux_amd64", "darwin_arm64"];
  providers = await startProviderRegistry({
    providers: [
      {
        namespace: "hashicorp",
        type: "random",
        versions: ["3.7.1", "3.7.2"].map((version) => ({ version, platforms })),
      },
      {
        namespace: "hashicorp",
        type: "aws",
        versions: ["4.67.0", "5.0.0", "5.1.0"].map((version) => ({ version, platforms })),
      },
    ],
  });
  modules = await startModuleRegistry();
  const archive = join(scratch.path, "network.tar.gz");
  execFileSync("tar", ["czf", archive, "-C", join(root, "examples", "modules", "network"), "."]);
  modules.addFile("/files/network.tar.gz", readFileSync(archive));
  for (const [module, versions] of [
    ["acme/network/aws", ["1.0.0", "1.1.0"]],
    ["terraform-aws-modules/vpc/aws", ["4.0.0", "5.0.0", "5.1.0"]],
  ] as const) {
    for (const version of versions)
      modules.addVersion(module, version, { header: `${modules.url}/files/network.tar.gz` });
  }
  writeFixtures();
  const publish = (script: string) =>
    execFileSync("bash", ["-eo", "pipefail", "-c", script], {
      cwd: fixtures,
      env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}` },
    });
  publish(`tofu-oci pack module ./net | tofu-oci push ${registry.host}/modules/net:1.0.0`);
  publish(`tofu-oci pack module ./network | tofu-oci push ${registry.host}/modules/network:1.0.0`);
  publish(
    `tofu-oci pack provider --provider ${registry.host}/acme/thing --version 1.2.0 dist/ | tofu-oci push ${registry.host}/providers/acme/thing`,
  );
  rmSync(join(fixtures, "net.zip"));
  rmSync(join(fixtures, "network.zip"));
}, 60_000);

afterAll(async () => {
  await providers?.stop();
  await modules?.stop();
  scratch.cleanup();
});

const withBlocks = documents
  .map((file) => ({ file, blocks: runnableBlocks(file) }))
  .filter(({ blocks }) => blocks.length > 0);

describe("runnable documentation", () => {
  it("marks blocks as runnable in the README and every recipe", () => {
    const files = withBlocks.map(({ file }) => file);
    expect(files).toContain("README.md");
    for (const recipe of documents.filter((f) => f.startsWith("docs"))) expect(files, recipe).toContain(recipe);
  });

  it.each(withBlocks.map(({ file, blocks }) => [file, blocks] as const))(
    "%s: every runnable block succeeds",
    async (file, blocks) => {
      const cwd = workspace(file);
      const env = {
        PATH: `${bin}${delimiter}${process.env.PATH}`,
        HOME: cwd,
        XDG_CONFIG_HOME: join(cwd, ".config"),
        DOCKER_CONFIG: undefined,
        REGISTRY_AUTH_FILE: undefined,
        TF_CLI_CONFIG_FILE: undefined,
        REGISTRY_USER: "ci",
        REGISTRY_PASSWORD: "not-checked-by-a-registry-without-auth",
        GITHUB_REF_NAME: "network-v1.2.3",
      };
      for (const block of blocks) {
        const result = await runProcess("bash", ["-eo", "pipefail", "-c", localize(block.script)], {
          cwd,
          env,
          timeoutMs: 120_000,
        });
        const where = `${relative(root, join(root, block.file))}:${block.line}\n${block.script}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
        if (process.env.DOCS_DEBUG) process.stderr.write(`${where}\n=====\n`);
        expect(result.code, where).toBe(0);
      }
    },
    300_000,
  );
});
