import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  EMPTY_CONFIG,
  EMPTY_CONFIG_BYTES,
  MediaType,
  copy,
  exitCodeOf,
  fileContent,
  readAll,
  sha256Digest,
  type Descriptor,
  type Target,
} from "@tofu-oci/core";
import { OciLayout } from "@tofu-oci/core/layout";
import { RegistryClient, RemoteRepository, fileUploadSessions, type SavedUpload } from "@tofu-oci/core/remote";
import { startFaultProxy, startRegistry, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { afterAll, describe, expect, inject, it } from "vitest";
import { zipManifest, platformIndex } from "./support/artifacts.js";

const registry = inject("registries").plain;
const scratch = tempDir();
afterAll(() => scratch.cleanup());

function blobFile(name: string, size: number): { path: string; descriptor: Descriptor; bytes: Buffer } {
  const bytes = randomBytes(size);
  const path = join(scratch.path, name);
  writeFileSync(path, bytes);
  return { path, bytes, descriptor: { mediaType: "application/octet-stream", digest: sha256Digest(bytes), size } };
}

/** A four-platform provider version, one random zip per platform. */
async function pushProvider(target: Target) {
  await target.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
  const manifests = [];
  for (const [os, architecture] of [
    ["linux", "amd64"],
    ["linux", "arm64"],
    ["darwin", "arm64"],
    ["windows", "amd64"],
  ] as const) {
    const zip = randomBytes(200 * 1024);
    const layer = { mediaType: MediaType.zip, digest: sha256Digest(zip), size: zip.length };
    await target.push(layer, zip);
    const manifest = zipManifest(layer, { platform: { os, architecture } });
    await target.push(manifest.descriptor, manifest.bytes);
    manifests.push(manifest);
  }
  const index = platformIndex(manifests);
  await target.push(index.descriptor, index.bytes, { tag: "1.0.0" });
  return { index: index.descriptor };
}

describe("uploads survive faults", () => {
  it("resumes a chunked upload from the registry's offset after a connection reset", async () => {
    const proxy = await startFaultProxy({
      target: registry.url,
      script: [{ match: /^PATCH /, fault: "reset-upload", skip: 2 }],
    });
    const client = new RegistryClient({ plainHttp: true, chunkSize: 256 * 1024, retry: { minDelayMs: 1 } });
    const target = new RemoteRepository(client, proxy.host, uniqueRepository("core/resume"));
    const blob = blobFile("resume-in-process.bin", 1024 * 1024 + 5);
    await target.push(blob.descriptor, fileContent(blob.path));
    expect(proxy.stats.faults["reset-upload"]).toBe(1);
    // One upload session: the upload continued instead of starting over.
    expect(proxy.stats.methods.POST).toBe(1);
    expect((await readAll(await target.fetch(blob.descriptor), blob.bytes.length)).equals(blob.bytes)).toBe(true);
    await client.close();
    await proxy.close();
  });

  it("retries 5xx, 429 and resets with identical results", async () => {
    const proxy = await startFaultProxy({ target: registry.url, seed: 7, rate: 0.3 });
    const client = new RegistryClient({
      plainHttp: true,
      chunkSize: 128 * 1024,
      retry: { retries: 8, minDelayMs: 1, maxDelayMs: 20 },
    });
    const target = new RemoteRepository(client, proxy.host, uniqueRepository("core/flaky"));
    for (let i = 0; i < 6; i++) {
      const blob = blobFile(`flaky-${i}.bin`, 300 * 1024 + i);
      await target.push(blob.descriptor, i % 2 === 0 ? fileContent(blob.path) : blob.bytes);
      expect((await readAll(await target.fetch(blob.descriptor), blob.bytes.length)).equals(blob.bytes)).toBe(true);
    }
    expect(Object.values(proxy.stats.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(3);
    await client.close();
    await proxy.close();
  });

  it("copies a provider through 20% faults, corrupted bytes included, with identical digests", async () => {
    const direct = new RegistryClient({ plainHttp: true });
    const source = new RemoteRepository(direct, registry.host, uniqueRepository("core/flaky-copy"));
    const { index } = await pushProvider(source);
    for (const seed of [1, 2, 3]) {
      const proxy = await startFaultProxy({
        target: registry.url,
        seed,
        rate: 0.2,
        faults: ["500", "502", "503", "429", "reset-before", "reset-mid", "truncate", "wrong-bytes"],
      });
      const client = new RegistryClient({ plainHttp: true, retry: { retries: 8, minDelayMs: 1, maxDelayMs: 20 } });
      const layout = await OciLayout.open(join(scratch.path, `flaky-copy-${seed}`), { create: true });
      await copy(new RemoteRepository(client, proxy.host, source.repository), "1.0.0", layout, ["1.0.0"]);
      const destination = new RemoteRepository(client, proxy.host, uniqueRepository("core/flaky-copy-back"));
      const result = await copy(layout, "1.0.0", destination, ["1.0.0"]);
      expect(result.descriptor.digest).toBe(index.digest);
      expect((await new RemoteRepository(direct, registry.host, destination.repository).resolve("1.0.0")).digest).toBe(
        index.digest,
      );
      expect(Object.values(proxy.stats.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      await client.close();
      await proxy.close();
    }
    await direct.close();
  });

  it("retries a cross-repository mount answered with 502", async () => {
    const direct = new RegistryClient({ plainHttp: true });
    const source = new RemoteRepository(direct, registry.host, uniqueRepository("core/mount-source"));
    const blob = blobFile("mount.bin", 1024);
    await source.push(blob.descriptor, blob.bytes);
    await direct.close();
    const proxy = await startFaultProxy({ target: registry.url, script: [{ match: /^POST .*mount=/, fault: "502" }] });
    const client = new RegistryClient({ plainHttp: true, retry: { minDelayMs: 1 } });
    const target = new RemoteRepository(client, proxy.host, uniqueRepository("core/mount-target"));
    expect(await target.mount(blob.descriptor, source.repository)).toBe(true);
    expect(proxy.stats.faults["502"]).toBe(1);
    await client.close();
    await proxy.close();
  });

  it("never retries an authentication failure", async () => {
    const basic = inject("registries").basic;
    const proxy = await startFaultProxy({ target: basic.url });
    const client = new RegistryClient({
      plainHttp: true,
      credentials: async () => ({ username: basic.username!, password: "wrong" }),
    });
    const error = await new RemoteRepository(client, proxy.host, "core/auth")
      .resolve("latest")
      .catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(4);
    // One anonymous request, one with the credentials: no retries.
    expect(proxy.stats.requests).toBe(2);
    await client.close();
    await proxy.close();
  });

  it("resumes a download cut off mid-body with a Range request", async () => {
    const blob = blobFile("download.bin", 2 * 1024 * 1024);
    const direct = new RegistryClient({ plainHttp: true });
    const name = uniqueRepository("core/download");
    await new RemoteRepository(direct, registry.host, name).push(blob.descriptor, blob.bytes);
    await direct.close();

    for (const fault of ["reset-mid", "truncate"] as const) {
      const proxy = await startFaultProxy({ target: registry.url, script: [{ match: /^GET .*\/blobs\//, fault }] });
      const client = new RegistryClient({ plainHttp: true, retry: { minDelayMs: 1 } });
      const fetched = await readAll(
        await new RemoteRepository(client, proxy.host, name).fetch(blob.descriptor),
        blob.bytes.length,
      );
      expect(fetched.equals(blob.bytes)).toBe(true);
      expect(proxy.stats.faults[fault]).toBe(1);
      expect(proxy.stats.methods.GET).toBe(2);
      await client.close();
      await proxy.close();
    }
  });

  it("resumes in a later run after the registry stopped during an upload", async () => {
    const work = join(scratch.path, "restart-registry");
    const first = await startRegistry({ mode: "plain", workDir: work });
    const port = Number(first.host.split(":")[1]);
    const saved = fileUploadSessions(join(scratch.path, "upload-sessions"));
    const blob = blobFile("resume-across-runs.bin", 8 * 1024 * 1024);
    const options = { plainHttp: true, chunkSize: 1024 * 1024, retry: { retries: 0 } };

    // The registry goes away after the fourth chunk was stored, before the fifth is sent.
    let chunksStored = 0;
    const stopAfterFourChunks = {
      ...saved,
      set: async (key: string, upload: SavedUpload) => {
        await saved.set(key, upload);
        if (++chunksStored === 5) await first.stop();
      },
    };
    const interrupted = new RegistryClient({ ...options, uploadSessions: stopAfterFourChunks });
    const error = await new RemoteRepository(interrupted, first.host, "core/restart")
      .push(blob.descriptor, fileContent(blob.path))
      .catch((e: unknown) => e);
    await interrupted.close();
    expect(exitCodeOf(error)).toBe(5);

    const second = await startRegistry({ mode: "plain", workDir: work, port });
    const resumed = new RegistryClient({ ...options, uploadSessions: saved });
    const target = new RemoteRepository(resumed, second.host, "core/restart");
    let firstProgress: number | undefined;
    await target.push(blob.descriptor, fileContent(blob.path), {
      onProgress: (bytes) => void (firstProgress ??= bytes),
    });
    // The second run started at byte 4 MiB: it sent half the bytes of a full upload.
    expect(firstProgress).toBeGreaterThan(4 * 1024 * 1024);
    expect((await readAll(await target.fetch(blob.descriptor), blob.bytes.length)).equals(blob.bytes)).toBe(true);
    expect(await saved.get(`${target.name}@${blob.descriptor.digest}`)).toBeUndefined();
    await resumed.close();
    await second.stop();
  });
});
