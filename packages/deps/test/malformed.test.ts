import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "@tofu-oci/cli-kit";
import {
  memoryContext,
  parseRecords,
  sendJson,
  startHostileServer,
  tempDir,
  uniqueRepository,
  type HostileServer,
} from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cli } from "../src/command.js";
import { cliConfig, configuration, pushModule, pushProvider, writeTree, type Bed } from "./bed.js";

// Every input of the deps verbs, malformed: lock files, configuration files, the CLI
// configuration, flags, module sources and their comments, and registry answers. Each one is a
// clear error with the exit code of docs/contract/design.md 2.2, and no file is changed.

const registry = inject("registries").plain;
const scratch = tempDir("tofu-oci-deps-malformed-");
const bed: Bed = { host: registry.host, clientOptions: { plainHttp: true }, dir: scratch.path };
const prefix = uniqueRepository("deps/malformed");
const env = cliConfig(bed, `${registry.host}/${prefix}/\${namespace}/\${type}`, ["registry.example.com/acme/*"]);
const address = (type: string) => `registry.example.com/acme/${type}`;
let hostile: HostileServer;
let moduleDigest: string;

beforeAll(async () => {
  await pushProvider(bed, `${prefix}/acme/good`, { address: address("good"), version: "1.0.0" });
  await pushProvider(bed, `${prefix}/acme/odd`, {
    address: address("odd"),
    version: "1.0.0",
    annotation: "sha256:abc",
  });
  moduleDigest = await pushModule(bed, `${prefix}/net`, "1.0.0");
  // A registry whose tag lists are not what the distribution spec says.
  hostile = await startHostileServer((req, res) => {
    if (req.url === "/v2/") return sendJson(res, 200, {});
    if (req.url?.includes("/tags/list")) {
      res.writeHead(200, { "content-type": "application/json" }).end("{tags");
      return;
    }
    sendJson(res, 404, { errors: [{ code: "MANIFEST_UNKNOWN", message: "unknown" }] });
  });
}, 120_000);
afterAll(async () => {
  await hostile?.close();
  scratch.cleanup();
});

async function deps(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
  const { ctx, stdout, stderr } = memoryContext({ env: options.env ?? env, cwd: options.cwd ?? scratch.path });
  const code = await runCli(cli, [...args, "--plain-http", "--format", "json"], ctx);
  return { code, stdout: stdout(), stderr: stderr(), records: parseRecords(stdout()) };
}

function requiring(type: string, version?: string): string {
  const constraint = version === undefined ? "" : `, version = "${version}"`;
  return `terraform {\n  required_providers {\n    ${type} = { source = "${address(type)}"${constraint} }\n  }\n}\n`;
}

/** Runs `deps ARGS DIR` and checks the exit code, that the error says `message`, and that no file changed. */
async function refused(
  dir: string,
  args: string[],
  code: number,
  message: RegExp,
  options: { env?: Record<string, string> } = {},
) {
  const before = snapshot(dir);
  const result = await deps([...args, dir], options);
  expect(result.code, `${result.stderr}\n${result.stdout}`).toBe(code);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(snapshot(dir)).toEqual(before);
  return result;
}

function snapshot(dir: string): Record<string, string | undefined> {
  const files = ["main.tf", ".terraform.lock.hcl"];
  return Object.fromEntries(
    files.map((f) => [f, existsSync(join(dir, f)) ? readFileSync(join(dir, f), "utf8") : undefined]),
  );
}

