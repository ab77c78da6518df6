import { openTarget, type Target } from "@tofu-oci/core";
import { RegistryStorage, lyingSizeZip, uniqueRepository } from "@tofu-oci/testkit";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { verify, type VerifyOptions, type VerifyRecord } from "../src/index.js";
import { ArtifactWriter, imageManifest } from "./artifacts.js";
import { buildZip } from "./zip-builder.js";

const registry = inject("registries").plain;
const clientOptions = { plainHttp: true };

const MODULE_ZIP = buildZip([
  { name: "main.tf", content: 'variable "cidr" {}\n' },
  { name: "modules/", content: "" },
  { name: "modules/vpc/", content: "" },
  { name: "modules/vpc/main.tf", content: 'resource "null_resource" "x" {}\n' },
  { name: "README.md", content: "# net\n" },
]);
const providerZip = (type: string, os: string) =>
  buildZip([{ name: `terraform-provider-${type}_v1.2.3`, content: `#!/bin/sh\necho ${os}\n`, mode: 0o755 }]);

/** One corpus artifact: how to write it, what to verify, and the verdict OpenTofu would give. */
interface Case {
  name: string;
  /** Writes the artifact into the repository; returns the REF to verify (relative to HOST/REPO). */
  build: (writer: ArtifactWriter, repo: string, storage: RegistryStorage) => Promise<string>;
  options?: Omit<VerifyOptions, "reference">;
  /** undefined: passes; else the id of the first failing check (and its platform). */
  fails?: string;
  platform?: string;
  type: "module" | "provider";
}

const zipLayer = { bytes: MODULE_ZIP };

