import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { binPath, parseRecords, runBin, runProcess, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { afterAll, describe, expect, inject, it } from "vitest";
import { buildZip } from "./zip-builder.js";

const registry = inject("registries").plain;
const example = fileURLToPath(new URL("../../../examples/modules/network", import.meta.url));
const dir = tempDir("tofu-oci-verify-pipeline-");
afterAll(() => dir.cleanup());

// The pack and push bins come from their own packages; the pipeline runs once both are built.
const haveBins = existsSync(binPath("pack")) && existsSync(binPath("push"));
const node = JSON.stringify(process.execPath);
const bin = (name: string) => `${node} ${JSON.stringify(binPath(name))}`;

async function pipeline(command: string) {
  return runProcess("bash", ["-c", `set -o pipefail; ${command}`], { cwd: dir.path, timeoutMs: 120_000 });
}

describe.runIf(haveBins)("tofu-oci-pack | tofu-oci-push | tofu-oci-verify", () => {
  it("passes a module in one pipeline", async () => {
    const ref = `${registry.host}/${uniqueRepository("verify/pipeline")}:1.0.0`;
    const result = await pipeline(
      `${bin("pack")} module ${JSON.stringify(example)} -o net.zip | ${bin("push")} ${ref} --plain-http | ${bin("verify")} --plain-http --format json`,
    );
    expect(result.code, result.stderr).toBe(0);
    const [record] = parseRecords(result.stdout);
    expect(record).toMatchObject({ kind: "verification", ok: true, type: "module" });
    expect((record!.checks as Array<{ id: string }>).map((c) => c.id)).toContain("config-files");
  });

  it("passes a provider in one pipeline, checking every platform and the executable", async () => {
    const releases = join(dir.path, "releases");
    mkdirSync(releases, { recursive: true });
    for (const [os, arch] of [
      ["linux", "amd64"],
      ["darwin", "arm64"],
    ]) {
      writeFileSync(
        join(releases, `terraform-provider-thing_1.2.0_${os}_${arch}.zip`),
        buildZip([{ name: "terraform-provider-thing_v1.2.0", content: `${os}/${arch}`, mode: 0o755 }]),
      );
    }
    const ref = `${registry.host}/${uniqueRepository("verify/pipeline")}/acme/thing`;
    const result = await pipeline(
      `${bin("pack")} provider --provider registry.example.com/acme/thing --version 1.2.0 ${JSON.stringify(releases)} | ${bin("push")} ${ref} --plain-http | ${bin("verify")} --plain-http --format json`,
    );
    expect(result.code, result.stderr).toBe(0);
    const [record] = parseRecords(result.stdout);
    expect(record).toMatchObject({
      kind: "verification",
      ok: true,
      type: "provider",
      version: "1.2.0",
      provider: "registry.example.com/acme/thing",
    });
    expect((record!.platforms as unknown[]).length).toBe(2);
  });
});

describe("the bin", () => {
  it("exits 2 for a bad reference, before any request", async () => {
    const result = await runBin("verify", ["Not A Ref"]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain("    at ");
  });

  it("exits 6 for a record of the wrong kind on stdin", async () => {
    const result = await runBin("verify", [], { stdin: '{"kind":"package","type":"module"}\n' });
    expect(result.code).toBe(6);
  });

  it("exits 3 (not found) with a text summary when there is nothing to check", async () => {
    const result = await runBin("verify", [
      `${registry.host}/${uniqueRepository("verify/none")}:1.0.0`,
      "--plain-http",
      "--format",
      "text",
    ]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("FAIL module");
    expect(result.stdout).toContain("resolve");
  });
});
