import { Readable } from "node:stream";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  copy,
  exitCodeOf,
  fetchManifestBytes,
  readAll,
  type Content,
  type Descriptor,
  type PushOptions as TargetPushOptions,
} from "@tofu-oci/core";
import { MemoryTarget } from "@tofu-oci/core/memory";
import { ratioBomb, sizeBomb, tempDir } from "@tofu-oci/testkit";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  CYCLONEDX,
  moduleRecord,
  providerRecord,
  writeLargeZip,
  writeModuleZip,
  writeProviderZip,
} from "../test/fixtures.js";
import { expectModuleManifest, expectProviderIndex, expectProviderManifest } from "../test/rules.js";
import { push } from "./push.js";
import type { ModuleArtifactRecord, ModulePackageRecord, ProviderArtifactRecord } from "@tofu-oci/core";

const dirs: Array<{ cleanup: () => void }> = [];
function scratch(): string {
  const dir = tempDir("tofu-oci-push-unit-");
  dirs.push(dir);
  return dir.path;
}
afterEach(() => dirs.splice(0).forEach((dir) => dir.cleanup()));

async function manifestBytes(target: MemoryTarget, reference: string): Promise<Buffer> {
  return fetchManifestBytes(target, await target.resolve(reference));
}

describe("push: modules", () => {
  it("stores config, zip and the manifest of design.md §3, tagged, and reports the sources", async () => {
    const dir = scratch();
    const zip = writeModuleZip(dir, "unit", "net.zip");
    const target = new MemoryTarget();
    const [record] = (await push({
      reference: "registry.example.com/modules/net:1.0.0",
      zip: zip.file,
      tags: ["stable"],
      target,
    })) as ModuleArtifactRecord[];

    expectModuleManifest(await manifestBytes(target, "1.0.0"), { ...zip, title: "net.zip" });
    expect((await target.resolve("stable")).digest).toBe(record!.digest);
    expect(record).toMatchObject({
      kind: "artifact",
      type: "module",
      registry: "registry.example.com",
      repository: "modules/net",
      tag: "1.0.0",
      tags: ["1.0.0", "stable"],
      reference: `registry.example.com/modules/net@${record!.digest}`,
      source: `oci://registry.example.com/modules/net?digest=${record!.digest}`,
      sourceByTag: "oci://registry.example.com/modules/net?tag=1.0.0",
      blobsCopied: 2,
      // The manifest is stored with the first tag, and sent again under the second.
      manifestsCopied: 2,
      unchanged: false,
    });
    expect(record!.bytesCopied).toBe(zip.size + 2 + record!.size * 2);
  });

  it("uploads nothing the second time and says unchanged", async () => {
    const dir = scratch();
    const zip = writeModuleZip(dir, "twice");
    const target = new MemoryTarget();
    await push({ reference: "r.example/m:1", zip: zip.file, target });
    const [again] = await push({ reference: "r.example/m:1", zip: zip.file, target });
    // The manifest is there, so its blobs are too: one existence check, nothing walked or sent.
    expect(again).toMatchObject({
      unchanged: true,
      blobsCopied: 0,
      manifestsCopied: 0,
      bytesCopied: 0,
      manifestsSkipped: 1,
      blobsSkipped: 0,
    });
  });

  it("tags latest when neither REF nor --tag names one, and keeps //subdir in the source", async () => {
    const dir = scratch();
    const zip = writeModuleZip(dir, "latest");
    const target = new MemoryTarget();
    const [record] = await push({ reference: "oci://r.example/m//modules/sub", zip: zip.file, target });
    expect(record!.tags).toEqual(["latest"]);
    expect(record!.source).toBe(`oci://r.example/m//modules/sub?digest=${record!.digest}`);
    expect(record!.sourceByTag).toBe("oci://r.example/m//modules/sub?tag=latest");
  });

  it("takes typed package records as `packages` (the pack -> push hand-off in a library, issue 21)", async () => {
    const dir = scratch();
    const zip = writeModuleZip(dir, "typed");
    const target = new MemoryTarget();
    // Typed as packModule returns it: this line failing to compile (TS2322) is the regression.
    const packed: ModulePackageRecord = moduleRecord(zip);
    const [record] = await push({ reference: "r.example/typed:1.0.0", packages: [packed], target });
    expect(record).toMatchObject({ kind: "artifact", type: "module", tags: ["1.0.0"] });
    expect((await target.resolve("1.0.0")).digest).toBe(record!.digest);
  });

  it("reads package records from stdin, with annotations and SOURCE_DATE_EPOCH's created time", async () => {
    const dir = scratch();
    const zip = writeModuleZip(dir, "stdin");
    const target = new MemoryTarget();
    const stdin = Readable.from([`${JSON.stringify(moduleRecord(zip))}\n`]);
    const [record] = await push(
      {
        reference: "r.example/m:2",
        target,
        annotations: { "org.example.team": "net" },
        created: new Date(1_700_000_000_000),
      },
      { stdin },
    );
    const manifest = JSON.parse((await manifestBytes(target, "2")).toString());
    expect(manifest.annotations).toEqual({
      "org.example.team": "net",
      "org.opencontainers.image.created": "2023-11-14T22:13:20Z",
    });
    expect(record!.digest).toMatch(/^sha256:/);
  });

  it("reports each blob and the manifest to the hooks", async () => {
    const dir = scratch();
    const zip = writeModuleZip(dir, "hooks");
    const events: string[] = [];
    let progressed = 0;
    const name = (d: Descriptor) => d.annotations?.["org.opencontainers.image.title"] ?? d.mediaType;
    const [record] = await push({
      reference: "r.example/m:1",
      zip: zip.file,
      target: new MemoryTarget(),
      hooks: {
        onStart: (d) => events.push(`start ${name(d)}`),
        onProgress: (d, n) => (progressed = d.digest === zip.digest ? Math.max(progressed, n) : progressed),
        onCopied: (d) => events.push(`copied ${name(d)}`),
      },
    });
    const config = "application/vnd.oci.empty.v1+json";
    const manifest = "application/vnd.oci.image.manifest.v1+json";
    expect(events.slice(0, 4).sort()).toEqual(
      [`start ${config}`, "start module.zip", `copied ${config}`, "copied module.zip"].sort(),
    );
    // Blobs first, the manifest last.
    expect(events.slice(4)).toEqual([`start ${manifest}`, `copied ${manifest}`]);
    expect(progressed).toBe(zip.size);
    expect(record!.blobsCopied).toBe(2);
  });

  it("attaches an SBOM as a referrer of the pushed manifest", async () => {
    const dir = scratch();
    const zip = writeModuleZip(dir, "sbom");
    const sbom = join(dir, "bom.json");
    writeFileSync(sbom, CYCLONEDX);
    const target = new MemoryTarget();
    const [record] = await push({ reference: "r.example/m:1", zip: zip.file, sboms: [sbom], target });
    const referrers = await target.referrers({
      mediaType: record!.mediaType,
      digest: record!.digest,
      size: 0,
    } as Descriptor);
    expect(referrers.map((r) => r.artifactType)).toEqual(["application/vnd.cyclonedx+json"]);
    expect(record!.referrers).toEqual([
      { digest: referrers[0]!.digest, artifactType: "application/vnd.cyclonedx+json", file: sbom },
    ]);
  });
});

