import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { digestFile, openTarget, pushGraph } from "@tofu-oci/core";
import { parseLockFile, providerGraph, type ProviderLock } from "@tofu-oci/opentofu";
import { buildZip, parseRecords, runBin, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { verify } from "@tofu-oci/verify";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { lock, type LockResult, type ProviderLockRecord } from "../src/index.js";
import { PLATFORMS, cliConfig, configuration, pushProvider, type Bed } from "./bed.js";

// deps lock against the real registry: providers pushed by tofu-oci pack + push (each platform
// manifest records its h1:), one pushed without that annotation, one that would not install.

const registry = inject("registries").plain;
const scratch = tempDir("tofu-oci-deps-lock-");
const bed: Bed = { host: registry.host, clientOptions: { plainHttp: true }, dir: scratch.path };
const prefix = uniqueRepository("deps/lock");
const env = cliConfig(bed, `${registry.host}/${prefix}/\${namespace}/\${type}`, ["registry.example.com/acme/*"]);
const repo = (type: string) => `${prefix}/acme/${type}`;
const address = (type: string) => `registry.example.com/acme/${type}`;
afterAll(() => scratch.cleanup());

beforeAll(async () => {
  // alpha's versions one after another: concurrent pushes of the same blob into one repository
  // race in distribution's filesystem storage (it truncates and rewrites the repository's link
  // file, so a manifest PUT at that moment reads MANIFEST_BLOB_UNKNOWN).
  const alpha = async () => {
    for (const version of ["1.0.0", "1.1.0", "2.0.0"]) {
      await pushProvider(bed, repo("alpha"), { address: address("alpha"), version });
    }
  };
  await Promise.all([
    alpha(),
    pushProvider(bed, repo("beta"), { address: address("beta"), version: "0.5.0" }),
    pushProvider(bed, repo("gamma"), { address: address("gamma"), version: "3.0.0", annotation: "none" }),
    pushProvider(bed, repo("delta"), {
      address: address("delta"),
      version: "1.0.0",
      annotation: `h1:${"A".repeat(43)}=`,
    }),
    pushBroken(repo("broken")),
  ]);
}, 120_000);

/** A provider whose zip has no executable: OpenTofu would refuse to install it. */
async function pushBroken(repository: string): Promise<void> {
  const file = join(scratch.path, "terraform-provider-broken_1.0.0_linux_amd64.zip");
  writeFileSync(file, buildZip([{ name: "README.md", content: "no provider here\n" }]));
  const { target, client } = await openTarget(`${registry.host}/${repository}`, { clientOptions: bed.clientOptions });
  await pushGraph(target, providerGraph([{ os: "linux", arch: "amd64", zip: { file, ...(await digestFile(file)) } }]), [
    "1.0.0",
  ]);
  await client?.close();
}

function required(providers: Record<string, string | undefined>): string {
  const lines = Object.entries(providers).map(([type, version]) => {
    const source = type === "random" ? "hashicorp/random" : address(type);
    return `    ${type} = { source = "${source}"${version ? `, version = "${version}"` : ""} }`;
  });
  return `terraform {\n  required_providers {\n${lines.join("\n")}\n  }\n}\n`;
}

async function run(
  dir: string,
  options: Parameters<typeof lock>[0] = {},
): Promise<LockResult & { text: string; entries: Map<string, ProviderLock> }> {
  const result = await lock({ clientOptions: bed.clientOptions, ...options }, { cwd: dir, env });
  const text = readFileSync(join(dir, ".terraform.lock.hcl"), "utf8");
  return { ...result, text, entries: (await parseLockFile(text)).providers };
}

function providerRecord(result: LockResult, type: string): ProviderLockRecord {
  const provider = type.includes("/") ? type : address(type);
  return result.records.find((r) => r.kind === "provider-lock" && r.provider === provider) as ProviderLockRecord;
}

/** The zh: and h1: of every platform, as verify computes them from the downloaded zips. */
async function hashesFromZips(type: string, version: string): Promise<string[]> {
  const [record] = await verify({
    reference: `${registry.host}/${repo(type)}:${version}`,
    clientOptions: bed.clientOptions,
  });
  expect(record!.ok).toBe(true);
  return (record!.platforms as Array<{ zh: string; h1: string }>).flatMap((p) => [p.zh, p.h1]).sort();
}

const RANDOM_LOCK = `provider "registry.opentofu.org/hashicorp/random" {
  version = "3.7.2"
  hashes = [
    "h1:0000000000000000000000000000000000000000000=",
  ]
}
`;

describe("deps lock: three providers from an OCI mirror, four platforms each", () => {
  let dir: string;
  let first: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    dir = configuration(bed, {
      "main.tf": required({ alpha: "~> 1.0", beta: undefined, gamma: ">= 3.0", random: undefined }),
      ".terraform.lock.hcl": `${RANDOM_LOCK}\nprovider "${address("old")}" {\n  version = "1.0.0"\n}\n`,
    });
    first = await run(dir);
  });

  it("locks 4 zh: and 4 h1: per provider, the hashes verify computes from the zips", async () => {
    expect(first.failed).toEqual([]);
    for (const [type, version] of [
      ["alpha", "1.1.0"],
      ["beta", "0.5.0"],
      ["gamma", "3.0.0"],
    ] as const) {
      const entry = first.entries.get(address(type))!;
      expect(entry.version).toBe(version);
      expect(entry.hashes.filter((h) => h.startsWith("zh:"))).toHaveLength(4);
      expect(entry.hashes.filter((h) => h.startsWith("h1:"))).toHaveLength(4);
      expect(entry.hashes).toEqual(await hashesFromZips(type, version));
      expect(providerRecord(first, type).platforms!.map((p) => p.platform)).toEqual([...PLATFORMS]);
    }
    // h1: from the manifests tofu-oci push annotated; computed by download where there is none.
    expect(providerRecord(first, "alpha").platforms!.every((p) => p.h1From === "annotation")).toBe(true);
    expect(providerRecord(first, "gamma").platforms!.every((p) => p.h1From === "content")).toBe(true);
  });

  it("writes the constraints in OpenTofu's canonical form, keeps other providers' entries and drops unrequired ones", () => {
    expect(first.entries.get(address("alpha"))!.constraints).toBe("~> 1.0");
    expect(first.entries.get(address("gamma"))!.constraints).toBe(">= 3.0.0");
    expect(first.entries.get(address("beta"))!.constraints).toBeUndefined();
    expect(first.text).toContain(RANDOM_LOCK);
    expect(first.text).toContain(
      `provider "${address("alpha")}" {\n  version     = "1.1.0"\n  constraints = "~> 1.0"\n  hashes = [\n`,
    );
    expect(
      first.text.startsWith(
        '# This file is maintained automatically by "tofu init".\n# Manual edits may be lost in future updates.\n\n',
      ),
    ).toBe(true);
    expect(providerRecord(first, "registry.opentofu.org/hashicorp/random")).toMatchObject({
      action: "kept",
      version: "3.7.2",
    });
    expect(providerRecord(first, "old")).toMatchObject({ action: "removed" });
    expect(first.entries.has(address("old"))).toBe(false);
  });

  it("is what tofu init accepts on every platform, adding no hash", async () => {
    for (const platform of PLATFORMS) {
      const [record] = await verify({
        reference: `${registry.host}/${repo("alpha")}:1.1.0`,
        platforms: [platform],
        lockFile: join(dir, ".terraform.lock.hcl"),
        provider: address("alpha"),
        clientOptions: bed.clientOptions,
      });
      expect(record!.ok, JSON.stringify(record!.checks.filter((c) => !c.ok))).toBe(true);
      const [hashes] = record!.platforms as Array<{ zh: string; h1: string }>;
      expect(first.entries.get(address("alpha"))!.hashes).toEqual(expect.arrayContaining([hashes!.zh, hashes!.h1]));
    }
  });

  it("changes nothing on a second run", async () => {
    const second = await run(dir);
    expect(second.text).toBe(first.text);
    expect(second.records.at(-1)).toMatchObject({ kind: "lock-file", changed: false, providers: 4 });
    expect(
      second.records
        .filter((r) => r.kind === "provider-lock" && r.action !== "kept")
        .map((r) => (r as ProviderLockRecord).action),
    ).toEqual(["unchanged", "unchanged", "unchanged"]);
  });
});

