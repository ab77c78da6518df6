import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseRecords, runBin, tempDir, type TestProviderRegistry } from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshTemplate, startTestProviderRegistry } from "./provider-fixtures.js";

const registry = inject("registries").plain;
const scratch = tempDir();
let source: TestProviderRegistry;

beforeAll(async () => {
  source = await startTestProviderRegistry();
});
afterAll(async () => {
  await source.stop();
  scratch.cleanup();
});

// Nothing listens on port 1: a command that reached the network would fail with exit 5, not 2 or 6.
const UNREACHABLE = "127.0.0.1:1/acme/widget";
const TEMPLATE = "registry.example.com/p/${namespace}/${type}";

describe("tofu-oci-mirror providers (bin)", () => {
  it.each([
    ["a bad provider address", ["providers", "acme", "--to", TEMPLATE], 2, /invalid provider "acme"/],
    [
      "a bad constraint",
      ["providers", `${UNREACHABLE}@~> one`, "--to", TEMPLATE],
      2,
      /invalid version constraint "~> one"/,
    ],
    [
      "a template with an unknown symbol",
      ["providers", UNREACHABLE, "--to", "r.example.com/${name}"],
      2,
      /invalid repository template/,
    ],
    ["a template that names a registry only", ["providers", UNREACHABLE, "--to", "${type}"], 2, /without a repository/],
    [
      "a template with a trailing space",
      ["providers", UNREACHABLE, "--to", `${TEMPLATE} `],
      2,
      /valid OCI repository address/,
    ],
    [
      "a template with a function call",
      ["providers", UNREACHABLE, "--to", "r.example.com/${lower(type)}"],
      2,
      /Function calls not allowed/,
    ],
    ["a missing --to", ["providers", UNREACHABLE], 2, /--to TEMPLATE is required/],
    [
      "a bad platform",
      ["providers", UNREACHABLE, "--to", TEMPLATE, "--platform", "linux"],
      2,
      /invalid platform "linux"/,
    ],
  ])("refuses %s before any request, with a one-line message", async (_what, args, code, message) => {
    const result = await runBin("mirror", [...args, "--source-plain-http"]);
    expect(result.code, result.stderr).toBe(code);
    const [first] = result.stderr.split("\n");
    expect(first).toMatch(/^error: /);
    expect(first).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a missing lock file with exit 6 (a named file that cannot be used is bad input)", async () => {
    const result = await runBin("mirror", [
      "providers",
      "--lockfile",
      "/nonexistent/.terraform.lock.hcl",
      "--to",
      TEMPLATE,
    ]);
    expect(result.code, result.stderr).toBe(6);
    expect(result.stderr.split("\n")[0]).toMatch(
      /^error: cannot read the lock file \/nonexistent\/\.terraform\.lock\.hcl: ENOENT/,
    );
  });

  it("exits 3 when no selected version has the requested platform, naming it", async () => {
    const template = freshTemplate(registry.host);
    const args = [
      "providers",
      `${source.host}/acme/gadget@0.1.0`,
      "--to",
      template,
      "--platform",
      "solaris_sparc",
      "--source-plain-http",
      "--plain-http",
      "--format",
      "json",
    ];
    const result = await runBin("mirror", args);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain(`error: ${source.host}/acme/gadget has no solaris_sparc package in version 0.1.0`);
    expect(parseRecords(result.stdout)).toEqual([expect.objectContaining({ kind: "error", code: "not-found" })]);
  });

  it("refuses a malformed lock file with exit 6", async () => {
    const lock = join(scratch.path, "bad.lock.hcl");
    writeFileSync(lock, 'provider "127.0.0.1:1/acme/widget" {\n  version = \n}\n');
    const result = await runBin("mirror", ["providers", "--lockfile", lock, "--to", TEMPLATE]);
    expect(result.code, result.stderr).toBe(6);
    expect(result.stderr.split("\n")[0]).toMatch(/^error: .*bad\.lock\.hcl/);
  });

  it("mirrors, prints the CLI configuration, and the result passes tofu-oci-verify", async () => {
    const template = freshTemplate(registry.host);
    const provider = `${source.host}/acme/gadget`;
    const args = [
      "providers",
      `${provider}@0.1.0`,
      "--to",
      template,
      "--platform",
      "linux_amd64",
      "--source-plain-http",
      "--plain-http",
      "--print-config",
      "--format",
      "json",
    ];
    const result = await runBin("mirror", args);
    expect(result.code, result.stderr).toBe(0);
    const [record, config] = parseRecords(result.stdout);
    expect(record).toMatchObject({ kind: "artifact", type: "provider", provider, version: "0.1.0", unchanged: false });
    expect(config).toMatchObject({ kind: "cli-config", include: [provider] });
    expect(String(config!.text)).toContain("oci_mirror {");
    const verified = await runBin("verify", [
      `${record!.registry}/${record!.repository}:0.1.0`,
      "--plain-http",
      "--format",
      "json",
    ]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(parseRecords(verified.stdout)[0]).toMatchObject({ kind: "verification", ok: true });

    const text = await runBin("mirror", [...args.slice(0, -2), "--format", "text"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`unchanged ${provider} 0.1.0`);
    expect(text.stdout).toContain("provider_installation {");
  });

  it("exits 1 naming the failed check when a version's signature is missing", async () => {
    source.setFault("acme", "gadget", "0.2.0", "no-signature");
    try {
      const template = freshTemplate(registry.host);
      const result = await runBin("mirror", [
        "providers",
        `${source.host}/acme/gadget@0.2.0`,
        "--to",
        template,
        "--platform",
        "linux_amd64",
        "--source-plain-http",
        "--plain-http",
        "--format",
        "json",
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: .*0\.2\.0: signature check failed .*nothing was pushed for this version/m);
      expect(parseRecords(result.stdout)[0]).toMatchObject({ kind: "verification", ok: false, version: "0.2.0" });
    } finally {
      source.setFault("acme", "gadget", "0.2.0", undefined);
    }
  });

  it("takes mirrorTemplate from the config file as the default --to, and --to overrides it", async () => {
    const template = freshTemplate(registry.host);
    const cwd = join(scratch.path, "with-config");
    mkdirSync(cwd);
    writeFileSync(join(cwd, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    writeFileSync(join(cwd, ".tofu-ocirc.json"), JSON.stringify({ mirrorTemplate: template, plainHttp: true }));
    const provider = `${source.host}/acme/gadget`;
    const args = [
      "providers",
      `${provider}@0.1.0`,
      "--platform",
      "linux_amd64",
      "--source-plain-http",
      "--format",
      "json",
    ];
    const result = await runBin("mirror", args, { cwd });
    expect(result.code, result.stderr).toBe(0);
    const [record] = parseRecords(result.stdout);
    expect(`${record!.registry}/${record!.repository}`).toBe(
      template.replace("${namespace}", "acme").replace("${type}", "gadget"),
    );

    const flag = await runBin("mirror", [...args, "--to", join(cwd, "layout"), "--oci-layout"], { cwd });
    expect(flag.code, flag.stderr).toBe(0);
    expect(parseRecords(flag.stdout)[0]!.registry).toBe("");
  });
});
