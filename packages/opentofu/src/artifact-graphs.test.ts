import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { EMPTY_CONFIG, isIndex, parseManifest, pushGraph, readAll, sha256Digest, successors } from "@tofu-oci/core";
import { MemoryTarget } from "@tofu-oci/core/memory";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { moduleGraph, providerGraph, pushedPlatform } from "./artifact-graphs.js";
import { buildModuleManifest, buildProviderIndex, buildProviderManifest } from "./manifests.js";

const scratch = tempDir("tofu-oci-graphs-");
afterAll(() => scratch.cleanup());

function zipFile(name: string) {
  const bytes = randomBytes(300);
  const file = join(scratch.path, name);
  writeFileSync(file, bytes);
  return { file, digest: sha256Digest(bytes), size: bytes.length, bytes };
}

describe("moduleGraph", () => {
  it("is the empty config, the zip and the module manifest titled with the zip's file name", () => {
    const zip = zipFile("net.zip");
    const graph = moduleGraph(zip, { annotations: { "org.opencontainers.image.created": "2024-01-01T00:00:00Z" } });
    const expected = buildModuleManifest({
      layer: zip,
      title: "net.zip",
      annotations: { "org.opencontainers.image.created": "2024-01-01T00:00:00Z" },
    });
    expect(Buffer.from(graph.root.bytes).toString()).toBe(Buffer.from(expected.bytes).toString());
    expect(graph.blobs.map((blob) => blob.descriptor.digest)).toEqual([EMPTY_CONFIG.digest, zip.digest]);
    expect(graph.manifests).toEqual([]);
  });

  it("stores a complete artifact: every blob the manifest references, the zip byte for byte", async () => {
    const zip = zipFile("complete.zip");
    const graph = moduleGraph(zip);
    const target = new MemoryTarget();
    await pushGraph(target, graph, ["1.0.0"]);
    const stored = parseManifest(await readAll(await target.fetch(await target.resolve("1.0.0")), 4 << 20));
    for (const descriptor of successors(stored)) expect(await target.exists(descriptor)).toBe(true);
    expect(Buffer.compare(await readAll(await target.fetch(graph.blobs[1]!.descriptor), zip.size), zip.bytes)).toBe(0);
  });
});

describe("providerGraph", () => {
  it("keeps the platform manifests in the input's order under an index sorted by platform", () => {
    const linux = zipFile("p_linux_amd64.zip");
    const darwin = zipFile("p_darwin_arm64.zip");
    const graph = providerGraph([
      { os: "linux", arch: "amd64", zip: linux },
      { os: "darwin", arch: "arm64", zip: darwin },
    ]);
    const manifests = [
      buildProviderManifest({
        layer: linux,
        platform: { os: "linux", architecture: "amd64" },
        title: "p_linux_amd64.zip",
      }),
      buildProviderManifest({
        layer: darwin,
        platform: { os: "darwin", architecture: "arm64" },
        title: "p_darwin_arm64.zip",
      }),
    ];
    expect(graph.manifests.map((m) => m.descriptor.digest)).toEqual(manifests.map((m) => m.descriptor.digest));
    expect(graph.root.descriptor.digest).toBe(buildProviderIndex({ manifests }).descriptor.digest);
    expect(isIndex(graph.root.manifest)).toBe(true);
    expect(graph.root.manifest.manifests.map((entry) => entry.platform?.os)).toEqual(["darwin", "linux"]);
    expect(graph.blobs.map((blob) => blob.descriptor.digest)).toEqual([
      EMPTY_CONFIG.digest,
      linux.digest,
      darwin.digest,
    ]);
  });
});

describe("pushedPlatform", () => {
  it("gives the release zip's zh: hash, the layer digest in hex", () => {
    const layer = { digest: `sha256:${"ab".repeat(32)}`, size: 9 };
    expect(pushedPlatform("linux", "amd64", `sha256:${"1".repeat(64)}`, layer)).toEqual({
      os: "linux",
      arch: "amd64",
      digest: `sha256:${"1".repeat(64)}`,
      layerDigest: layer.digest,
      size: 9,
      zh: `zh:${"ab".repeat(32)}`,
    });
  });
});
