import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { readAll } from "./content.js";
import { copy, copyGraph } from "./copy.js";
import { sha256Digest } from "./digest.js";
import { TofuOciError, exitCodeOf } from "./errors.js";
import { pushGraph, stageGraph } from "./local-graph.js";
import { EMPTY_CONFIG, EMPTY_CONFIG_BYTES, type Descriptor } from "./manifest.js";
import { MemoryTarget } from "./memory/memory-target.js";
import { isManifestMediaType } from "./media-types.js";
import { withManifests } from "./overlay-target.js";
import type { Content, Mounter, OperationOptions, PushOptions, ResumableContent } from "./target.js";
import { platformGraph, zipGraph, zipManifest } from "../test/support/artifacts.js";

const scratch = tempDir("tofu-oci-copy-engine-");
afterAll(() => scratch.cleanup());

/** A module zip on disk, as a pack record names it. */
function zipFile(name: string, size = 10_000) {
  const bytes = randomBytes(size);
  const file = join(scratch.path, name);
  writeFileSync(file, bytes);
  return { file, digest: sha256Digest(bytes), size, bytes };
}

/** A memory target that records each push: what it was, and whether it carried a tag. */
class RecordingTarget extends MemoryTarget {
  readonly pushes: string[] = [];

  override async push(descriptor: Descriptor, content: Content, options: PushOptions = {}): Promise<void> {
    this.pushes.push(`${descriptor.mediaType}${options.tag ? `:${options.tag}` : ""}`);
    await super.push(descriptor, content, options);
  }
}

/** Repositories of one in-memory registry that mount blobs between each other, as distribution does. */
class MemoryRepository extends RecordingTarget implements Mounter {
  constructor(
    readonly registry: string,
    readonly repository: string,
    readonly repositories: Map<string, MemoryTarget>,
    readonly readable: (repository: string) => boolean = () => true,
  ) {
    super(`${registry}/${repository}`);
    repositories.set(repository, this);
  }

  async mount(descriptor: Descriptor, fromRepository: string, _options?: OperationOptions): Promise<boolean> {
    if (!this.readable(fromRepository)) throw new TofuOciError("unauthorized", `no pull access to ${fromRepository}`);
    const from = this.repositories.get(fromRepository);
    if (!from || !(await from.exists(descriptor))) return false;
    await MemoryTarget.prototype.push.call(
      this,
      descriptor,
      await readAll(await from.fetch(descriptor), descriptor.size),
    );
    return true;
  }
}

describe("copy: skipping", () => {
  it("skips each blob the destination has, and counts what it sent", async () => {
    const zip = zipFile("shared.zip");
    const graph = zipGraph(zip);
    const src = await stageGraph(graph);
    const dst = new RecordingTarget();
    await dst.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
    const skipped: string[] = [];
    const result = await copy(src, graph.root.descriptor, dst, ["1"], { onSkipped: (d) => skipped.push(d.mediaType) });
    expect(result).toMatchObject({
      blobsCopied: 1,
      blobsSkipped: 1,
      manifestsCopied: 1,
      manifestsSkipped: 0,
      bytesCopied: zip.size + graph.root.descriptor.size,
    });
    expect(skipped).toEqual([EMPTY_CONFIG.mediaType]);
  });

  it("does not walk a manifest the destination has, and sends nothing for a tag that already names it", async () => {
    const graph = zipGraph(zipFile("present.zip"));
    const src = await stageGraph(graph);
    const dst = new RecordingTarget();
    await copy(src, graph.root.descriptor, dst, ["1"]);
    dst.pushes.length = 0;
    const again = await copy(src, graph.root.descriptor, dst, ["1"]);
    expect(again).toMatchObject({
      blobsCopied: 0,
      blobsSkipped: 0,
      manifestsCopied: 0,
      manifestsSkipped: 1,
      bytesCopied: 0,
    });
    expect(dst.pushes).toEqual([]);
  });
});

describe("copy: de-duplication", () => {
  it("sends a blob that several manifests share once", async () => {
    const zip = zipFile("shared.zip");
    const graph = platformGraph([
      { os: "linux", arch: "amd64", zip },
      { os: "linux", arch: "arm64", zip },
    ]);
    const dst = new RecordingTarget();
    const result = await pushGraph(dst, graph, ["1.0.0"]);
    expect(dst.pushes.filter((p) => p === "archive/zip")).toHaveLength(1);
    expect(result).toMatchObject({
      blobsCopied: 2,
      manifestsCopied: 3,
      bytesCopied: zip.size + 2 + graph.manifests[0]!.descriptor.size * 2 + graph.root.descriptor.size,
    });
  });
});

