import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import {
  EMPTY_CONFIG,
  EMPTY_CONFIG_BYTES,
  exitCodeOf,
  readAll,
  sha256Digest,
  staticCredentials,
  type Descriptor,
} from "@tofu-oci/core";
import { RegistryClient, RemoteRepository, type RegistryClientOptions } from "@tofu-oci/core/remote";
import { REGISTRY_MODES, skopeoInspectRaw, uniqueRepository, type RegistryInfo } from "@tofu-oci/testkit";
import { afterAll, describe, expect, inject, it } from "vitest";
import { zipManifest, platformIndex } from "./support/artifacts.js";

const registries = inject("registries");

function clientOptions(registry: RegistryInfo, overrides: RegistryClientOptions = {}): RegistryClientOptions {
  const options: RegistryClientOptions = { plainHttp: registry.plainHttp, retry: { retries: 1, minDelayMs: 10 } };
  if (registry.caFile) options.caFile = registry.caFile;
  if (registry.username)
    options.credentials = staticCredentials({ username: registry.username, password: registry.password! });
  return { ...options, ...overrides };
}

function zipBlob(size = 1000): { bytes: Buffer; descriptor: Descriptor } {
  const bytes = randomBytes(size);
  return { bytes, descriptor: { mediaType: "archive/zip", digest: sha256Digest(bytes), size } };
}

describe.each(REGISTRY_MODES)("RemoteRepository against distribution (%s)", (mode) => {
  const registry = registries[mode];
  const client = new RegistryClient(clientOptions(registry));
  const repo = (name: string) => new RemoteRepository(client, registry.host, uniqueRepository(`core/${mode}/${name}`));
  afterAll(() => client.close());

  it("pushes a module package and reads back identical bytes; skopeo sees the same manifest", async () => {
    const target = repo("module");
    const zip = zipBlob(5000);
    const { bytes, descriptor } = zipManifest(zip.descriptor, { title: "net.zip" });
    await target.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
    await target.push(zip.descriptor, zip.bytes);
    await target.push(descriptor, bytes, { tag: "1.0.0" });

    const resolved = await target.resolve("1.0.0");
    expect(resolved).toMatchObject({
      digest: descriptor.digest,
      size: bytes.length,
      artifactType: "application/vnd.opentofu.modulepkg",
    });
    expect(await readAll(await target.fetch(zip.descriptor), zip.bytes.length)).toEqual(zip.bytes);
    expect(await target.exists(zip.descriptor)).toBe(true);
    expect(await target.exists(zipBlob().descriptor)).toBe(false);

    const raw = await skopeoInspectRaw(`${target.name}:1.0.0`, registry.skopeoFlags);
    expect(raw.equals(Buffer.from(bytes))).toBe(true);
  });

  it("pushes a provider index whose platform manifests share one blob", async () => {
    const target = repo("provider");
    const zip = zipBlob(3000);
    const platforms = [
      { os: "linux", architecture: "amd64" },
      { os: "darwin", architecture: "arm64" },
    ];
    const manifests = platforms.map((platform) => zipManifest(zip.descriptor, { platform }));
    const index = platformIndex(manifests);
    await target.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
    await target.push(zip.descriptor, () => Readable.from([zip.bytes]));
    for (const manifest of manifests) await target.push(manifest.descriptor, manifest.bytes);
    await target.push(index.descriptor, index.bytes, { tag: "2.0.0_beta" });

    const resolved = await target.resolve("2.0.0_beta");
    expect(resolved).toMatchObject({
      mediaType: "application/vnd.oci.image.index.v1+json",
      artifactType: "application/vnd.opentofu.provider",
    });
    const raw = await skopeoInspectRaw(`${target.name}:2.0.0_beta`, registry.skopeoFlags);
    expect(raw.equals(Buffer.from(index.bytes))).toBe(true);
  });

  it("refuses a manifest whose blobs are missing, leaving no tag", async () => {
    const target = repo("orphan");
    const { bytes, descriptor } = zipManifest(zipBlob().descriptor);
    const error = await target.push(descriptor, bytes, { tag: "1.0.0" }).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(5);
    expect(String(error)).toContain("MANIFEST_BLOB_UNKNOWN");
    const missing = await target.resolve("1.0.0").catch((e: unknown) => e);
    expect(exitCodeOf(missing)).toBe(3);
  });

  it("fails the upload when content does not match its descriptor", async () => {
    const target = repo("mismatch");
    const zip = zipBlob(100);
    const wrong = { ...zip.descriptor, digest: sha256Digest(Buffer.from("other")) };
    const error = await target.push(wrong, zip.bytes).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(1);
    expect(await target.exists(wrong)).toBe(false);
  });

  it("fails a fetch whose bytes do not match the descriptor", async () => {
    const target = repo("fetch-mismatch");
    const zip = zipBlob(100);
    await target.push(zip.descriptor, zip.bytes);
    // The registry serves blobs by digest, so a wrong descriptor size stands for damaged content.
    const read = async () => readAll(await target.fetch({ ...zip.descriptor, size: 99 }), 1000);
    const error = await read().catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(1);
  });

  it("uploads in chunks when the blob is larger than the chunk size", async () => {
    const chunked = new RemoteRepository(client, registry.host, uniqueRepository(`core/${mode}/chunked`), {
      chunkSize: 64 * 1024,
    });
    const zip = zipBlob(200 * 1024 + 17);
    let progress = 0;
    await chunked.push(zip.descriptor, zip.bytes, { onProgress: (bytes) => (progress = bytes) });
    expect(progress).toBe(zip.bytes.length);
    expect((await readAll(await chunked.fetch(zip.descriptor), zip.bytes.length)).equals(zip.bytes)).toBe(true);
  });
});

