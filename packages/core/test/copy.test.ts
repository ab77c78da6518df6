import { randomBytes } from "node:crypto";
import { join } from "node:path";
import {
  EMPTY_CONFIG,
  EMPTY_CONFIG_BYTES,
  MediaType,
  copy,
  encodeManifest,
  exitCodeOf,
  fetchManifestBytes,
  plainDescriptor,
  sha256Digest,
  type Descriptor,
  type ImageManifest,
  type Target,
} from "@tofu-oci/core";
import { OciLayout } from "@tofu-oci/core/layout";
import { RegistryClient, RemoteRepository, referrersTag } from "@tofu-oci/core/remote";
import { RegistryStorage, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { afterAll, describe, expect, inject, it } from "vitest";
import { zipManifest, platformIndex } from "./support/artifacts.js";

const registry = inject("registries").plain;
const client = new RegistryClient({ plainHttp: true });
const scratch = tempDir();
afterAll(async () => {
  await client.close();
  scratch.cleanup();
});

const repository = (name: string) => new RemoteRepository(client, registry.host, uniqueRepository(`core/copy/${name}`));

/** A four-platform provider version with a distinct zip per platform and an SBOM referrer on each. */
async function pushProvider(target: Target): Promise<{ index: Descriptor; sboms: Descriptor[] }> {
  await target.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
  const platforms = ["linux_amd64", "linux_arm64", "darwin_arm64", "windows_amd64"];
  const manifests = [];
  for (const platform of platforms) {
    const zip = randomBytes(4096);
    const layer = { mediaType: MediaType.zip, digest: sha256Digest(zip), size: zip.length };
    await target.push(layer, zip);
    const [os, architecture] = platform.split("_") as [string, string];
    const manifest = zipManifest(layer, { platform: { os, architecture } });
    await target.push(manifest.descriptor, manifest.bytes);
    manifests.push(manifest);
  }
  const index = platformIndex(manifests);
  await target.push(index.descriptor, index.bytes, { tag: "1.0.0" });
  const sboms = [];
  for (const manifest of manifests) sboms.push(await attachSbom(target, manifest.descriptor));
  return { index: index.descriptor, sboms };
}

async function attachSbom(target: Target, subject: Descriptor): Promise<Descriptor> {
  const sbom = Buffer.from(
    JSON.stringify({
      bomFormat: "CycloneDX",
      specVersion: "1.6",
      serialNumber: `urn:uuid:${randomBytes(16).toString("hex")}`,
    }),
  );
  const layer = { mediaType: MediaType.cyclonedxJson, digest: sha256Digest(sbom), size: sbom.length };
  await target.push(layer, sbom);
  const referrer = encodeManifest<ImageManifest>({
    schemaVersion: 2,
    mediaType: MediaType.imageManifest,
    artifactType: MediaType.cyclonedxJson,
    config: { ...EMPTY_CONFIG },
    layers: [layer],
    subject: plainDescriptor(subject),
  });
  await target.push(referrer.descriptor, referrer.bytes);
  return referrer.descriptor;
}

describe("copy between registry and OCI layout", () => {
  it("round-trips a provider and its SBOM referrers registry -> layout -> registry with identical digests", async () => {
    const source = repository("source");
    const { index, sboms } = await pushProvider(source);
    const layout = await OciLayout.open(join(scratch.path, "air-gap"), { create: true });

    const exported = await copy(source, "1.0.0", layout, ["1.0.0"], { referrers: true });
    expect(exported.descriptor.digest).toBe(index.digest);
    // 1 index + 4 manifests + 4 SBOM manifests; 4 zips + empty config + 4 SBOM blobs
    expect(exported).toMatchObject({ manifestsCopied: 9, blobsCopied: 9 });

    const destination = repository("destination");
    const imported = await copy(layout, "1.0.0", destination, ["1.0.0"], { referrers: true });
    expect(imported).toMatchObject({ manifestsCopied: 9, blobsCopied: 9 });
    expect((await destination.resolve("1.0.0")).digest).toBe(index.digest);
    expect(
      Buffer.from(await fetchManifestBytes(destination, index)).equals(
        Buffer.from(await fetchManifestBytes(source, index)),
      ),
    ).toBe(true);

    const platformManifests = (
      JSON.parse(Buffer.from(await fetchManifestBytes(destination, index)).toString()) as { manifests: Descriptor[] }
    ).manifests;
    const found = await Promise.all(platformManifests.map((m) => destination.referrers(m)));
    expect(
      found
        .flat()
        .map((d) => d.digest)
        .sort(),
    ).toEqual(sboms.map((d) => d.digest).sort());
    // distribution 2.8 has no referrers API: the referrers tag schema index holds them.
    expect((await destination.resolve(referrersTag(platformManifests[0]!))).mediaType).toBe(MediaType.imageIndex);
  });

  it("skips everything the destination has, and mounts blobs across repositories of one registry", async () => {
    const source = repository("mount-source");
    await pushProvider(source);
    const destination = repository("mount-destination");
    const first = await copy(source, "1.0.0", destination, ["1.0.0"]);
    expect(first.blobsMounted).toBe(5);
    expect(first.blobsCopied + first.manifestsCopied).toBe(5);
    const again = await copy(source, "1.0.0", destination, ["1.0.0"]);
    expect(again).toMatchObject({
      blobsCopied: 0,
      manifestsCopied: 0,
      blobsMounted: 0,
      bytesCopied: 0,
      manifestsSkipped: 1,
    });
  });

  it("refuses content whose bytes do not match its digest, and pushes no manifest", async () => {
    const source = repository("damaged");
    const zip = randomBytes(1000);
    const layer = { mediaType: MediaType.zip, digest: sha256Digest(zip), size: zip.length };
    new RegistryStorage(registry.dataDir).plantBlob(source.repository, randomBytes(1000), layer.digest);
    await source.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
    const manifest = zipManifest(layer, { platform: { os: "linux", architecture: "amd64" } });
    await source.push(manifest.descriptor, manifest.bytes, { tag: "1.0.0" });

    const layout = await OciLayout.open(join(scratch.path, "damaged"), { create: true });
    const error = await copy(source, "1.0.0", layout, ["1.0.0"]).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(1);
    expect(await layout.exists(manifest.descriptor)).toBe(false);
    expect(exitCodeOf(await layout.resolve("1.0.0").catch((e: unknown) => e))).toBe(3);
  });

  it("reads the source's manifest once: a resolve's bytes serve the fetch and the copy that follow", async () => {
    const source = repository("read-once");
    const { index } = await pushProvider(source);
    const requests: string[] = [];
    const logged = new RegistryClient({ plainHttp: true, log: (line) => requests.push(line) });
    try {
      const reader = new RemoteRepository(logged, registry.host, source.repository);
      const root = await reader.resolve("1.0.0");
      expect(root.digest).toBe(index.digest);
      expect(await fetchManifestBytes(reader, root)).toHaveLength(root.size);
      const layout = await OciLayout.open(join(scratch.path, "read-once"), { create: true });
      await copy(reader, root, layout, ["1.0.0"]);
      const rootReads = requests.filter(
        (line) =>
          line.startsWith("GET ") &&
          (line.includes("/manifests/1.0.0 ") || line.includes(`/manifests/${index.digest} `)),
      );
      expect(rootReads).toHaveLength(1);
      // The platform manifests and blobs were still read, each once.
      expect(requests.filter((line) => line.startsWith("GET ") && line.includes("/blobs/"))).toHaveLength(5);
    } finally {
      await logged.close();
    }
  });
});
