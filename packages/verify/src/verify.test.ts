import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "@tofu-oci/cli-kit";
import { memoryContext } from "@tofu-oci/testkit";
import { MemoryTarget } from "@tofu-oci/core/memory";
import { ratioBomb, tempDir } from "@tofu-oci/testkit";
import { describe, expect, it } from "vitest";
import { cli } from "./command.js";
import { ArtifactWriter } from "../test/artifacts.js";
import { buildZip } from "../test/zip-builder.js";
import { verify } from "./verify.js";

describe("verify() on an in-memory target", () => {
  it("detects the type and checks a module and a provider", async () => {
    const target = new MemoryTarget("mem");
    const writer = new ArtifactWriter(target);
    await writer.module({ tag: "1.0.0", layers: [{ bytes: buildZip([{ name: "main.tf", content: "" }]) }] });
    await writer.provider({
      tag: "2.0.0",
      platforms: [
        { os: "linux", arch: "amd64", zip: buildZip([{ name: "terraform-provider-x", content: "", mode: 0o755 }]) },
      ],
    });
    const [module] = await verify({ reference: "example.com/acme/x:1.0.0", target });
    expect(module).toMatchObject({
      kind: "verification",
      ok: true,
      type: "module",
      reference: "example.com/acme/x:1.0.0",
    });
    const [provider] = await verify({ reference: "example.com/acme/x:2.0.0", target });
    expect(provider).toMatchObject({
      ok: true,
      type: "provider",
      version: "2.0.0",
      platforms: [{ platform: "linux_amd64", executable: "terraform-provider-x" }],
    });
  });

  it("reads tofu-oci-push records from stdin, one record per input", async () => {
    const target = new MemoryTarget("mem");
    await new ArtifactWriter(target).module({
      tag: "1",
      layers: [{ bytes: buildZip([{ name: "main.tf", content: "" }]) }],
    });
    const records = [
      {
        kind: "artifact",
        type: "module",
        reference: "example.com/a/b:1",
        registry: "example.com",
        repository: "a/b",
        tag: "1",
        source: "oci://example.com/a/b?tag=1",
      },
      {
        kind: "artifact",
        type: "module",
        reference: "example.com/a/b:2",
        registry: "example.com",
        repository: "a/b",
        tag: "2",
        source: "oci://example.com/a/b?tag=2",
      },
    ];
    const { Readable } = await import("node:stream");
    const results = await verify(
      { target },
      { stdin: Readable.from([records.map((r) => JSON.stringify(r)).join("\n")]) },
    );
    expect(results.map((r) => r.ok)).toEqual([true, false]);
  });
});

describe("tofu-oci-verify -", () => {
  it("reads the records from stdin, like no REF at all", async () => {
    const io = memoryContext({ stdin: `${JSON.stringify({ kind: "verification", ok: true })}\n` });
    expect(await runCli(cli, ["-"], io.ctx)).toBe(6);
    expect(io.stderr()).toMatch(/^error: .*artifact/);
  });
});

describe("--extract of a zip bomb", () => {
  it("fails the extract check and writes nothing, though OpenTofu would accept the zip", async () => {
    const scratch = tempDir();
    const target = new MemoryTarget("mem");
    await new ArtifactWriter(target).module({ tag: "1", layers: [{ bytes: ratioBomb("main.tf") }] });
    const [record] = await verify({ reference: "example.com/a/b:1", target, extract: join(scratch.path, "out") });
    expect(record!.checks.filter((c) => !c.ok)).toEqual([
      expect.objectContaining({ id: "extract", message: expect.stringMatching(/zip bomb|expands/) }),
    ]);
    expect(readdirSync(scratch.path)).toEqual([]);
    expect(existsSync(join(scratch.path, "out"))).toBe(false);
    scratch.cleanup();
  });
});
