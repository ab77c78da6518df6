import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { Readable } from "node:stream";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { readAll } from "../content.js";
import { sha256Digest } from "../digest.js";
import { exitCodeOf } from "../errors.js";
import { EMPTY_CONFIG, EMPTY_CONFIG_BYTES } from "../manifest.js";
import { LAYOUT_INDEX_SIZE_LIMIT, OciLayout } from "./oci-layout.js";
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

  // Issue 22, item 3: a digest from a manifest is checked before it names a file; only regular
  // files are read, so a hostile layout cannot reach outside, hang the reader on a FIFO or link out.
  it("refuses digests that would leave blobs/sha256 before touching the disk", async () => {
    const layout = await fresh();
    writeFileSync(join(layout.root, "secret"), "outside the blobs");
    for (const digest of [
      "sha256:../../secret",
      "sha256:../../../../etc/hostname",
      "sha256:",
      `sha256:${"F".repeat(64)}`,
    ]) {
      const descriptor = { mediaType: "archive/zip", digest, size: 17 };
      for (const operation of [
        () => layout.fetch(descriptor),
        () => layout.exists(descriptor),
        () => layout.push(descriptor, Buffer.from("outside the blobs")),
      ]) {
        const error = await operation().catch((e: unknown) => e);
        expect(exitCodeOf(error), digest).toBe(6);
        expect((error as Error).message).toContain("is not a valid digest");
        expect((error as Error).message).not.toContain("17 bytes");
      }
    }
  });

  it.each([
    ["a FIFO", (path: string) => execFileSync("mkfifo", [path]), /a FIFO/],
    ["a symbolic link", (path: string) => symlinkSync("/etc/hostname", path), /a symbolic link/],
    ["a directory", (path: string) => mkdirSync(path), /a directory/],
  ])("refuses a blob that is %s, at once", async (_name, make, message) => {
    const layout = await fresh();
    const { layer, manifest } = await pushModule(layout, "1.0.0");
    for (const descriptor of [layer, manifest.descriptor]) {
      const path = join(layout.root, "blobs", "sha256", descriptor.digest.slice(7));
      execFileSync("rm", ["-f", path]);
      make(path);
      const error = await layout.fetch(descriptor).catch((e: unknown) => e);
      expect(exitCodeOf(error)).toBe(6);
      expect((error as Error).message).toMatch(message);
    }
    expect(exitCodeOf(await layout.resolve(manifest.descriptor.digest).catch((e: unknown) => e))).toBe(6);
  });

  it("refuses an index.json over the limit without reading it", async () => {
    const layout = await fresh();
    truncateSync(join(layout.root, "index.json"), LAYOUT_INDEX_SIZE_LIMIT + 1);
    const error = await layout.resolve("1.0.0").catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toContain(`over the ${LAYOUT_INDEX_SIZE_LIMIT}-byte limit`);
  });

  // Issue 22, item 8: cancelling stops a blob write at once and leaves no temp file.
  it("stops writing a blob when cancelled, leaving nothing", async () => {
    const layout = await fresh();
    const controller = new AbortController();
    let sent = 0;
    const endless = new Readable({
      read() {
        sent += 64 * 1024;
        if (sent > 1024 * 1024) controller.abort();
        this.push(Buffer.alloc(64 * 1024));
      },
    });
    const descriptor = { mediaType: "archive/zip", digest: sha256Digest("big"), size: 1024 ** 4 };
    const error = await layout
      .push(descriptor, endless, { signal: controller.signal, tag: "1.0.0" })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");
    expect(readdirSync(join(layout.root, "blobs", "sha256"))).toEqual([]);
    expect(
      existsSync(join(layout.root, "index.json")) &&
        JSON.parse(readFileSync(join(layout.root, "index.json"), "utf8")).manifests,
    ).toEqual([]);
  });
});