describe("deps lock: malformed input", () => {
  it("a lock file that is not HCL, or holds a bad entry, is exit 6 and stays as it was", async () => {
    const notHcl = configuration(bed, { "main.tf": requiring("good"), ".terraform.lock.hcl": 'provider "x" {\n' });
    await refused(notHcl, ["lock"], 6, /lock/i);
    const badVersion = configuration(bed, {
      "main.tf": requiring("good"),
      ".terraform.lock.hcl": `provider "${address("good")}" {\n  version = "one"\n}\n`,
    });
    await refused(badVersion, ["lock"], 6, /version/i);
    const badAddress = configuration(bed, {
      "main.tf": requiring("good"),
      ".terraform.lock.hcl": 'provider "not/a/provider/address" {\n  version = "1.0.0"\n}\n',
    });
    await refused(badAddress, ["lock"], 6, /provider/i);
  });

  it("a configuration that is not HCL, a bad source or a bad constraint is exit 6, and nothing is written", async () => {
    await refused(configuration(bed, { "main.tf": "terraform {\n  required_providers {\n" }), ["lock"], 6, /main\.tf/);
    const badSource = 'terraform {\n  required_providers {\n    x = { source = "a/b/c/d" }\n  }\n}\n';
    await refused(configuration(bed, { "main.tf": badSource }), ["lock"], 6, /a\/b\/c\/d|source/i);
    const badConstraint = configuration(bed, { "main.tf": requiring("good", "~> banana") });
    const result = await refused(badConstraint, ["lock"], 6, /could not be locked/);
    expect(result.records.find((r) => r.kind === "provider-lock")).toMatchObject({
      action: "failed",
      problem: expect.stringContaining("constraints are invalid"),
    });
  });

  it("a missing directory is exit 6", async () => {
    await refused(join(scratch.path, "nowhere"), ["lock"], 6, /nowhere/);
  });

  it("a CLI configuration OpenTofu would reject is exit 6", async () => {
    const dir = configuration(bed, { "main.tf": requiring("good") });
    const notHcl = writeTree(join(scratch.path, "rc-not-hcl"), { tofurc: "provider_installation {\n" });
    await refused(dir, ["lock"], 6, /configuration/i, { env: { ...env, TF_CLI_CONFIG_FILE: join(notHcl, "tofurc") } });
    const noType = writeTree(join(scratch.path, "rc-no-type"), {
      tofurc: `provider_installation {\n  oci_mirror {\n    repository_template = "${registry.host}/p/\${namespace}"\n  }\n}\n`,
    });
    await refused(dir, ["lock"], 6, /type/, { env: { ...env, TF_CLI_CONFIG_FILE: join(noType, "tofurc") } });
  });

  it("a bad --platform or an unknown option is a usage error (exit 2)", async () => {
    const dir = configuration(bed, { "main.tf": requiring("good") });
    await refused(dir, ["lock", "--platform", "linux"], 2, /linux/);
    await refused(dir, ["lock", "--platform", "linux_amd64,darwin_arm64"], 2, /platform/i);
    await refused(dir, ["lock", "--bogus"], 2, /bogus/);
  });

  it("an h1: annotation that is not an h1: hash fails the provider (exit 1); its entry is not written", async () => {
    const dir = configuration(bed, { "main.tf": requiring("odd") });
    const result = await refused(dir, ["lock"], 1, /could not be locked/);
    expect(result.records.find((r) => r.kind === "provider-lock")).toMatchObject({
      action: "failed",
      checks: expect.arrayContaining([expect.objectContaining({ id: "h1-annotation", ok: false })]),
    });
  });

  it("a registry whose tag list is not JSON is exit 5; an unreachable one is exit 5", async () => {
    const dir = configuration(bed, { "main.tf": requiring("good") });
    const hostileRc = cliConfig(bed, `${hostile.host}/p/\${namespace}/\${type}`, ["registry.example.com/acme/*"]);
    await refused(dir, ["lock"], 5, /tag/i, { env: hostileRc });
    const closedRc = cliConfig(bed, "127.0.0.1:1/p/${namespace}/${type}", ["registry.example.com/acme/*"]);
    await refused(dir, ["lock"], 5, /127\.0\.0\.1:1/, { env: closedRc });
  });
});

describe("deps outdated, pin, update: malformed input", () => {
  const source = (query: string, repository = `${prefix}/net`) => `oci://${registry.host}/${repository}${query}`;
  const moduleTf = (value: string, comment = "") => `module "net" {\n  source = "${value}"${comment}\n}\n`;

  it("a configuration that is not HCL is exit 6 for every verb, and nothing is written", async () => {
    const dir = configuration(bed, { "main.tf": `${moduleTf(source("?tag=1.0.0"))}module "x" {\n` });
    for (const verb of ["outdated", "pin", "update"]) await refused(dir, [verb], 6, /main\.tf/);
  });

  it("a source that is no OCI reference, or a bad constraint comment, is reported and left as it was (exit 6)", async () => {
    const badReference = configuration(bed, { "main.tf": moduleTf(source("?tag=1.0.0", "UPPER/Case")) });
    for (const verb of ["outdated", "pin", "update"]) {
      const result = await refused(badReference, [verb], 6, /module source/);
      expect(result.records[0]).toMatchObject({ problem: expect.any(String) });
    }
    const badComment = configuration(bed, { "main.tf": moduleTf(source("?tag=1.0.0"), " # tofu-oci: ~> banana") });
    for (const verb of ["outdated", "update"]) await refused(badComment, [verb], 6, /module source/);
  });

  it("a repository or tag that does not exist is exit 3", async () => {
    const missingRepo = configuration(bed, { "main.tf": moduleTf(source("?tag=1.0.0", `${prefix}/none`)) });
    for (const verb of ["outdated", "update"]) await refused(missingRepo, [verb], 3, /module source/);
    const missingTag = configuration(bed, { "main.tf": moduleTf(source("?tag=9.9.9")) });
    const result = await refused(missingTag, ["pin"], 3, /module source/);
    expect(result.records[0]).toMatchObject({ action: "refused", notFound: true });
  });

  it("bad flags are usage errors (exit 2)", async () => {
    const dir = configuration(bed, { "main.tf": moduleTf(source(`?digest=${moduleDigest}`)) });
    await refused(dir, ["outdated", "--constraint", "~> banana"], 2, /constraint/);
    await refused(dir, ["update", "--constraint", ">= 1.0, nope"], 2, /constraint/);
    await refused(dir, ["pin", "--constraint", "~> 1.0"], 2, /constraint/);
    await refused(dir, ["update", "--bogus"], 2, /bogus/);
  });

  it("a registry whose tag list is not JSON is exit 5", async () => {
    const dir = configuration(bed, { "main.tf": moduleTf(`oci://${hostile.host}/net?tag=1.0.0`) });
    for (const verb of ["outdated", "update"]) await refused(dir, [verb], 5, /tag/i);
  });
});
