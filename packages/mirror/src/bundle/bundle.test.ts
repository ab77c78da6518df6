import { existsSync, readdirSync } from "node:fs";
import { exitCodeOf } from "@tofu-oci/core";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EMPTY_CONFIG, EMPTY_CONFIG_BYTES, copyGraph, sha256Digest } from "@tofu-oci/core";
import { buildModuleManifest } from "@tofu-oci/opentofu";
import { MemoryTarget } from "@tofu-oci/core/memory";
import { writeFileSync } from "node:fs";
import { buildTar, tempDir } from "@tofu-oci/testkit";
import { bundleArtifacts } from "./bundle-contents.js";
import { extractBundle } from "./bundle-reader.js";
import { BundleWriter } from "./bundle-writer.js";

const scratch = tempDir("tofu-oci-mirror-bundle-unit-");
afterAll(() => scratch.cleanup());

async function moduleIn(target: MemoryTarget) {
  const zip = Buffer.from("not really a zip, but a blob");
  const layer = { mediaType: "archive/zip", digest: sha256Digest(zip), size: zip.length };
  await target.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
  await target.push(layer, zip);
  const manifest = buildModuleManifest({ layer });
  await target.push(manifest.descriptor, manifest.bytes, { tag: "1.0.0" });
  return manifest.descriptor;
}

describe("BundleWriter and extractBundle", () => {
  it("writes each blob once and reads back the named artifact", async () => {
    const source = new MemoryTarget("src");
    const root = await moduleIn(source);
    const file = join(scratch.path, "one.tar");
    const writer = await BundleWriter.create(file);
    await copyGraph(source, writer, root);
    await copyGraph(source, writer, root);
    writer.nameArtifact(root, { tag: "1.0.0", fullName: "registry.example.com/net:1.0.0" });
    const tar = await writer.finish();
    expect(writer.blobs).toBe(3);
    expect(tar.size).toBeGreaterThan(0);

    const unpacked = await extractBundle(file, join(scratch.path, "one"));
    expect([...unpacked.blobs.keys()].sort()).toEqual(
      [EMPTY_CONFIG.digest, root.digest, sha256Digest("not really a zip, but a blob")].sort(),
    );
    expect(await bundleArtifacts(unpacked, file)).toEqual([
      {
        descriptor: {
          mediaType: root.mediaType,
          digest: root.digest,
          size: root.size,
          artifactType: root.artifactType,
        },
        tag: "1.0.0",
        fullName: "registry.example.com/net:1.0.0",
      },
    ]);
  });

  it("leaves nothing behind when aborted", async () => {
    const file = join(scratch.path, "aborted.tar");
    const writer = await BundleWriter.create(file);
    await writer.abort();
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(scratch.path).filter((name) => name.includes("aborted"))).toEqual([]);
  });
});

// Issue 22, item 6: a 6 MB bundle with one unreferenced 6 GiB blob made import write 6 GB. Only
// what index.json reaches is written, each blob bounded by the size its reference declares.
describe("extractBundle: only what index.json reaches", () => {
  const zip = "a layer that is referenced";
  const layer = { mediaType: "archive/zip", digest: sha256Digest(zip), size: zip.length };
  const manifest = buildModuleManifest({ layer });
  const blob = (digest: string, content: string | Buffer) => ({
    name: `blobs/sha256/${digest.slice(7)}`,
    content: content.toString(),
  });
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [{ ...manifest.descriptor, annotations: { "org.opencontainers.image.ref.name": "1.0.0" } }],
  });
  const layoutFiles = [
    { name: "oci-layout", content: '{"imageLayoutVersion":"1.0.0"}' },
    { name: "index.json", content: index },
  ];

  it("skips an unreferenced blob without reading it into the layout, even one whose bytes do not match its name", async () => {
    const stray = sha256Digest("what the name promises");
    const file = join(scratch.path, "stray.tar");
    writeFileSync(
      file,
      buildTar([
        ...layoutFiles,
        blob(EMPTY_CONFIG.digest, Buffer.from(EMPTY_CONFIG_BYTES)),
        blob(layer.digest, zip),
        blob(manifest.descriptor.digest, Buffer.from(manifest.bytes)),
        blob(stray, "x".repeat(100_000)),
      ]),
    );
    const unpacked = await extractBundle(file, join(scratch.path, "stray"));
    expect([...unpacked.blobs.keys()].sort()).toEqual(
      [EMPTY_CONFIG.digest, layer.digest, manifest.descriptor.digest].sort(),
    );
    expect(unpacked.ignored).toEqual([`blobs/sha256/${stray.slice(7)}`]);
    expect(existsSync(join(scratch.path, "stray", "blobs", "sha256", stray.slice(7)))).toBe(false);
  });

  it("refuses a referenced blob whose entry is larger than its reference declares, before writing it", async () => {
    const file = join(scratch.path, "longer.tar");
    const longer = `${zip}${"x".repeat(50_000)}`;
    writeFileSync(
      file,
      buildTar([
        ...layoutFiles,
        blob(EMPTY_CONFIG.digest, Buffer.from(EMPTY_CONFIG_BYTES)),
        blob(layer.digest, longer),
        blob(manifest.descriptor.digest, Buffer.from(manifest.bytes)),
      ]),
    );
    const error = await extractBundle(file, join(scratch.path, "longer")).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(1);
    expect((error as Error).message).toContain(`holds ${longer.length} bytes, but it is referenced with ${zip.length}`);
    expect(existsSync(join(scratch.path, "longer", "blobs", "sha256", layer.digest.slice(7)))).toBe(false);
  });
});