describe("deps lock: versions as tofu init chooses them", () => {
  it("keeps the locked version, takes the newest allowed with --upgrade, and refuses a lock the constraint excludes", async () => {
    const dir = configuration(bed, { "main.tf": required({ alpha: "1.0.0" }) });
    expect((await run(dir)).entries.get(address("alpha"))!.version).toBe("1.0.0");
    writeFileSync(join(dir, "main.tf"), required({ alpha: "~> 1.0" }));
    const kept = await run(dir);
    expect(kept.entries.get(address("alpha"))).toMatchObject({ version: "1.0.0", constraints: "~> 1.0" });
    expect(providerRecord(kept, "alpha").action).toBe("updated");
    const upgraded = await run(dir, { upgrade: true });
    expect(upgraded.entries.get(address("alpha"))!.version).toBe("1.1.0");
    expect(upgraded.entries.get(address("alpha"))!.hashes).toEqual(await hashesFromZips("alpha", "1.1.0"));
    writeFileSync(join(dir, "main.tf"), required({ alpha: "~> 2.0" }));
    const refused = await run(dir);
    expect(providerRecord(refused, "alpha")).toMatchObject({
      action: "failed",
      problem: expect.stringContaining("does not match configured version constraint ~> 2.0"),
    });
    expect(refused.text).toBe(upgraded.text);
  });

  it("locks only the --platform platforms", async () => {
    const dir = configuration(bed, { "main.tf": required({ beta: undefined }) });
    const result = await run(dir, { platforms: ["linux_amd64", "darwin/arm64"] });
    expect(result.entries.get(address("beta"))!.hashes).toHaveLength(4);
    expect(providerRecord(result, "beta").platforms!.map((p) => p.platform)).toEqual(["linux_amd64", "darwin_arm64"]);
  });
});