describe("tags and auth", () => {
  it("lists more than 100 tags across pages", async () => {
    const registry = registries.plain;
    const client = new RegistryClient(clientOptions(registry));
    const target = new RemoteRepository(client, registry.host, uniqueRepository("core/tags"), { pageSize: 40 });
    const { bytes, descriptor } = zipManifest(EMPTY_CONFIG);
    await target.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
    await target.push(descriptor, bytes);
    const expected = Array.from({ length: 105 }, (_, i) => `v${String(i).padStart(3, "0")}`);
    for (const tag of expected) await target.tag(descriptor, tag);
    const listed: string[] = [];
    for await (const tag of target.tags()) listed.push(tag);
    expect(listed.sort()).toEqual(expected);
    await client.close();
  });

  it.each(["basic", "token"] as const)(
    "a wrong password is an exit-code-4 error without the password in it (%s)",
    async (mode) => {
      const registry = registries[mode];
      const password = "definitely-wrong-Pa55";
      const client = new RegistryClient(
        clientOptions(registry, { credentials: staticCredentials({ username: registry.username!, password }) }),
      );
      const target = new RemoteRepository(client, registry.host, "core/auth");
      const error = await target.resolve("latest").catch((e: unknown) => e);
      expect(exitCodeOf(error)).toBe(4);
      expect(
        JSON.stringify({ message: (error as Error).message, hint: (error as { hint?: string }).hint }),
      ).not.toContain(password);
      await client.close();
    },
  );

  it.each(["basic", "token"] as const)("no credentials at all is an exit-code-4 error (%s)", async (mode) => {
    const registry = registries[mode];
    const client = new RegistryClient({ plainHttp: true });
    const error = await new RemoteRepository(client, registry.host, "core/auth")
      .resolve("latest")
      .catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(4);
    await client.close();
  });

  it("TLS without the CA file fails with a hint about --ca-file", async () => {
    const registry = registries.tls;
    const client = new RegistryClient({ retry: { retries: 0 } });
    const error = await new RemoteRepository(client, registry.host, "core/tls")
      .resolve("latest")
      .catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(5);
    expect((error as { hint?: string }).hint).toContain("--ca-file");
    await client.close();
  });
});
