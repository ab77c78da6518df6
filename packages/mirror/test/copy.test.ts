import { join } from "node:path";
import { MediaType, fetchManifestBytes, parseManifest, type Descriptor, type ImageIndex } from "@tofu-oci/core";
import { buildProviderIndex } from "@tofu-oci/opentofu";
import { OciLayout } from "@tofu-oci/core/layout";
import { referrersTag } from "@tofu-oci/core/remote";
import { parseRecords, runBin, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { RegistryClient, RemoteRepository } from "@tofu-oci/core/remote";
import { staticCredentials } from "@tofu-oci/core";
import { afterAll, describe, expect, inject, it } from "vitest";
import { pushModule, pushProvider } from "./fixtures.js";
import { mirrorOk, registryHelpers, verifyOk } from "./helpers.js";

const registry = inject("registries").plain;
const { repository, close } = registryHelpers(registry);
const scratch = tempDir("tofu-oci-mirror-copy-");
afterAll(async () => {
  await close();
  scratch.cleanup();
});

const plain = ["--plain-http"];

describe("tofu-oci-mirror copy", () => {
  it("round-trips a provider with SBOM referrers and a module registry -> layout -> registry with identical digests", async () => {
    const source = repository("provider-source");
    const provider = await pushProvider(source);
    const moduleSource = repository("module-source");
    const module = await pushModule(moduleSource, "2.1.0");
    const layout = join(scratch.path, "air-gap");

    const out = await mirrorOk([
      "copy",
      `${source.name}:1.0.0`,
      `${layout}:thing-1.0.0`,
      "--to-oci-layout",
      "--recursive",
      ...plain,
    ]);
    expect(out[0]).toMatchObject({
      kind: "artifact",
      type: "provider",
      digest: provider.index.digest,
      sourceDigest: provider.index.digest,
      tag: "thing-1.0.0",
    });
    // 4 zips + empty config + 4 SBOM blobs; index + 4 platform manifests + 4 SBOM manifests
    expect(out[0]).toMatchObject({
      blobsCopied: 9,
      manifestsCopied: 9,
      blobsSkipped: 0,
      manifestsSkipped: 0,
      unchanged: false,
    });
    expect((out[0]!.referrers as unknown[]).length).toBe(4);
    await mirrorOk(["copy", `${moduleSource.name}:2.1.0`, `${layout}:net-2.1.0`, "--to-oci-layout", ...plain]);

    const providerDestination = repository("provider-destination");
    const moduleDestination = repository("module-destination");
    const back = await mirrorOk([
      "copy",
      `${layout}:thing-1.0.0`,
      `${providerDestination.name}:1.0.0`,
      "--from-oci-layout",
      "-r",
      ...plain,
    ]);
    expect(back[0]).toMatchObject({
      digest: provider.index.digest,
      source: providerDestination.name,
      platforms: expect.any(Array),
    });
    const moduleBack = await mirrorOk([
      "copy",
      `${layout}:net-2.1.0`,
      `${moduleDestination.name}:2.1.0`,
      "--from-oci-layout",
      ...plain,
    ]);
    expect(moduleBack[0]).toMatchObject({
      type: "module",
      digest: module.digest,
      source: `oci://${moduleDestination.name}?digest=${module.digest}`,
    });

    expect((await providerDestination.resolve("1.0.0")).digest).toBe(provider.index.digest);
    expect((await moduleDestination.resolve("2.1.0")).digest).toBe(module.digest);
    expect(
      Buffer.from(await fetchManifestBytes(providerDestination, provider.index)).equals(
        Buffer.from(await fetchManifestBytes(source, provider.index)),
      ),
    ).toBe(true);
    const found = await Promise.all(provider.manifests.map((m) => providerDestination.referrers(m.descriptor)));
    expect(
      found
        .flat()
        .map((d) => d.digest)
        .sort(),
    ).toEqual(provider.sboms.map((d) => d.digest).sort());
    // distribution 2.8 has no referrers API: the copy wrote the referrers tag schema index.
    expect((await providerDestination.resolve(referrersTag(provider.manifests[0]!.descriptor))).mediaType).toBe(
      MediaType.imageIndex,
    );

    // tofu-oci-verify passes on the far side.
    await verifyOk(`${providerDestination.name}:1.0.0`, "provider");
    await verifyOk(`${moduleDestination.name}:2.1.0`, "module");
  });

  it("skips what the destination has and mounts blobs within one registry", async () => {
    const source = repository("mount-source");
    await pushProvider(source);
    const destination = repository("mount-destination");
    const [first] = await mirrorOk(["copy", `${source.name}:1.0.0`, destination.name, "-r", ...plain]);
    expect(first).toMatchObject({ tag: "1.0.0", blobsMounted: 9, blobsCopied: 0, manifestsCopied: 9 });
    const [again] = await mirrorOk(["copy", `${source.name}:1.0.0`, destination.name, "-r", ...plain]);
    expect(again).toMatchObject({
      unchanged: true,
      blobsCopied: 0,
      manifestsCopied: 0,
      bytesCopied: 0,
      blobsMounted: 0,
    });
    expect(again!.manifestsSkipped).toBeGreaterThan(0);
  });

  it("--platform builds the index buildProviderIndex would, keeps the zips, and says the digest changed", async () => {
    const source = repository("platform-source");
    const provider = await pushProvider(source);
    const destination = repository("platform-destination");
    const result = await mirrorOk([
      "copy",
      `${source.name}:1.0.0`,
      `${destination.name}:1.0.0`,
      "--platform",
      "linux_amd64",
      "--platform",
      "darwin/arm64",
      ...plain,
    ]);

    const kept = provider.manifests.filter(({ manifest }) => {
      const { os, architecture } = manifest.layers[0]!.platform!;
      return ["darwin_arm64", "linux_amd64"].includes(`${os}_${architecture}`);
    });
    const expected = buildProviderIndex({ manifests: kept });
    expect(result[0]).toMatchObject({
      digest: expected.descriptor.digest,
      sourceDigest: provider.index.digest,
      note: expect.stringContaining("the index digest changed"),
    });
    const stored = await destination.resolve("1.0.0");
    expect(stored.digest).toBe(expected.descriptor.digest);
    const index = parseManifest(await fetchManifestBytes(destination, stored)) as ImageIndex;
    expect(index.artifactType).toBe("application/vnd.opentofu.provider");
    expect(index.manifests.map((m: Descriptor) => m.digest)).toEqual(kept.map((m) => m.descriptor.digest));
    for (const platform of ["linux_amd64", "darwin_arm64"])
      expect(await destination.exists(provider.zips.get(platform)!)).toBe(true);
    expect(await destination.exists(provider.zips.get("windows_amd64")!)).toBe(false);
  });

  it("--all-tags copies every tag and leaves referrers tag-schema tags to --recursive", async () => {
    const source = repository("all-tags-source");
    const first = await pushModule(source, "1.0.0");
    const second = await pushModule(source, "1.1.0");
    await pushProvider(source, "9.9.9");
    const layout = join(scratch.path, "all-tags");
    const records = await mirrorOk(["copy", source.name, layout, "--all-tags", "--to-oci-layout", ...plain]);
    expect(records.map((r) => r.tag)).toEqual(["1.0.0", "1.1.0", "9.9.9"]);
    const copied = await OciLayout.open(layout);
    expect((await copied.resolve("1.0.0")).digest).toBe(first.digest);
    expect((await copied.resolve("1.1.0")).digest).toBe(second.digest);
  });

  it("--shard K/N: N shards together copy exactly what one run copies, each tag once, and re-run incrementally", async () => {
    const source = repository("shard-source");
    const tags = Array.from({ length: 8 }, (_, i) => `1.${i}.0`);
    for (const tag of tags) await pushModule(source, tag);
    const whole = await mirrorOk(["copy", source.name, repository("shard-whole").name, "--all-tags", ...plain]);
    const sharded = repository("shard-parts");
    const shares = [];
    for (const k of [1, 2, 3])
      shares.push(await mirrorOk(["copy", source.name, sharded.name, "--all-tags", "--shard", `${k}/3`, ...plain]));
    const pushed = shares.flat().map((r) => `${r.tag} ${r.digest}`);
    expect(pushed.sort()).toEqual(whole.map((r) => `${r.tag} ${r.digest}`).sort());
    expect(new Set(pushed).size).toBe(tags.length);
    // Every share did some of the work on this tag set (the split is by a hash of the tag).
    expect(shares.every((share) => share.length > 0 && share.every((r) => r.unchanged === false))).toBe(true);
    const tagged = [];
    for await (const tag of sharded.tags()) tagged.push(tag);
    expect(tagged.sort()).toEqual(tags);
    // A re-run of a share finds its own tags done and copies nothing.
    const again = await mirrorOk(["copy", source.name, sharded.name, "--all-tags", "--shard", "2/3", ...plain]);
    expect(again.map((r) => r.tag)).toEqual(shares[1]!.map((r) => r.tag));
    expect(again.every((r) => r.unchanged === true && r.bytesCopied === 0)).toBe(true);
  });

  it("copies within a token-auth registry with -u and --password-stdin, mounting the blobs", async () => {
    const token = inject("registries").token;
    const client = new RegistryClient({
      plainHttp: true,
      credentials: staticCredentials({ username: token.username!, password: token.password! }),
    });
    try {
      const source = new RemoteRepository(client, token.host, uniqueRepository("mirror/token-source"));
      const provider = await pushProvider(source);
      const destination = `${token.host}/${uniqueRepository("mirror/token-destination")}`;
      const result = await runBin(
        "mirror",
        [
          "copy",
          `${source.name}:1.0.0`,
          destination,
          "-r",
          "--plain-http",
          "-u",
          token.username!,
          "--password-stdin",
          "--format",
          "json",
        ],
        { stdin: `${token.password}\n` },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(parseRecords(result.stdout)[0]).toMatchObject({ digest: provider.index.digest, blobsMounted: 9 });
      expect(result.stdout + result.stderr).not.toContain(token.password!);
    } finally {
      await client.close();
    }
  });
});
