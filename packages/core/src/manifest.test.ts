import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { exitCodeOf } from "./errors.js";
import {
  EMPTY_CONFIG,
  EMPTY_CONFIG_BYTES,
  buildImageIndex,
  buildImageManifest,
  parseManifest,
  successors,
} from "./manifest.js";

const layer = { digest: `sha256:${"1".repeat(64)}`, size: 123 };
const sha256 = (bytes: Uint8Array) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

describe("the empty config", () => {
  it("is the digest and base64 of {} (OCI image-spec empty descriptor)", () => {
    expect(EMPTY_CONFIG.digest).toBe(sha256(Buffer.from("{}")));
    expect(Buffer.from(EMPTY_CONFIG.data!, "base64").toString()).toBe("{}");
    expect(EMPTY_CONFIG_BYTES.length).toBe(EMPTY_CONFIG.size);
  });
});

describe("canonical manifests and indexes", () => {
  const zipLayer = { mediaType: "archive/zip", ...layer };

  it("writes the fields in a fixed order, with the empty config by default", () => {
    const built = buildImageManifest({
      artifactType: "application/x.test",
      layers: [zipLayer],
      subject: zipLayer,
      annotations: { k: "v" },
    });
    const json = JSON.parse(Buffer.from(built.bytes).toString());
    expect(Object.keys(json)).toEqual([
      "schemaVersion",
      "mediaType",
      "artifactType",
      "config",
      "layers",
      "subject",
      "annotations",
    ]);
    expect(json.config).toEqual({
      mediaType: "application/vnd.oci.empty.v1+json",
      digest: EMPTY_CONFIG.digest,
      size: 2,
      data: "e30=",
    });
    expect(built.descriptor).toEqual({
      mediaType: json.mediaType,
      artifactType: "application/x.test",
      digest: sha256(built.bytes),
      size: built.bytes.length,
    });
  });

  it("leaves out what is not given and sorts annotations so their order never changes the digest", () => {
    const json = JSON.parse(Buffer.from(buildImageIndex({ manifests: [] }).bytes).toString());
    expect(json).toEqual({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [] });
    const a = buildImageManifest({ layers: [zipLayer], annotations: { b: "2", a: "1" } });
    const b = buildImageManifest({ layers: [zipLayer], annotations: { a: "1", b: "2" } });
    expect(a.descriptor.digest).toBe(b.descriptor.digest);
  });
});

describe("parseManifest", () => {
  it("walks manifests and indexes", () => {
    const module = buildImageManifest({ layers: [{ mediaType: "archive/zip", ...layer }] });
    expect(successors(parseManifest(module.bytes)).map((d) => d.digest)).toEqual([EMPTY_CONFIG.digest, layer.digest]);
    const index = buildImageIndex({ manifests: [module.descriptor] });
    expect(successors(parseManifest(index.bytes))).toHaveLength(1);
  });

  it.each([
    ["not JSON", "{"],
    ["not an object", "[]"],
    ["invalid UTF-8", Buffer.from([0x7b, 0xff, 0x7d])],
    ["unknown media type", JSON.stringify({ mediaType: "text/plain" })],
    ["index without manifests", JSON.stringify({ mediaType: "application/vnd.oci.image.index.v1+json" })],
    [
      "manifest with a bad layer",
      JSON.stringify({
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: EMPTY_CONFIG,
        layers: [{ digest: "x" }],
      }),
    ],
    [
      "negative size",
      JSON.stringify({
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { ...EMPTY_CONFIG, size: -1 },
        layers: [],
      }),
    ],
  ])("refuses %s with exit code 6", (_label, text) => {
    const bytes = typeof text === "string" ? Buffer.from(text) : text;
    let caught: unknown;
    try {
      parseManifest(bytes);
    } catch (error) {
      caught = error;
    }
    expect(exitCodeOf(caught)).toBe(6);
  });
});