describe("deps lock: what would not install is reported, not locked", () => {
  it("refuses a provider without its executable, and leaves the others locked", async () => {
    const dir = configuration(bed, { "main.tf": required({ broken: undefined, beta: undefined }) });
    const result = await run(dir);
    expect(providerRecord(result, "broken")).toMatchObject({
      action: "failed",
      checks: [expect.objectContaining({ id: "provider-executable" })],
    });
    expect(result.entries.has(address("broken"))).toBe(false);
    expect(result.entries.has(address("beta"))).toBe(true);
  });

  it("with --download, checks each recorded h1: against the zip", async () => {
    const dir = configuration(bed, { "main.tf": required({ delta: undefined }) });
    const result = await lock({ clientOptions: bed.clientOptions, download: true }, { cwd: dir, env });
    expect(result.failed).toEqual([
      expect.objectContaining({
        provider: address("delta"),
        checks: expect.arrayContaining([expect.objectContaining({ id: "h1-annotation" })]),
      }),
    ]);
  });

  it("is exit 3 for a version the mirror does not have, from the bin", async () => {
    const dir = configuration(bed, { "main.tf": required({ alpha: "~> 9.0", beta: undefined }) });
    const result = await runBin("deps", ["lock", dir, "--plain-http", "--format", "json"], { env });
    expect(result.code, result.stderr).toBe(3);
    const records = parseRecords(result.stdout);
    expect(records.find((r) => r.provider === address("alpha"))).toMatchObject({
      action: "failed",
      problem: expect.stringContaining("no version"),
    });
    expect(records.find((r) => r.kind === "lock-file")).toMatchObject({ changed: true, providers: 1 });
  });
});
