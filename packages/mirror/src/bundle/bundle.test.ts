import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EMPTY_CONFIG, EMPTY_CONFIG_BYTES, copyGraph, sha256Digest } from "@tofu-oci/core";
import { buildModuleManifest } from "@tofu-oci/opentofu";
import { MemoryTarget } from "@tofu-oci/core/memory";
import { tempDir } from "@tofu-oci/testkit";
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
    expect([...unpacked.blobs.keys()].sort()).toEqual([EMPTY_CONFIG.digest, root.digest, sha256Digest("not really a zip, but a blob")].sort());
    expect(await bundleArtifacts(unpacked, file)).toEqual([{ descriptor: { mediaType: root.mediaType, digest: root.digest, size: root.size, artifactType: root.artifactType }, tag: "1.0.0", fullName: "registry.example.com/net:1.0.0" }]);
  });

  it("leaves nothing behind when aborted", async () => {
    const file = join(scratch.path, "aborted.tar");
    const writer = await BundleWriter.create(file);
    await writer.abort();
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(scratch.path).filter((name) => name.includes("aborted"))).toEqual([]);
  });
});