const CASES: Case[] = [
  {
    name: "valid module",
    type: "module",
    build: async (w) => (await w.module({ tag: "1.0.0", layers: [zipLayer] }), ":1.0.0"),
  },
  {
    name: "valid module with //subdir",
    type: "module",
    build: async (w, repo) => (
      await w.module({ tag: "1.0.0", layers: [zipLayer] }), `oci://${registry.host}/${repo}//modules/vpc?tag=1.0.0`
    ),
  },
  {
    name: "module with an extra non-zip layer (ignored by OpenTofu)",
    type: "module",
    build: async (w) => (
      await w.module({ tag: "v1", layers: [zipLayer, { bytes: Buffer.from("notes"), mediaType: "text/plain" }] }), ":v1"
    ),
  },
  {
    name: "module by default tag latest",
    type: "module",
    build: async (w) => (await w.module({ tag: "latest", layers: [zipLayer] }), ""),
  },
  {
    name: "wrong artifactType",
    type: "module",
    fails: "artifact-type",
    build: async (w) => (
      await w.module({ tag: "1", artifactType: "application/vnd.example.thing", layers: [zipLayer] }), ":1"
    ),
  },
  {
    name: "missing artifactType",
    type: "module",
    fails: "artifact-type",
    build: async (w) => (await w.module({ tag: "1", artifactType: null, layers: [zipLayer] }), ":1"),
  },
  {
    name: "two zip layers",
    type: "module",
    fails: "zip-layer",
    build: async (w) => (
      await w.module({ tag: "1", layers: [zipLayer, { bytes: buildZip([{ name: "b.tf", content: "" }]) }] }), ":1"
    ),
  },
  {
    name: "no zip layer",
    type: "module",
    fails: "zip-layer",
    build: async (w) => (await w.module({ tag: "1", layers: [] }), ":1"),
  },
  {
    name: "wrong layer media type",
    type: "module",
    fails: "zip-layer",
    build: async (w) => (
      await w.module({ tag: "1", layers: [{ bytes: MODULE_ZIP, mediaType: "application/zip" }] }), ":1"
    ),
  },
  {
    name: "blob digest mismatch (planted damaged layer)",
    type: "module",
    fails: "layer-digest",
    build: async (w, repo, storage) => {
      // Blobs are shared by every repository of the registry: damage a zip only this case uses.
      const zip = buildZip([{ name: "main.tf", content: `# ${repo}\n` }]);
      await w.module({ tag: "1", layers: [{ bytes: zip }] });
      const damaged = Buffer.from(zip);
      damaged[40] = damaged[40]! ^ 0xff;
      storage.plantBlob(repo, damaged, (await w.blob(zip, "archive/zip")).digest);
      return ":1";
    },
  },
  {
    name: "zip-slip entry",
    type: "module",
    fails: "zip-entry-names",
    build: async (w) => (
      await w.module({
        tag: "1",
        layers: [{ bytes: buildZip([{ name: "main.tf" }, { name: "../evil.tf", content: "x" }]) }],
      }),
      ":1"
    ),
  },
  {
    name: "absolute entry name (unpacked under the module by go-getter)",
    type: "module",
    build: async (w) => (
      await w.module({ tag: "1", layers: [{ bytes: buildZip([{ name: "/main.tf", content: "" }]) }] }), ":1"
    ),
  },
  {
    name: "empty zip",
    type: "module",
    fails: "zip-format",
    build: async (w) => (await w.module({ tag: "1", layers: [{ bytes: buildZip([]) }] }), ":1"),
  },
  {
    name: "bad CRC-32",
    type: "module",
    fails: "zip-format",
    build: async (w) => (
      await w.module({ tag: "1", layers: [{ bytes: buildZip([{ name: "main.tf", content: "x", crc: 1234 }]) }] }), ":1"
    ),
  },
  // Issue 22, item 9: this crashed verify (exit 70, "too many bytes in the stream") with no record.
  {
    name: "declared sizes that lie",
    type: "module",
    fails: "zip-format",
    build: async (w) => (await w.module({ tag: "1", layers: [{ bytes: lyingSizeZip("main.tf") }] }), ":1"),
  },
  {
    name: "file and directory with one name",
    type: "module",
    fails: "zip-unpack",
    build: async (w) => (
      await w.module({
        tag: "1",
        layers: [
          {
            bytes: buildZip([
              { name: "a", content: "x" },
              { name: "a/b.tf", content: "" },
            ]),
          },
        ],
      }),
      ":1"
    ),
  },
  {
    name: "missing subdir",
    type: "module",
    fails: "subdir",
    build: async (w, repo) => (
      await w.module({ tag: "1", layers: [zipLayer] }), `oci://${registry.host}/${repo}//modules/dns?tag=1`
    ),
  },
  {
    name: "subdir is a file",
    type: "module",
    fails: "subdir",
    build: async (w, repo) => (
      await w.module({ tag: "1", layers: [zipLayer] }), `oci://${registry.host}/${repo}//README.md?tag=1`
    ),
  },
  {
    name: "tag not found",
    type: "module",
    fails: "resolve",
    build: async (w) => (await w.module({ tag: "1", layers: [zipLayer] }), ":2"),
  },
  {
    name: "module reference selects an index",
    type: "module",
    fails: "manifest-media-type",
    options: { type: "module" },
    build: async (w) => (
      await w.provider({
        tag: "1.0.0",
        platforms: [{ os: "linux", arch: "amd64", zip: providerZip("thing", "linux") }],
      }),
      ":1.0.0"
    ),
  },
  {
    name: "valid provider, two platforms",
    type: "provider",
    build: async (w) => (await w.provider({ tag: "1.2.3", platforms: [linux, darwin] }), ":1.2.3"),
  },
  {
    name: "provider version with build metadata, tag 1.2.3_build.5",
    type: "provider",
    build: async (w) => (await w.provider({ tag: "1.2.3_build.5", platforms: [linux] }), ":1.2.3_build.5"),
  },
  {
    name: "+ in a tag",
    type: "provider",
    fails: "version-tag",
    build: async (w) => (await w.provider({ tag: "1.2.3_build.5", platforms: [linux] }), ":1.2.3+build.5"),
  },
  {
    name: "tag that is not a normalized version",
    type: "provider",
    fails: "version-tag",
    options: { type: "provider" },
    build: async (w) => (await w.provider({ tag: "1.2", platforms: [linux] }), ":1.2"),
  },
  {
    name: "missing platform",
    type: "provider",
    fails: "platform-manifest",
    platform: "windows_amd64",
    options: { platforms: ["windows/amd64"] },
    build: async (w) => (await w.provider({ tag: "1.2.3", platforms: [linux, darwin] }), ":1.2.3"),
  },
  {
    name: "index without provider artifactType",
    type: "provider",
    fails: "artifact-type",
    options: { type: "provider" },
    build: async (w) => (await w.provider({ tag: "1.0.0", artifactType: null, platforms: [linux] }), ":1.0.0"),
  },
  {
    name: "image manifest where an index is required",
    type: "provider",
    fails: "manifest-media-type",
    options: { type: "provider" },
    build: async (w) => {
      const layer = await w.blob(providerZip("thing", "linux"), "archive/zip");
      await w.config();
      await w.manifest(imageManifest("application/vnd.opentofu.provider-target", [layer]), { tag: "1.0.0" });
      return ":1.0.0";
    },
  },
  {
    name: "layer platform mismatch",
    type: "provider",
    fails: "layer-platform",
    platform: "linux_amd64",
    build: async (w) => (
      await w.provider({
        tag: "1.0.0",
        platforms: [{ ...linux, layerPlatform: { os: "linux", architecture: "arm64" } }],
      }),
      ":1.0.0"
    ),
  },
  {
    name: "platform manifest without provider-target artifactType",
    type: "provider",
    fails: "artifact-type",
    platform: "linux_amd64",
    build: async (w) => (
      await w.provider({ tag: "1.0.0", platforms: [{ ...linux, manifestArtifactType: null }] }), ":1.0.0"
    ),
  },
  {
    name: "index entry without platform",
    type: "provider",
    fails: "platform-manifest",
    platform: "linux_amd64",
    options: { platforms: ["linux_amd64"] },
    build: async (w) => (
      await w.provider({ tag: "1.0.0", platforms: [{ ...linux, entryWithoutPlatform: true }] }), ":1.0.0"
    ),
  },
  {
    name: "provider zip without the executable",
    type: "provider",
    fails: "provider-executable",
    platform: "linux_amd64",
    build: async (w) => (
      await w.provider({
        tag: "1.0.0",
        platforms: [{ ...linux, zip: buildZip([{ name: "README.md", content: "x" }]) }],
      }),
      ":1.0.0"
    ),
  },
  {
    name: "provider with two zip layers",
    type: "provider",
    fails: "zip-layer",
    platform: "linux_amd64",
    build: async (w) => (
      await w.provider({
        tag: "1.0.0",
        platforms: [{ ...linux, extraLayers: [{ bytes: providerZip("thing", "x") }] }],
      }),
      ":1.0.0"
    ),
  },
  {
    name: "platform manifest declared over 5 MiB in the index",
    type: "provider",
    fails: "manifest-size",
    platform: "linux_amd64",
    build: async (w) => (
      await w.provider({ tag: "1.0.0", platforms: [{ ...linux, entrySize: 5 * 1024 * 1024 }] }), ":1.0.0"
    ),
  },
];

