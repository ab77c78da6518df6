import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { binPath, parseRecords, runProcess, skopeoInspectRaw, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { afterAll, describe, expect, inject, it } from "vitest";
import { onlyRecord, runPush, runUmbrella } from "./registry-helpers.js";
import { digestOf } from "./rules.js";

const registry = inject("registries").plain;
const dir = tempDir("tofu-oci-push-pipeline-");
afterAll(() => dir.cleanup());
const exampleModule = join(import.meta.dirname, "..", "..", "..", "examples", "modules", "network");
const zipPath = () => join(dir.path, `network-${Date.now()}-${Math.random().toString(16).slice(2)}.zip`);

/** `tofu-oci-pack module examples/modules/network -o ZIP`: its stdout, the package record. */
async function pack(): Promise<string> {
  const packed = await runProcess(process.execPath, [
    binPath("pack"),
    "module",
    exampleModule,
    "-o",
    zipPath(),
    "--format",
    "json",
  ]);
  if (packed.code !== 0) throw new Error(`tofu-oci-pack failed: ${packed.stderr}`);
  return packed.stdout;
}

describe("pipelines with the real bins", () => {
  it("tofu-oci-pack module DIR | tofu-oci-push REG/REPO:1.0.0", async () => {
    const ref = `${registry.host}/${uniqueRepository("push/pipeline")}:1.0.0`;
    const record = onlyRecord(await runPush([ref, "--plain-http"], { stdin: await pack() }));
    expect(digestOf(await skopeoInspectRaw(ref, registry.skopeoFlags))).toBe(record.digest);
  });

  it("tofu-oci pack module DIR | tofu-oci push REF - | tofu-oci verify, all through the umbrella", async () => {
    const ref = `${registry.host}/${uniqueRepository("push/umbrella")}:1.0.0`;
    const packed = await runUmbrella(["pack", "module", exampleModule, "-o", zipPath(), "--format", "json"]);
    expect(packed.code).toBe(0);
    const pushed = await runUmbrella(["push", ref, "-", "--plain-http", "--format", "json"], { stdin: packed.stdout });
    const record = onlyRecord(pushed);
    expect(record).toMatchObject({ kind: "artifact", type: "module", tag: "1.0.0" });
    expect(digestOf(await skopeoInspectRaw(ref, registry.skopeoFlags))).toBe(record.digest);
    const verified = await runUmbrella(["verify", "--plain-http", "--format", "json"], { stdin: pushed.stdout });
    expect(verified.code).toBe(0);
    expect(parseRecords(verified.stdout)).toEqual([
      expect.objectContaining({ kind: "verification", ok: true, digest: record.digest }),
    ]);
  });

  it("tofu-oci push attach works through the umbrella too", async () => {
    const ref = `${registry.host}/${uniqueRepository("push/umbrella-attach")}:1.0.0`;
    onlyRecord(await runPush([ref, "--plain-http"], { stdin: await pack() }));
    const file = join(dir.path, "note.txt");
    writeFileSync(file, "signed by nobody");
    const result = await runUmbrella([
      "push",
      "attach",
      ref,
      file,
      "--artifact-type",
      "application/vnd.example.note",
      "--plain-http",
      "--format",
      "json",
    ]);
    expect(onlyRecord(result)).toMatchObject({ kind: "referrer", artifactType: "application/vnd.example.note" });
  });
});
