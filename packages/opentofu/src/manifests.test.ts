import { createHash } from "node:crypto";
import { EMPTY_CONFIG, parseManifest, successors, type ImageIndex } from "@tofu-oci/core";
import { describe, expect, it } from "vitest";
import { buildModuleManifest, buildProviderIndex, buildProviderManifest } from "./manifests.js";
import { tagToVersion, versionToTag } from "./version.js";

const layer = { digest: `sha256:${"1".repeat(64)}`, size: 123 };
const sha256 = (bytes: Uint8Array) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

describe("module manifest (design.md §3)", () => {
  const built = buildModuleManifest({ layer, title: "net.zip" });
  const json = JSON.parse(Buffer.from(built.bytes).toString());

  it("has the media type, artifactType, empty config and one archive/zip layer OpenTofu requires", () => {
    expect(json.mediaType).toBe("application/vnd.oci.image.manifest.v1+json");
    expect(json.artifactType).toBe("application/vnd.opentofu.modulepkg");
    expect(json.config).toEqual({
      mediaType: "application/vnd.oci.empty.v1+json",
      digest: EMPTY_CONFIG.digest,
      size: 2,
      data: "e30=",
    });
    expect(json.layers).toEqual([
      {
        mediaType: "archive/zip",
        digest: layer.digest,
        size: 123,
        annotations: { "org.opencontainers.image.title": "net.zip" },
      },
    ]);
    expect(json.annotations).toBeUndefined();
  });

  it("describes its own bytes and is reproducible", () => {
    expect(built.descriptor).toEqual({
      mediaType: json.mediaType,
      artifactType: json.artifactType,
      digest: sha256(built.bytes),
      size: built.bytes.length,
    });
    expect(Buffer.from(buildModuleManifest({ layer, title: "net.zip" }).bytes).equals(Buffer.from(built.bytes))).toBe(
      true,
    );
  });

  it("sorts annotations so their order never changes the digest", () => {
    const a = buildModuleManifest({ layer, annotations: { b: "2", a: "1" } });
    const b = buildModuleManifest({ layer, annotations: { a: "1", b: "2" } });
    expect(a.descriptor.digest).toBe(b.descriptor.digest);
  });

  it("keeps the bytes tofu-oci has always written (digests of pushed modules stay the same)", () => {
    const text = Buffer.from(buildModuleManifest({ layer, annotations: { a: "1" } }).bytes).toString();
    expect(text).toBe(
      `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.opentofu.modulepkg",` +
        `"config":${JSON.stringify(EMPTY_CONFIG)},"layers":[{"mediaType":"archive/zip","digest":"${layer.digest}","size":123}],"annotations":{"a":"1"}}`,
    );
  });
});

describe("provider manifests and index (design.md §3)", () => {
  const linux = buildProviderManifest({ layer, platform: { os: "linux", architecture: "amd64" } });
  const darwin = buildProviderManifest({ layer, platform: { os: "darwin", architecture: "arm64" } });

  it("marks each platform manifest and its layer as OpenTofu expects", () => {
    const json = JSON.parse(Buffer.from(linux.bytes).toString());
    expect(json.artifactType).toBe("application/vnd.opentofu.provider-target");
    expect(json.layers).toEqual([
      {
        mediaType: "archive/zip",
        artifactType: "application/vnd.opentofu.providerpkg",
        digest: layer.digest,
        size: 123,
        platform: { os: "linux", architecture: "amd64" },
      },
    ]);
  });

  it("builds an index sorted by platform whatever the input order", () => {
    const index = buildProviderIndex({ manifests: [linux, darwin] });
    const json = JSON.parse(Buffer.from(index.bytes).toString()) as ImageIndex;
    expect(json.mediaType).toBe("application/vnd.oci.image.index.v1+json");
    expect(json.artifactType).toBe("application/vnd.opentofu.provider");
    expect(json.manifests.map((m) => `${m.platform!.os}_${m.platform!.architecture}`)).toEqual([
      "darwin_arm64",
      "linux_amd64",
    ]);
    expect(json.manifests.every((m) => m.artifactType === "application/vnd.opentofu.provider-target")).toBe(true);
    expect(json.manifests[1]!.digest).toBe(linux.descriptor.digest);
    expect(buildProviderIndex({ manifests: [darwin, linux] }).descriptor.digest).toBe(index.descriptor.digest);
  });

  it("refuses two manifests for one platform", () => {
    expect(() => buildProviderIndex({ manifests: [linux, linux] })).toThrow(/linux_amd64 appears twice/);
  });

  it("walks as a graph: module manifest to config and layer, index to its manifests", () => {
    const module = buildModuleManifest({ layer });
    expect(successors(parseManifest(module.bytes)).map((d) => d.digest)).toEqual([EMPTY_CONFIG.digest, layer.digest]);
    const index = buildProviderIndex({ manifests: [linux] });
    expect(successors(parseManifest(index.bytes))).toHaveLength(1);
  });
});

describe("provider version tags", () => {
  it("maps + to _ and back, as OpenTofu does", () => {
    expect(versionToTag("1.2.3+build.5")).toBe("1.2.3_build.5");
    expect(tagToVersion(versionToTag("1.2.3+build.5"))).toBe("1.2.3+build.5");
  });
});
