import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { openTarget, sha256Digest, type Target } from "@tofu-oci/core";
import { parseRecords, runBin, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { verify, type VerifyRecord } from "../src/index.js";
import { ArtifactWriter } from "./artifacts.js";
import { FAKE_PROVIDER, buildZip } from "./zip-builder.js";

const registry = inject("registries").plain;
const clientOptions = { plainHttp: true };
const dir = tempDir("tofu-oci-verify-lock-");
afterAll(() => dir.cleanup());

// The fake provider of OpenTofu's tests, zipped here; its h1: is OpenTofu's asserted vector.
const ZIP = buildZip([{ name: FAKE_PROVIDER.name, content: FAKE_PROVIDER.content, mode: 0o755 }]);
const ZH = `zh:${sha256Digest(ZIP).slice(7)}`;
const TAMPERED = buildZip([
  { name: FAKE_PROVIDER.name, content: FAKE_PROVIDER.content, mode: 0o755 },
  { name: "extra.txt", content: "not in the release\n" },
]);
const TAMPERED_ZH = `zh:${sha256Digest(TAMPERED).slice(7)}`;
// The lock file OpenTofu writes in internal/command/init_test.go for this provider; its zh: is
// of the zip Go's writer made, which is not byte-identical to ours.
const OPENTOFU_ZH = "zh:ac90a1419dd4648431af93b6695b6d6efcad87950ee608de4198df8e6debff23";

function lockFile(name: string, hashes: string[], version = "1.2.3"): string {
  const lines = [
    '# This file is maintained automatically by "tofu init".',
    "# Manual edits may be lost in future updates.",
    "",
    `provider "${FAKE_PROVIDER.address}" {`,
    `  version     = "${version}"`,
    `  constraints = "${version}"`,
    ...(hashes.length > 0 ? ["  hashes = [", ...hashes.map((hash) => `    "${hash}",`), "  ]"] : []),
    "}",
  ];
  const path = join(dir.path, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

let genuine = "";
let tampered = "";

beforeAll(async () => {
  for (const [zip, set] of [
    [ZIP, (r: string) => (genuine = r)],
    [TAMPERED, (r: string) => (tampered = r)],
  ] as const) {
    const repo = `${uniqueRepository("verify/lock")}/hashicorp/test`;
    const { target } = await openTarget(`${registry.host}/${repo}`, { clientOptions });
    await new ArtifactWriter(target as Target).provider({
      tag: "1.2.3",
      platforms: [{ os: "linux", arch: "amd64", zip }],
    });
    set(`${registry.host}/${repo}:1.2.3`);
  }
});

async function check(reference: string, lock: string, provider?: string): Promise<VerifyRecord> {
  const [record] = await verify({ reference, lockFile: lock, clientOptions, ...(provider ? { provider } : {}) });
  return record!;
}

function failedIds(record: VerifyRecord): string[] {
  return record.checks.filter((c) => !c.ok).map((c) => c.id);
}

describe("lock-file hashes, decided as OpenTofu's oci_mirror installer decides", () => {
  it("computes the h1: of the fake provider exactly as OpenTofu's asserted vector", async () => {
    const record = await check(genuine, lockFile("both.hcl", [FAKE_PROVIDER.h1, ZH]));
    expect(record.ok, JSON.stringify(record.checks)).toBe(true);
    expect((record.platforms as Array<{ h1: string; zh: string }>)[0]).toMatchObject({ h1: FAKE_PROVIDER.h1, zh: ZH });
    expect(record.checks.find((c) => c.id === "lock-h1")!.message).toContain("is locked");
  });

  it("fails an h1-only lock entry and says how to add the zh: hash", async () => {
    const record = await check(genuine, lockFile("h1-only.hcl", [FAKE_PROVIDER.h1]));
    expect(failedIds(record)).toEqual(["lock-zh"]);
    const message = record.checks.find((c) => c.id === "lock-zh")!.message;
    expect(message).toContain("only h1:");
    expect(message).toContain(`add "${ZH}"`);
  });

  it("fails against the lock OpenTofu wrote for a zip that is not byte-identical", async () => {
    const record = await check(genuine, lockFile("opentofu.hcl", [FAKE_PROVIDER.h1, OPENTOFU_ZH]));
    expect(failedIds(record)).toEqual(["lock-zh"]);
  });

  it("fails a tampered zip against the genuine lock, before download", async () => {
    const record = await check(tampered, lockFile("both2.hcl", [FAKE_PROVIDER.h1, ZH]));
    expect(failedIds(record)).toEqual(["lock-zh"]);
    expect(record.checks.some((c) => c.id === "layer-digest")).toBe(false);
  });

  it("passes a tampered zip whose zh: was locked, as tofu init does (h1: tried first, no match, then zh: matches)", async () => {
    const record = await check(tampered, lockFile("tampered-locked.hcl", [FAKE_PROVIDER.h1, TAMPERED_ZH]));
    expect(record.ok, JSON.stringify(record.checks)).toBe(true);
    expect(record.checks.find((c) => c.id === "lock-h1")!.message).toContain("not among");
  });

  it("passes with a warning when the lock has no entry for the version", async () => {
    const record = await check(genuine, lockFile("other-version.hcl", [ZH], "9.9.9"));
    expect(record.ok).toBe(true);
    expect(record.checks.find((c) => c.id === "lock-entry")!.warning).toContain("no provider at version 1.2.3");
  });

  it("fails when --provider's locked version is another one", async () => {
    const record = await check(genuine, lockFile("pinned.hcl", [ZH], "1.0.0"), FAKE_PROVIDER.address);
    expect(failedIds(record)).toEqual(["lock-entry"]);
  });
});

describe("malformed lock files exit 6 before any network request", () => {
  const cases: Record<string, string> = {
    syntax: 'provider "registry.opentofu.org/hashicorp/test" {\n  version = "1.2.3"\n',
    "missing version": 'provider "registry.opentofu.org/hashicorp/test" {\n  hashes = ["zh:00"]\n}\n',
    "non-normalized address": 'provider "hashicorp/test" {\n  version = "1.2.3"\n}\n',
    "non-normalized version": 'provider "registry.opentofu.org/hashicorp/test" {\n  version = "1.2"\n}\n',
    "empty hashes": 'provider "registry.opentofu.org/hashicorp/test" {\n  version = "1.2.3"\n  hashes = []\n}\n',
    "hash without scheme":
      'provider "registry.opentofu.org/hashicorp/test" {\n  version = "1.2.3"\n  hashes = ["abc"]\n}\n',
    duplicate:
      'provider "registry.opentofu.org/hashicorp/test" {\n  version = "1.2.3"\n}\nprovider "registry.opentofu.org/hashicorp/test" {\n  version = "1.2.3"\n}\n',
    "unknown argument": 'provider "registry.opentofu.org/hashicorp/test" {\n  version = "1.2.3"\n  checksum = "x"\n}\n',
    expression: 'provider "registry.opentofu.org/hashicorp/test" {\n  version = var.v\n}\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(name, async () => {
      const path = join(dir.path, `bad-${name.replaceAll(" ", "-")}.hcl`);
      writeFileSync(path, text);
      // Port 1 on loopback refuses connections: reaching the network would be exit 5, not 6.
      const result = await runBin("verify", [
        "127.0.0.1:1/x/y:1.2.3",
        "--lockfile",
        path,
        "--plain-http",
        "--format",
        "json",
      ]);
      expect(result.code, result.stderr).toBe(6);
      expect(parseRecords(result.stdout)).toEqual([expect.objectContaining({ kind: "error", code: "invalid-input" })]);
    });
  }
});