const linux = { os: "linux", arch: "amd64", zip: providerZip("thing", "linux") };
const darwin = { os: "darwin", arch: "arm64", zip: providerZip("thing", "darwin") };

describe("the corpus: artifacts in a real registry, each with OpenTofu's verdict", () => {
  const storage = new RegistryStorage(registry.dataDir);
  const results = new Map<string, VerifyRecord>();

  beforeAll(async () => {
    await Promise.all(
      CASES.map(async (testCase) => {
        const repo = uniqueRepository("verify/corpus");
        const { target } = await openTarget(`${registry.host}/${repo}`, { clientOptions });
        const ref = await testCase.build(new ArtifactWriter(target as Target), repo, storage);
        const reference = ref.startsWith("oci://") ? ref : `${registry.host}/${repo}${ref}`;
        const [record] = await verify({ reference, clientOptions, ...testCase.options });
        results.set(testCase.name, record!);
      }),
    );
  }, 120_000);

  it("has at least 20 artifacts", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });

  for (const testCase of CASES) {
    it(`${testCase.name}: ${testCase.fails ? `fails ${testCase.fails}` : "passes"}`, () => {
      const record = results.get(testCase.name)!;
      expect(record.type).toBe(testCase.type);
      const failed = record.checks.filter((check) => !check.ok);
      if (!testCase.fails) {
        expect(failed, JSON.stringify(record.checks, null, 1)).toEqual([]);
        expect(record.ok).toBe(true);
        return;
      }
      expect(record.ok).toBe(false);
      expect(
        failed.map((check) => check.id),
        JSON.stringify(record.checks, null, 1),
      ).toEqual([testCase.fails]);
      if (testCase.platform) expect(failed[0]!.platform).toBe(testCase.platform);
      expect(failed[0]!.message.length).toBeGreaterThan(20);
    });
  }
});