// Issue 22, item 8: SIGINT during `push --oci-layout` of a big blob was ignored: the push finished,
// tagged and exited 0. The layout's writes now stop at the signal and leave nothing.
describe("push: cancelled into an OCI layout", () => {
  it("stops mid-blob, leaving no blob, temp file or tag", async () => {
    const dir = scratch();
    const zip = await writeLargeZip(dir, 32 * 1024 * 1024);
    const layout = join(dir, "layout");
    const controller = new AbortController();
    const hooks = { onProgress: (_descriptor: Descriptor, bytes: number) => bytes > 1024 * 1024 && controller.abort() };
    const error = await push(
      { reference: `${layout}:1.0.0`, ociLayout: true, zip: zip.file, hooks },
      { signal: controller.signal },
    ).catch((e: unknown) => e);
    expect(controller.signal.aborted).toBe(true);
    expect(error, String(error)).toBeInstanceOf(Error);
    expect(
      readdirSync(join(layout, "blobs", "sha256")).filter(
        (name) => name === zip.digest.slice(7) || name.endsWith(".tmp"),
      ),
    ).toEqual([]);
    expect(
      existsSync(join(layout, "index.json"))
        ? JSON.parse(readFileSync(join(layout, "index.json"), "utf8")).manifests
        : [],
    ).toEqual([]);
  });
});

describe("push: zip bombs", () => {
  it.each([
    ["by ratio", ratioBomb("main.tf"), /expands \d+x/],
    ["by size", sizeBomb("main.tf"), /unpacks to more than/],
  ])("refuses a module zip that is a bomb %s, pushing nothing (exit 6)", async (_kind, bytes, message) => {
    const file = join(scratch(), "bomb.zip");
    writeFileSync(file, bytes);
    const target = new MemoryTarget();
    const error = await push({ reference: "registry.example.com/modules/net:1.0.0", zip: file, target }).catch(
      (e: unknown) => e,
    );
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toMatch(message);
    expect(await target.resolve("1.0.0").catch(() => undefined)).toBeUndefined();
  });
});

