import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { readAll } from "../content.js";
import { sha256Digest } from "../digest.js";
import { exitCodeOf } from "../errors.js";
import { EMPTY_CONFIG, EMPTY_CONFIG_BYTES } from "../manifest.js";
import { OciLayout } from "./oci-layout.js";
import { zipManifest } from "../../test/support/artifacts.js";

const scratch = tempDir();
afterAll(() => scratch.cleanup());
let counter = 0;
const fresh = () => OciLayout.open(join(scratch.path, `layout-${counter++}`), { create: true });

async function pushModule(layout: OciLayout, tag?: string) {
  const zip = randomBytes(500);
  const layer = { mediaType: "archive/zip", digest: sha256Digest(zip), size: zip.length };
  const manifest = zipManifest(layer);
  await layout.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
  await layout.push(layer, zip);
  await layout.push(manifest.descriptor, manifest.bytes, tag ? { tag } : {});
  return { zip, layer, manifest };
}

describe("OciLayout", () => {
  it("reports the bytes of a blob written so far", async () => {
    const layout = await fresh();
    const blob = randomBytes(100_000);
    const seen: number[] = [];
    await layout.push({ mediaType: "archive/zip", digest: sha256Digest(blob), size: blob.length }, blob, {
      onProgress: (bytes) => seen.push(bytes),
    });
    expect(seen.at(-1)).toBe(blob.length);
  });

  it("writes the image-layout files and tags via org.opencontainers.image.ref.name", async () => {
    const layout = await fresh();
    const { manifest } = await pushModule(layout, "1.0.0");
    expect(JSON.parse(readFileSync(join(layout.root, "oci-layout"), "utf8"))).toEqual({ imageLayoutVersion: "1.0.0" });
    const index = JSON.parse(readFileSync(join(layout.root, "index.json"), "utf8"));
    expect(index.manifests).toEqual([
      { ...manifest.descriptor, annotations: { "org.opencontainers.image.ref.name": "1.0.0" } },
    ]);
    expect(await layout.resolve("1.0.0")).toEqual(manifest.descriptor);
  });

  it("moves a tag, keeps other tags, and lists them sorted", async () => {
    const layout = await fresh();
    const first = await pushModule(layout, "latest");
    await layout.tag(first.manifest.descriptor, "1.0.0");
    const second = await pushModule(layout, "latest");
    expect((await layout.resolve("latest")).digest).toBe(second.manifest.descriptor.digest);
    expect((await layout.resolve("1.0.0")).digest).toBe(first.manifest.descriptor.digest);
    const tags: string[] = [];
    for await (const tag of layout.tags()) tags.push(tag);
    expect(tags).toEqual(["1.0.0", "latest"]);
  });

  it("resolves digests and fetches verified content", async () => {
    const layout = await fresh();
    const { zip, layer, manifest } = await pushModule(layout);
    expect((await layout.resolve(manifest.descriptor.digest)).artifactType).toBe("application/vnd.opentofu.modulepkg");
    expect((await readAll(await layout.fetch(layer), zip.length)).equals(zip)).toBe(true);
  });

  it("refuses a manifest whose blobs are missing, and content that does not match its digest", async () => {
    const layout = await fresh();
    const manifest = zipManifest({ digest: sha256Digest("absent"), size: 6 });
    expect(exitCodeOf(await layout.push(manifest.descriptor, manifest.bytes).catch((e: unknown) => e))).toBe(6);
    const wrong = { mediaType: "archive/zip", digest: sha256Digest("expected"), size: 8 };
    expect(exitCodeOf(await layout.push(wrong, Buffer.from("tampered")).catch((e: unknown) => e))).toBe(1);
    // Neither left a blob or a temp file behind.
    expect(readdirSync(join(layout.root, "blobs", "sha256"))).toEqual([]);
  });

  it("notices a blob damaged on disk when reading it", async () => {
    const layout = await fresh();
    const { layer } = await pushModule(layout);
    writeFileSync(join(layout.root, "blobs", "sha256", layer.digest.slice(7)), randomBytes(500));
    expect(exitCodeOf(await readAll(await layout.fetch(layer), 1000).catch((e: unknown) => e))).toBe(1);
  });

  it("is not found, or invalid, with clear errors", async () => {
    expect(exitCodeOf(await OciLayout.open(join(scratch.path, "missing")).catch((e: unknown) => e))).toBe(3);
    const layout = await fresh();
    expect(exitCodeOf(await layout.resolve("nope").catch((e: unknown) => e))).toBe(3);
    writeFileSync(join(layout.root, "index.json"), "{ not json");
    const error = await layout.resolve("nope").catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toContain("index.json");
  });

  it("keeps every tag when two processes tag the same layout at once", async () => {
    const layout = await fresh();
    const { manifest } = await pushModule(layout);
    const worker = fileURLToPath(new URL("./oci-layout.concurrency-worker.mjs", import.meta.url));
    const distLayout = fileURLToPath(new URL("../../dist/layout/index.js", import.meta.url));
    const run = promisify(execFile);
    await Promise.all(
      ["a", "b", "c"].map((prefix) =>
        run(process.execPath, [worker, distLayout, layout.root, JSON.stringify(manifest.descriptor), prefix, "15"]),
      ),
    );
    const tags: string[] = [];
    for await (const tag of layout.tags()) tags.push(tag);
    expect(tags).toHaveLength(45);
  });
});
