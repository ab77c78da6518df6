import { createHash } from "node:crypto";
import { expect } from "vitest";

/** The empty config descriptor of docs/contract/design.md §3. */
const EMPTY_CONFIG = {
  mediaType: "application/vnd.oci.empty.v1+json",
  digest: "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
  size: 2,
  data: "e30=",
};

type Json = Record<string, any>;

export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** Every rule of docs/contract/design.md §3 for a module package manifest. */
export function expectModuleManifest(bytes: Uint8Array, zip: { digest: string; size: number; title: string }): Json {
  expect(bytes.length).toBeLessThanOrEqual(4 * 1024 * 1024);
  const manifest = JSON.parse(Buffer.from(bytes).toString("utf8")) as Json;
  expect(manifest.schemaVersion).toBe(2);
  expect(manifest.mediaType).toBe("application/vnd.oci.image.manifest.v1+json");
  expect(manifest.artifactType).toBe("application/vnd.opentofu.modulepkg");
  expect(manifest.config).toEqual(EMPTY_CONFIG);
  expect(manifest.layers).toHaveLength(1);
  expect(manifest.layers[0]).toEqual({
    mediaType: "archive/zip",
    digest: zip.digest,
    size: zip.size,
    annotations: { "org.opencontainers.image.title": zip.title },
  });
  expect(manifest.annotations?.["org.opencontainers.image.created"]).toBeUndefined();
  return manifest;
}

/** Every rule of docs/contract/design.md §3 for a provider version's index. */
export function expectProviderIndex(bytes: Uint8Array, platforms: Array<{ os: string; arch: string }>): Json {
  expect(bytes.length).toBeLessThanOrEqual(4 * 1024 * 1024);
  const index = JSON.parse(Buffer.from(bytes).toString("utf8")) as Json;
  expect(index.schemaVersion).toBe(2);
  expect(index.mediaType).toBe("application/vnd.oci.image.index.v1+json");
  expect(index.artifactType).toBe("application/vnd.opentofu.provider");
  const listed = index.manifests.map((m: Json) => `${m.platform.os}_${m.platform.architecture}`).sort();
  expect(listed).toEqual(platforms.map((p) => `${p.os}_${p.arch}`).sort());
  for (const entry of index.manifests) {
    expect(entry.mediaType).toBe("application/vnd.oci.image.manifest.v1+json");
    expect(entry.artifactType).toBe("application/vnd.opentofu.provider-target");
  }
  return index;
}

/** Every rule of docs/contract/design.md §3 for one platform's provider manifest: the layer is the release zip. */
export function expectProviderManifest(
  bytes: Uint8Array,
  platform: { os: string; arch: string; digest: string; size: number },
): void {
  const manifest = JSON.parse(Buffer.from(bytes).toString("utf8")) as Json;
  expect(manifest.mediaType).toBe("application/vnd.oci.image.manifest.v1+json");
  expect(manifest.artifactType).toBe("application/vnd.opentofu.provider-target");
  expect(manifest.config).toEqual(EMPTY_CONFIG);
  expect(manifest.layers).toHaveLength(1);
  const [layer] = manifest.layers;
  expect(layer.mediaType).toBe("archive/zip");
  expect(layer.digest).toBe(platform.digest);
  expect(layer.size).toBe(platform.size);
  expect(layer.artifactType ?? "application/vnd.opentofu.providerpkg").toBe("application/vnd.opentofu.providerpkg");
  if (layer.platform) expect(layer.platform).toEqual({ os: platform.os, architecture: platform.arch });
}
