import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { MediaType } from "@tofu-oci/core";
import { buildModuleManifest } from "@tofu-oci/opentofu";
import {
  RegistryStorage,
  binPath,
  skopeoInspectRaw,
  startRegistry,
  tempDir,
  uniqueRepository,
  waitUntil,
  type TestRegistry,
} from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { writeLargeZip } from "./fixtures.js";
import { clientFor, onlyRecord, repositoryOf, runPush, tagsOf } from "./registry-helpers.js";
import { digestOf } from "./rules.js";

const dir = tempDir("tofu-oci-push-interrupted-");
const started: TestRegistry[] = [];
afterAll(async () => {
  await Promise.all(started.map((registry) => registry.stop()));
  dir.cleanup();
});

describe("an interrupted push", () => {
  it("leaves no tag and no manifest when the registry stops mid-upload, and the next run completes", {
    timeout: 180_000,
  }, async () => {
    const workDir = join(dir.path, "registry");
    const first = await startRegistry({ mode: "plain", workDir });
    started.push(first);
    const zip = await writeLargeZip(dir.path, 384 * 1024 * 1024);
    const repository = uniqueRepository("push/interrupted");
    const manifest = buildModuleManifest({ layer: zip, title: "large.zip" });

    const child = spawn(
      process.execPath,
      [binPath("push"), `${first.host}/${repository}:1.0.0`, zip.file, "--plain-http", "--format", "json"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    await waitUntil(
      () => new RegistryStorage(first.dataDir).uploadSessionBytes(repository) > 16 * 1024 * 1024,
      "16 MiB are uploaded",
    );
    started.splice(started.indexOf(first), 1);
    // (testkit's stop() must not be called twice: a second call waits for an exit that already happened.)
    await first.stop();
    const code = await exited;
    expect(code).toBe(5);
    expect(stderr.split("\n")[0]).toMatch(/^error: /);
    expect(stderr).not.toMatch(/^\s+at /m);

    // Same storage, new port: nothing half-pushed is visible.
    const second = await startRegistry({ mode: "plain", workDir });
    started.push(second);
    const client = clientFor(second);
    const target = repositoryOf(client, second, repository);
    expect(await tagsOf(target)).toEqual([]);
    expect(
      await target.exists({
        mediaType: MediaType.imageManifest,
        digest: manifest.descriptor.digest,
        size: manifest.descriptor.size,
      }),
    ).toBe(false);
    expect(existsSync(join(second.dataDir, "docker", "registry", "v2", "repositories", repository, "_manifests"))).toBe(
      false,
    );

    const record = onlyRecord(
      await runPush([`${second.host}/${repository}:1.0.0`, zip.file, "--plain-http"], { timeoutMs: 120_000 }),
    );
    expect(record.digest).toBe(manifest.descriptor.digest);
    expect(digestOf(await skopeoInspectRaw(`${second.host}/${repository}:1.0.0`, second.skopeoFlags))).toBe(
      record.digest,
    );
    expect(await target.exists({ mediaType: "archive/zip", digest: zip.digest, size: zip.size })).toBe(true);
    await client.close();
  });
});