describe("copy: tags", () => {
  it("sets the first tag with the manifest upload itself and sends the manifest again only for moved tags", async () => {
    const graph = zipGraph(zipFile("tags.zip"));
    const src = await stageGraph(graph);
    const dst = new RecordingTarget();
    await copy(src, graph.root.descriptor, dst, ["a", "b", "a"]);
    const manifest = graph.root.descriptor.mediaType;
    expect(dst.pushes.filter((p) => p.startsWith(manifest))).toEqual([`${manifest}:a`, `${manifest}:b`]);

    // Tag "b" moves elsewhere; copying again moves it back and leaves "a" alone.
    const other = zipGraph(zipFile("other.zip"));
    await pushGraph(dst, other, ["b"]);
    dst.pushes.length = 0;
    const moved = await copy(src, graph.root.descriptor, dst, ["a", "b"]);
    expect(dst.pushes).toEqual([`${manifest}:b`]);
    expect(moved).toMatchObject({
      manifestsCopied: 1,
      manifestsSkipped: 1,
      blobsCopied: 0,
      bytesCopied: graph.root.descriptor.size,
    });
    expect((await dst.resolve("b")).digest).toBe(graph.root.descriptor.digest);
  });
});

describe("copy: mounting", () => {
  it("mounts from the mountFrom repositories in order, then the source's own, counting and reporting it", async () => {
    const repositories = new Map<string, MemoryTarget>();
    const zip = zipFile("mount.zip");
    const graph = zipGraph(zip);
    const holder = new MemoryRepository("r.example", "holder", repositories);
    await pushGraph(holder, graph);
    new MemoryRepository("r.example", "empty", repositories);
    const dst = new MemoryRepository("r.example", "dst", repositories);
    const mounted: string[] = [];
    const result = await copy(await stageGraph(graph), graph.root.descriptor, dst, ["1"], {
      mountFrom: ["missing", "empty", "holder"],
      onMounted: (d, from) => mounted.push(`${d.digest === zip.digest ? "zip" : "config"} from ${from}`),
    });
    expect(result).toMatchObject({ blobsMounted: 2, blobsCopied: 0, manifestsCopied: 1 });
    expect(mounted.sort()).toEqual(["config from holder", "zip from holder"]);
    // No blob upload: only the manifest was pushed.
    expect(dst.pushes).toEqual([`${graph.root.descriptor.mediaType}:1`]);
  });

  it("mounts from a source repository of the same registry without being asked", async () => {
    const repositories = new Map<string, MemoryTarget>();
    const graph = zipGraph(zipFile("same-registry.zip"));
    const src = new MemoryRepository("r.example", "src", repositories);
    await pushGraph(src, graph, ["1"]);
    const dst = new MemoryRepository("r.example", "dst", repositories);
    expect(await copy(src, "1", dst, ["1"])).toMatchObject({ blobsMounted: 2, blobsCopied: 0 });
    const elsewhere = new MemoryRepository("other.example", "dst", new Map());
    expect(await copy(src, "1", elsewhere, ["1"])).toMatchObject({ blobsMounted: 0, blobsCopied: 2 });
  });

  it("uploads when the credentials cannot read the repository to mount from", async () => {
    const repositories = new Map<string, MemoryTarget>();
    const graph = zipGraph(zipFile("forbidden.zip"));
    await pushGraph(new MemoryRepository("r.example", "secret", repositories), graph);
    const dst = new MemoryRepository("r.example", "dst", repositories, (repository) => repository !== "secret");
    expect(
      await copy(await stageGraph(graph), graph.root.descriptor, dst, [], { mountFrom: ["secret"] }),
    ).toMatchObject({ blobsMounted: 0, blobsCopied: 2 });
  });
});

describe("copy: events and bytes", () => {
  it("reports start before copied, progress of every blob byte, and the manifest last", async () => {
    const zip = zipFile("events.zip", 100_000);
    const graph = zipGraph(zip);
    const events: string[] = [];
    const progress = new Map<string, number>();
    const name = (d: Descriptor) =>
      d.digest === zip.digest ? "zip" : d.digest === EMPTY_CONFIG.digest ? "config" : "manifest";
    await copyGraph(await stageGraph(graph), new MemoryTarget(), graph.root.descriptor, {
      onStart: (d) => events.push(`start ${name(d)}`),
      onProgress: (d, bytes) => progress.set(name(d), bytes),
      onCopied: (d) => events.push(`copied ${name(d)}`),
    });
    for (const blob of ["zip", "config"])
      expect(events.indexOf(`start ${blob}`)).toBeLessThan(events.indexOf(`copied ${blob}`));
    expect(events.slice(-2)).toEqual(["start manifest", "copied manifest"]);
    expect(Object.fromEntries(progress)).toEqual({ zip: zip.size, config: 2 });
  });

  it("counts the bytes read for an upload, so a resumed upload reports only what it sent", async () => {
    const zip = zipFile("resumed.zip", 100_000);
    const graph = zipGraph(zip);
    /** Like a registry holding half of an upload session: it reads only the second half. */
    class HalfUploadedTarget extends MemoryTarget {
      override async push(descriptor: Descriptor, content: Content, options: PushOptions = {}): Promise<void> {
        if (descriptor.digest !== zip.digest) return super.push(descriptor, content, options);
        const rest = await readAll(await (content as ResumableContent).openRange(descriptor.size / 2), descriptor.size);
        await super.push(descriptor, Buffer.concat([zip.bytes.subarray(0, descriptor.size / 2), rest]), options);
      }
    }
    const offsets: number[] = [];
    const whole = await copyGraph(await stageGraph(graph), new MemoryTarget(), graph.root.descriptor);
    expect(whole.bytesCopied).toBe(zip.size + 2 + graph.root.descriptor.size);
    const resumed = await copyGraph(await stageGraph(graph), new HalfUploadedTarget(), graph.root.descriptor, {
      onProgress: (d, bytes) => d.digest === zip.digest && offsets.push(bytes),
    });
    expect(resumed.bytesCopied).toBe(50_000 + 2 + graph.root.descriptor.size);
    // Progress counts from the blob's first byte, so a resumed upload starts past the middle.
    expect(Math.min(...offsets)).toBeGreaterThan(50_000);
    expect(Math.max(...offsets)).toBe(zip.size);
  });
});

