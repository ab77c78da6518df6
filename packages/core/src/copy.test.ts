import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { copy } from "./copy.js";
import { sha256Digest } from "./digest.js";
import { exitCodeOf } from "./errors.js";
import {
  EMPTY_CONFIG,
  EMPTY_CONFIG_BYTES,
  encodeManifest,
  plainDescriptor,
  type Descriptor,
  type ImageManifest,
} from "./manifest.js";
import { MemoryTarget } from "./memory/memory-target.js";
import { zipManifest, platformIndex } from "../test/support/artifacts.js";

async function provider(target: MemoryTarget) {
  await target.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
  const zip = randomBytes(100);
  const layer = { mediaType: "archive/zip", digest: sha256Digest(zip), size: zip.length };
  await target.push(layer, zip);
  // One zip shared by two platforms: it must be copied once.
  const manifests = [
    zipManifest(layer, { platform: { os: "linux", architecture: "amd64" } }),
    zipManifest(layer, { platform: { os: "linux", architecture: "arm64" } }),
  ];
  for (const m of manifests) await target.push(m.descriptor, m.bytes);
  const index = platformIndex(manifests);
  await target.push(index.descriptor, index.bytes, { tag: "1.0.0" });
  return { index, manifests };
}

/** Attaches an SPDX document to `subject` as a referrer. */
async function attachSpdx(target: MemoryTarget, subject: Descriptor, text: string) {
  const sbom = Buffer.from(text);
  const sbomLayer = { mediaType: "application/spdx+json", digest: sha256Digest(sbom), size: sbom.length };
  await target.push(sbomLayer, sbom);
  const referrer = encodeManifest<ImageManifest>({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    artifactType: "application/spdx+json",
    config: { ...EMPTY_CONFIG },
    layers: [sbomLayer],
    subject: plainDescriptor(subject),
  });
  await target.push(referrer.descriptor, referrer.bytes);
  return referrer;
}

describe("copy", () => {
  it("copies a graph once per digest, children before parents, and tags the root", async () => {
    const src = new MemoryTarget("src");
    const { index } = await provider(src);
    const dst = new MemoryTarget("dst");
    const order: string[] = [];
    const result = await copy(src, "1.0.0", dst, ["1.0.0", "latest"], { onCopied: (d) => order.push(d.mediaType) });
    // 3 manifests stored, the index with its first tag; the second tag sends the index again.
    expect(result).toMatchObject({ blobsCopied: 2, manifestsCopied: 4, blobsSkipped: 0, manifestsSkipped: 0 });
    expect(order.at(-1)).toBe("application/vnd.oci.image.index.v1+json");
    expect(order.indexOf("archive/zip")).toBeLessThan(order.indexOf("application/vnd.oci.image.manifest.v1+json"));
    expect((await dst.resolve("latest")).digest).toBe(index.descriptor.digest);
  });

  it("copies referrers only when asked", async () => {
    const src = new MemoryTarget();
    const { manifests } = await provider(src);
    await attachSpdx(src, manifests[0]!.descriptor, '{"spdxVersion":"SPDX-2.3"}');

    const without = new MemoryTarget();
    await copy(src, "1.0.0", without, []);
    expect(await without.referrers(manifests[0]!.descriptor)).toEqual([]);
    const withReferrers = new MemoryTarget();
    await copy(src, "1.0.0", withReferrers, [], { referrers: true });
    expect((await withReferrers.referrers(manifests[0]!.descriptor)).map((d) => d.artifactType)).toEqual([
      "application/spdx+json",
    ]);
  });

  it("reports the referrers it found for each subject", async () => {
    const src = new MemoryTarget();
    const { manifests } = await provider(src);
    const referrer = await attachSpdx(src, manifests[1]!.descriptor, "{}");
    const found: Array<[string, string[]]> = [];
    await copy(src, "1.0.0", new MemoryTarget(), [], {
      referrers: true,
      onReferrers: (subject, list) => found.push([subject.digest, list.map((d) => d.digest)]),
    });
    expect(found.filter(([, list]) => list.length > 0)).toEqual([
      [manifests[1]!.descriptor.digest, [referrer.descriptor.digest]],
    ]);
  });

  it("keeps at most `concurrency` blob transfers running", async () => {
    const src = new MemoryTarget();
    await src.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
    const layers = [];
    for (let i = 0; i < 8; i++) {
      const zip = randomBytes(10);
      layers.push({ mediaType: "archive/zip", digest: sha256Digest(zip), size: zip.length });
      await src.push(layers[i]!, zip);
    }
    const manifest = encodeManifest<ImageManifest>({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { ...EMPTY_CONFIG },
      layers,
    });
    await src.push(manifest.descriptor, manifest.bytes, { tag: "t" });
    const dst = new MemoryTarget();
    let running = 0;
    let peak = 0;
    const push = dst.push.bind(dst);
    dst.push = async (...args) => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await push(...args);
      running--;
    };
    await copy(src, "t", dst, [], { concurrency: 3 });
    expect(peak).toBe(3);
  });

  it("pushes no manifest when a blob fails", async () => {
    const src = new MemoryTarget();
    const zip = randomBytes(10);
    const layer = { mediaType: "archive/zip", digest: sha256Digest(zip), size: zip.length };
    await src.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
    await src.push(layer, zip);
    const manifest = zipManifest(layer);
    await src.push(manifest.descriptor, manifest.bytes, { tag: "1.0.0" });
    src.delete(layer.digest);
    const dst = new MemoryTarget();
    expect(exitCodeOf(await copy(src, "1.0.0", dst, ["1.0.0"]).catch((e: unknown) => e))).toBe(3);
    expect(await dst.exists(manifest.descriptor)).toBe(false);
  });
});