describe("push: providers", () => {
  function release(dir: string, version = "1.2.0") {
    return [
      writeProviderZip(dir, "thing", version, "linux", "amd64"),
      writeProviderZip(dir, "thing", version, "darwin", "arm64"),
    ];
  }

  it("stores each zip unchanged, one manifest per platform, and the index under the version tag", async () => {
    const dir = scratch();
    const zips = release(dir, "1.2.0+build.7");
    const target = new MemoryTarget();
    const [record] = (await push({
      reference: "r.example/providers/thing",
      packages: [providerRecord("example.com/acme/thing", "1.2.0+build.7", zips)],
      target,
    })) as ProviderArtifactRecord[];

    const index = expectProviderIndex(await manifestBytes(target, "1.2.0_build.7"), zips);
    for (const entry of index.manifests) {
      const zip = zips.find((z) => z.os === entry.platform.os)!;
      expectProviderManifest(await fetchManifestBytes(target, entry), zip);
      expect(
        (await readAll(await target.fetch({ mediaType: "archive/zip", digest: zip.digest, size: zip.size }), zip.size))
          .length,
      ).toBe(zip.size);
    }
    expect(record).toMatchObject({
      type: "provider",
      tag: "1.2.0_build.7",
      source: "r.example/providers/thing",
      provider: "example.com/acme/thing",
      unchanged: false,
    });
    expect(record!.platforms.map((p) => p.zh)).toEqual(zips.map((z) => `zh:${z.digest.slice(7)}`));
  });

  it("pushing the same version again sends nothing and reports unchanged", async () => {
    const dir = scratch();
    const packages = [providerRecord("example.com/acme/thing", "1.0.0", release(dir, "1.0.0"))];
    const target = new MemoryTarget();
    await push({ reference: "r.example/p", packages, target });
    const [again] = await push({ reference: "r.example/p", packages, target });
    expect(again).toMatchObject({ unchanged: true, blobsCopied: 0, manifestsCopied: 0, bytesCopied: 0 });
  });

  it("refuses different content under an existing version tag (exit 1) unless --force", async () => {
    const dir = scratch();
    const target = new MemoryTarget();
    const first = await push({
      reference: "r.example/p",
      packages: [providerRecord("example.com/acme/thing", "1.0.0", release(dir, "1.0.0"))],
      target,
    });
    const changed = [
      providerRecord("example.com/acme/thing", "1.0.0", [
        writeProviderZip(scratch(), "thing", "1.0.0", "linux", "amd64"),
      ]),
    ];
    const error = await push({ reference: "r.example/p", packages: changed, target }).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(1);
    expect(String(error)).toContain("immutable");
    expect((await target.resolve("1.0.0")).digest).toBe(first[0]!.digest);

    const [forced] = (await push({
      reference: "r.example/p",
      packages: changed,
      target,
      force: true,
    })) as ProviderArtifactRecord[];
    expect(forced!.replaced).toBe(first[0]!.digest);
    expect((await target.resolve("1.0.0")).digest).toBe(forced!.digest);
  });

  // Issue 22, item 2: two pushes of different content to one version at once both exited 0,
  // each reporting its own digest, while the tag named one of them.
  it("fails (exit 1), recording nothing, when a concurrent push wins the version tag", async () => {
    const dir = scratch();
    const rival = new MemoryTarget();
    const [theirs] = await push({
      reference: "r.example/p",
      packages: [
        providerRecord("example.com/acme/thing", "1.0.0", [writeProviderZip(dir, "thing", "1.0.0", "linux", "amd64")]),
      ],
      target: rival,
    });
    /** A registry where another job's push of the same version lands right after ours: the last writer wins the tag. */
    class RacedTarget extends MemoryTarget {
      #raced = false;
      override async push(descriptor: Descriptor, content: Content, options: TargetPushOptions = {}): Promise<void> {
        await super.push(descriptor, content, options);
        if (options.tag !== "1.0.0" || this.#raced) return;
        this.#raced = true;
        await copy(rival, theirs!.digest, this, ["1.0.0"]);
      }
    }
    const target = new RacedTarget();
    const error = await push({
      reference: "r.example/p",
      packages: [providerRecord("example.com/acme/thing", "1.0.0", release(dir, "1.0.0"))],
      target,
    }).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(1);
    expect((error as Error).message).toMatch(/another push changed it/);
  });

  it("refuses a REF tag other than the version, and version-like extra tags (exit 2)", async () => {
    const dir = scratch();
    const packages = [providerRecord("example.com/acme/thing", "1.0.0", release(dir, "1.0.0"))];
    const target = new MemoryTarget();
    expect(exitCodeOf(await push({ reference: "r.example/p:2.0.0", packages, target }).catch((e: unknown) => e))).toBe(
      2,
    );
    expect(
      exitCodeOf(await push({ reference: "r.example/p", packages, tags: ["1.0.1"], target }).catch((e: unknown) => e)),
    ).toBe(2);
    const [record] = await push({ reference: "r.example/p:1.0.0", packages, tags: ["latest"], target });
    expect(record!.tags).toEqual(["1.0.0", "latest"]);
  });
});