describe("staged graphs", () => {
  it("keep files by reference: a file changed after staging fails the copy (exit 1) and no manifest is stored", async () => {
    const zip = zipFile("changed.zip");
    const graph = zipGraph(zip);
    const staged = await stageGraph(graph);
    writeFileSync(zip.file, randomBytes(zip.size));
    const dst = new MemoryTarget();
    expect(exitCodeOf(await copy(staged, graph.root.descriptor, dst, ["1"]).catch((e: unknown) => e))).toBe(1);
    expect(await dst.exists(graph.root.descriptor)).toBe(false);
  });

  it("refuse a manifest whose blobs were not staged", async () => {
    const zip = zipFile("unstaged.zip");
    const manifest = zipManifest(zip);
    const error = await stageGraph({ blobs: [], manifests: [], root: manifest }).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
  });
});

describe("copy: streams from a source that cannot read parts", () => {
  /** The source as a registry looks to the engine: whole fetches only, each blob request counted and its stream kept. */
  function wholeFetchSource(base: MemoryTarget) {
    const fetched: Readable[] = [];
    const asked = { blobs: 0 };
    const overlay = withManifests(base, []);
    const source = {
      ...overlay,
      fetch: async (descriptor: Descriptor, options?: OperationOptions) => {
        if (!isManifestMediaType(descriptor.mediaType)) asked.blobs++;
        const stream = await overlay.fetch(descriptor, options);
        if (!isManifestMediaType(descriptor.mediaType)) fetched.push(stream);
        return stream;
      },
    };
    return { source, fetched, asked };
  }

  it("asks the source for a blob while the destination starts its upload", async () => {
    const zip = zipFile("early.zip");
    const graph = zipGraph(zip);
    const { source, fetched, asked } = wholeFetchSource(await stageGraph(graph));
    const dst = new RecordingTarget();
    const seenAtPush: number[] = [];
    const push = dst.push.bind(dst);
    dst.push = async (descriptor, content, options) => {
      if (!isManifestMediaType(descriptor.mediaType)) seenAtPush.push(asked.blobs);
      return push(descriptor, content, options);
    };
    const result = await copy(source, graph.root.descriptor, dst, ["1"]);
    expect(result).toMatchObject({ blobsCopied: 2, manifestsCopied: 1 });
    expect(seenAtPush.every((count) => count > 0)).toBe(true);
    expect(fetched).toHaveLength(2);
  });

  it("closes the stream it asked for when the destination fails before reading it", async () => {
    const graph = zipGraph(zipFile("refused.zip"));
    const { source, fetched } = wholeFetchSource(await stageGraph(graph));
    const dst = new RecordingTarget();
    dst.push = async () => {
      throw new TofuOciError("unauthorized", "the destination refuses uploads");
    };
    expect(exitCodeOf(await copy(source, graph.root.descriptor, dst, ["1"]).catch((e: unknown) => e))).toBe(4);
    await new Promise((resolve) => setImmediate(resolve));
    expect(fetched.length).toBeGreaterThan(0);
    expect(fetched.every((stream) => stream.destroyed)).toBe(true);
  });
});

// Issue 22, item 5: a source listing 10,000 referrers that do not exist made an export send
// 10,006 requests. The engine reads manifests a few at a time and stops at the first failure.
describe("copy: a hostile referrers list", () => {
  it("stops at the first referrer that cannot be read, having asked for a handful", async () => {
    const src = new MemoryTarget();
    const { descriptor } = await pushGraph(src, zipGraph(zipFile("subject.zip")));
    const listed: Descriptor[] = Array.from({ length: 10_000 }, (_, i) => ({
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      digest: sha256Digest(`missing ${i}`),
      size: 300,
      artifactType: "application/spdx+json",
    }));
    let fetches = 0;
    const hostile = Object.assign(Object.create(src) as MemoryTarget, {
      referrers: async () => listed,
      fetch: (d: Descriptor) => {
        fetches++;
        return src.fetch(d);
      },
    });
    const error = await copyGraph(hostile, new MemoryTarget(), descriptor, { referrers: true, concurrency: 4 }).catch(
      (e: unknown) => e,
    );
    expect(exitCodeOf(error)).toBe(3);
    expect(fetches).toBeLessThan(20);
  });
});
