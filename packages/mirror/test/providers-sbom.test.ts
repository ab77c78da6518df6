import { MediaType, fetchManifest, readAll, type ImageManifest } from "@tofu-oci/core";
import { RegistryClient, RemoteRepository, referrersTag } from "@tofu-oci/core/remote";
import { GREET, MAIN_MODULE, goProgram, tempDir, type TestProviderRegistry } from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { ProviderMirrorRecord } from "../src/providers.js";
import { freshTemplate, mirror, startTestProviderRegistry } from "./provider-fixtures.js";

const registry = inject("registries").plain;
const scratch = tempDir();
const GO_PLATFORMS = ["darwin_arm64", "linux_amd64", "windows_amd64"];
let source: TestProviderRegistry;
let client: RegistryClient;
let greetSum: string;

beforeAll(async () => {
  const program = goProgram(scratch.path);
  greetSum = program.greetSum;
  for (const platform of GO_PLATFORMS) program.build(platform);
  source = await startTestProviderRegistry([
    {
      namespace: "acme",
      type: "hello",
      versions: [{ version: "1.0.0", platforms: [...GO_PLATFORMS, "linux_arm64"] }],
      // linux_arm64 carries a text file instead: it gets the minimal SBOM.
      executable: (_version, platform) =>
        GO_PLATFORMS.includes(platform) ? program.build(platform) : Buffer.from("#!/bin/sh\necho not go\n"),
    },
  ]);
  client = new RegistryClient({ plainHttp: true });
}, 300_000);

afterAll(async () => {
  await source?.stop();
  await client?.close();
  scratch.cleanup();
});

describe("--sbom: CycloneDX from the provider executable's Go build info", () => {
  const template = freshTemplate(registry.host);

  it("attaches one SBOM per platform manifest, listing the real module dependency, found through the referrers tag schema", async () => {
    const result = await mirror({
      providers: [`${source.host}/acme/hello`],
      to: template,
      platforms: ["all"],
      sbom: true,
    });
    expect(result.failures).toEqual([]);
    const [record] = result.records as ProviderMirrorRecord[];
    expect(record!.sboms).toHaveLength(4);
    expect(result.warnings.filter((w) => w.includes("minimal SBOM"))).toHaveLength(1);
    const repository = new RemoteRepository(client, registry.host, record!.repository);
    for (const platform of record!.platforms) {
      const subject = { mediaType: MediaType.imageManifest, digest: platform.digest, size: 0 };
      // The referrers tag schema: an index tagged sha256-<hex of the platform manifest digest>.
      const { manifest: index } = await fetchManifest(repository, await repository.resolve(referrersTag(subject)));
      expect("manifests" in index && index.manifests.map((m) => m.artifactType)).toEqual([MediaType.cyclonedxJson]);
      const referrer = (index as { manifests: Array<{ digest: string; mediaType: string; size: number }> })
        .manifests[0]!;
      const { manifest } = await fetchManifest(repository, referrer);
      expect((manifest as ImageManifest).subject?.digest).toBe(platform.digest);
      const layer = (manifest as ImageManifest).layers[0]!;
      const bom = JSON.parse((await readAll(await repository.fetch(layer), 1 << 20)).toString("utf8"));
      expect(bom).toMatchObject({ bomFormat: "CycloneDX", specVersion: "1.6" });
      const key = `${platform.os}_${platform.arch}`;
      if (!GO_PLATFORMS.includes(key)) {
        expect(bom.components ?? []).toEqual([]);
        continue;
      }
      expect(bom.metadata.component).toMatchObject({ name: MAIN_MODULE, version: "(devel)" });
      const properties = Object.fromEntries(
        bom.metadata.component.properties.map((p: { name: string; value: string }) => [p.name, p.value]),
      );
      expect(properties).toMatchObject({
        "cdx:gomod:build:env:GOOS": platform.os,
        "cdx:gomod:build:env:GOARCH": platform.arch,
        "tofu-oci:provider:package:hash": platform.zh,
      });
      expect(properties["cdx:go:version"]).toMatch(/^go1\./);
      const greet = bom.components.find((c: { name: string }) => c.name === GREET.path);
      expect(greet).toMatchObject({ version: GREET.version, purl: `pkg:golang/${GREET.path}@${GREET.version}` });
      expect(greet.hashes).toEqual([
        { alg: "SHA-256", content: Buffer.from(greetSum.slice(3), "base64").toString("hex") },
      ]);
      expect(bom.components.map((c: { purl: string }) => c.purl)).toContainEqual(
        expect.stringMatching(/^pkg:golang\/stdlib@v1\./),
      );
    }
  });

  it("finds the SBOMs on a re-run and sends nothing", async () => {
    const result = await mirror({
      providers: [`${source.host}/acme/hello`],
      to: template,
      platforms: ["all"],
      sbom: true,
    });
    const [record] = result.records as ProviderMirrorRecord[];
    expect(record).toMatchObject({ unchanged: true, bytesDownloaded: 0, bytesCopied: 0, sboms: [] });
  });
});
