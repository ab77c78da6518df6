import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeManifest, fetchManifestBytes, parseManifest, type ImageIndex } from "@tofu-oci/core";
import { RegistryClient, RemoteRepository } from "@tofu-oci/core/remote";
import { tempDir, type TestProviderRegistry } from "@tofu-oci/testkit";
import { verify } from "@tofu-oci/verify";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { ProviderMirrorRecord } from "../src/providers.js";
import { freshTemplate, mirror, startTestProviderRegistry, sumsByFile } from "./provider-fixtures.js";

const registry = inject("registries").plain;
const scratch = tempDir();
let source: TestProviderRegistry;
let client: RegistryClient;

beforeAll(async () => {
  source = await startTestProviderRegistry();
  client = new RegistryClient({ plainHttp: true });
});

afterAll(async () => {
  await source.stop();
  await client.close();
  scratch.cleanup();
});

const widget = () => `${source.host}/acme/widget`;
const gadget = () => `${source.host}/acme/gadget`;
const mirrored = (records: unknown[]) => records as ProviderMirrorRecord[];

async function tags(template: string, namespace: string, type: string): Promise<string[]> {
  const base = template.replace("${namespace}", namespace).replace("${type}", type);
  const repository = new RemoteRepository(client, registry.host, base.slice(registry.host.length + 1));
  const found: string[] = [];
  try {
    for await (const tag of repository.tags()) found.push(tag);
  } catch {
    // A repository that was never pushed to has no tags.
  }
  return found.sort();
}

describe("tofu-oci-mirror providers (library, real registry, local Provider Registry Protocol server)", () => {
  const template = freshTemplate(registry.host);

  it("mirrors 2 versions x 2 platforms as indexes that verify passes, layer digests equal to SHA256SUMS", async () => {
    const result = await mirror({
      providers: [`${widget()}@>= 1.0.0, < 2.0.0`],
      to: template,
      platforms: ["linux_amd64", "darwin/arm64"],
      printConfig: true,
    });
    expect(result.failures).toEqual([]);
    const records = mirrored(result.records);
    expect(records.map((r) => r.version).sort()).toEqual(["1.0.0", "1.1.0"]);
    for (const record of records) {
      expect(record).toMatchObject({
        kind: "artifact",
        type: "provider",
        unchanged: false,
        provider: widget(),
        tag: record.version,
      });
      // The two versions go up at once into one repository: the shared empty config is uploaded
      // by one of them, or by both when their checks for it cross.
      expect(record.blobsCopied + record.blobsSkipped).toBe(3);
      expect(record.blobsCopied).toBeGreaterThanOrEqual(2);
      const sums = sumsByFile(source.sha256sums("acme", "widget", record.version));
      expect(record.platforms.map((p) => `${p.os}_${p.arch}`).sort()).toEqual(["darwin_arm64", "linux_amd64"]);
      for (const platform of record.platforms) {
        const expected = sums.get(`terraform-provider-widget_${record.version}_${platform.os}_${platform.arch}.zip`);
        expect(platform.layerDigest).toBe(`sha256:${expected}`);
        expect(platform.zh).toBe(`zh:${expected}`);
      }
      expect(record.bytesDownloaded).toBe(record.platforms.reduce((sum, p) => sum + p.size, 0));
      const [verdict] = await verify({
        reference: `${record.registry}/${record.repository}:${record.tag}`,
        clientOptions: { plainHttp: true },
      });
      expect(verdict!.ok, JSON.stringify(verdict!.checks.filter((c) => !c.ok))).toBe(true);
      // Each platform manifest records the package's h1:, and it is the one verify computes from the zip.
      expect(verdict!.checks.filter((c) => c.id === "h1-annotation" && c.ok)).toHaveLength(2);
    }
    expect(result.config?.text).toContain(`repository_template = "${template}"`);
    expect(result.config?.include).toEqual([widget()]);
  });

  it("with latest, mirrors only the newest version the constraint matches", async () => {
    const result = await mirror({
      providers: [`${widget()}@>= 1.0.0, < 2.0.0`],
      to: freshTemplate(registry.host),
      platforms: ["linux_amd64"],
      latest: true,
    });
    expect(result.failures).toEqual([]);
    expect(mirrored(result.records).map((r) => r.version)).toEqual(["1.1.0"]);
  });

  it("downloads and uploads nothing on a re-run", async () => {
    const served = source.bytesServed();
    const result = await mirror({
      providers: [`${widget()}@>= 1.0.0, < 2.0.0`],
      to: template,
      platforms: ["linux_amd64", "darwin_arm64"],
    });
    expect(result.failures).toEqual([]);
    for (const record of mirrored(result.records)) {
      expect(record).toMatchObject({ unchanged: true, bytesDownloaded: 0, bytesCopied: 0, blobsCopied: 0 });
    }
    expect(source.bytesServed()).toBe(served);
  });

  it("says unchanged from one provider registry request per version when the index records an unchanged SHA256SUMS", async () => {
    const quick = freshTemplate(registry.host);
    const request = { providers: [`${gadget()}@>= 0.1.0`], to: quick, platforms: ["linux_amd64", "darwin_arm64"] };
    expect((await mirror(request)).failures).toEqual([]);
    const before = source.requests.length;
    const again = await mirror(request);
    expect(again.failures).toEqual([]);
    const records = mirrored(again.records);
    expect(records.map((r) => [r.version, r.unchanged, r.bytesDownloaded, r.blobsCopied]).sort()).toEqual([
      ["0.1.0", true, 0, 0],
      ["0.2.0", true, 0, 0],
    ]);
    expect(records[0]!.checks.map((c) => c.message).join("\n")).toContain("unchanged SHA256SUMS");
    const asked = source.requests.slice(before);
    // Service discovery and the version list for the provider, then one SHA256SUMS per version.
    expect(asked.filter((path) => path.includes("/download/") || path.endsWith(".sig"))).toEqual([]);
    expect(asked.filter((path) => path.endsWith("_SHA256SUMS"))).toHaveLength(2);
    expect(asked).toHaveLength(4);
  });

  it("checks a version in full again when the SHA256SUMS it recorded no longer matches, or it recorded none", async () => {
    const full = freshTemplate(registry.host);
    const request = { providers: [`${gadget()}@0.2.0`], to: full, platforms: ["linux_amd64"] };
    expect((await mirror(request)).failures).toEqual([]);
    const repository = new RemoteRepository(
      client,
      registry.host,
      full
        .replace("${namespace}", "acme")
        .replace("${type}", "gadget")
        .slice(registry.host.length + 1),
    );
    for (const recorded of [`sha256:${"0".repeat(64)}`, undefined]) {
      // The index as an older mirror (no record) or a changed source (another digest) left it.
      const index = parseManifest(
        await fetchManifestBytes(repository, await repository.resolve("0.2.0")),
      ) as ImageIndex;
      const annotations = { ...index.annotations, "dev.tofu-oci.mirror.shasums-digest": recorded };
      if (!recorded)
        for (const key of Object.keys(annotations))
          if (key.startsWith("dev.tofu-oci.mirror.")) delete annotations[key as keyof typeof annotations];
      const edited = encodeManifest<ImageIndex>({ ...index, annotations: annotations as Record<string, string> });
      await repository.push(edited.descriptor, edited.bytes, { tag: "0.2.0" });
      const before = source.requests.length;
      const again = await mirror(request);
      expect(again.failures).toEqual([]);
      expect(mirrored(again.records)[0]).toMatchObject({
        unchanged: true,
        bytesDownloaded: 0,
        digest: edited.descriptor.digest,
      });
      expect(source.requests.slice(before).filter((path) => path.includes("/download/"))).toHaveLength(1);
    }
  });

  it("--shard K/N: the shards together push exactly what one run pushes, each version once, and re-run incrementally", async () => {
    const providers = [`${widget()}@>= 1.0.0`, `${gadget()}@>= 0.1.0`];
    const key = (r: ProviderMirrorRecord) => `${r.provider} ${r.version} ${r.digest}`;
    const whole = mirrored(
      (await mirror({ providers, to: freshTemplate(registry.host), platforms: ["linux_amd64"] })).records,
    );
    const sharded = freshTemplate(registry.host);
    const shares: ProviderMirrorRecord[][] = [];
    for (const index of [1, 2, 3]) {
      const part = await mirror({ providers, to: sharded, platforms: ["linux_amd64"], shard: { index, count: 3 } });
      expect(part.failures).toEqual([]);
      shares.push(mirrored(part.records));
    }
    const pushed = shares.flat().map(key);
    expect(pushed.sort()).toEqual(whole.map(key).sort());
    expect(new Set(pushed).size).toBe(whole.length);
    expect(shares.flat().every((r) => r.unchanged === false)).toBe(true);
    const again = mirrored(
      (await mirror({ providers, to: sharded, platforms: ["linux_amd64"], shard: { index: 2, count: 3 } })).records,
    );
    expect(again.map(key).sort()).toEqual(shares[1]!.map(key).sort());
    expect(again.every((r) => r.unchanged && r.bytesDownloaded === 0 && r.bytesCopied === 0)).toBe(true);
  });

  it("adds a platform to a mirrored version without uploading the zips it has", async () => {
    const result = await mirror({
      providers: [`${widget()}@1.0.0`],
      to: template,
      platforms: ["linux_amd64", "linux_arm64"],
    });
    expect(result.failures).toEqual([]);
    const [record] = mirrored(result.records);
    expect(record!.platforms.map((p) => `${p.os}_${p.arch}`).sort()).toEqual([
      "darwin_arm64",
      "linux_amd64",
      "linux_arm64",
    ]);
    expect(record!.blobsCopied).toBe(1);
    expect(record!.replaced).toMatch(/^sha256:/);
    const [verdict] = await verify({
      reference: `${record!.registry}/${record!.repository}:1.0.0`,
      clientOptions: { plainHttp: true },
    });
    expect(verdict!.ok).toBe(true);
  });

  it("defaults to the newest release and takes a prerelease only when named", async () => {
    const fresh = freshTemplate(registry.host);
    const newest = await mirror({ providers: [widget()], to: fresh, platforms: ["linux_amd64"], dryRun: true });
    expect(newest.records).toMatchObject([{ kind: "plan", version: "2.0.0", action: "mirror" }]);
    const beta = await mirror({ providers: [`${widget()}@2.0.0-beta1`], to: fresh, platforms: ["linux_amd64"] });
    expect(mirrored(beta.records).map((r) => r.version)).toEqual(["2.0.0-beta1"]);
    expect(await tags(fresh, "acme", "widget")).toEqual(["2.0.0-beta1"]);
  });

  it("mirrors every listed platform with --platform all, into an OCI layout that verify passes", async () => {
    const layout = join(scratch.path, "layout");
    const planned = await mirror({
      providers: [`${gadget()}@0.1.0`],
      to: `${layout}/\${namespace}/\${type}`,
      platforms: ["all"],
      ociLayout: true,
      dryRun: true,
    });
    expect(planned.records).toMatchObject([
      { kind: "plan", action: "mirror", platforms: ["darwin_arm64", "linux_amd64", "linux_arm64", "windows_amd64"] },
    ]);
    expect(existsSync(layout)).toBe(false);
    const result = await mirror({
      providers: [`${gadget()}@0.1.0`],
      to: `${layout}/\${namespace}/\${type}`,
      platforms: ["all"],
      ociLayout: true,
    });
    expect(result.failures).toEqual([]);
    const [record] = mirrored(result.records);
    expect(record!.platforms).toHaveLength(4);
    const [verdict] = await verify({ reference: `${layout}/acme/gadget:0.1.0`, ociLayout: true });
    expect(verdict!.ok).toBe(true);
  });

  it("sends TF_TOKEN_<host> to the registry API only, never with packages, SHA256SUMS or signatures", async () => {
    const token = `TF_TOKEN_${source.host.replaceAll(".", "_")}`;
    const before = source.authorized.length;
    const result = await mirror(
      { providers: [`${gadget()}@0.1.0`], to: freshTemplate(registry.host), platforms: ["linux_amd64"] },
      { [token]: "s3cret" },
    );
    expect(result.failures).toEqual([]);
    const sent = source.authorized.slice(before);
    expect(sent.map((s) => s.path)).toEqual(
      expect.arrayContaining([
        "/.well-known/terraform.json",
        "/v1/providers/acme/gadget/versions",
        "/v1/providers/acme/gadget/0.1.0/download/linux/amd64",
      ]),
    );
    expect(sent.every((s) => s.authorization === "Bearer s3cret" && !s.path.startsWith("/files/"))).toBe(true);
  });

  it("never overwrites a mirrored version whose zip differs from the registry's signed one", async () => {
    const other = await startTestProviderRegistry([
      {
        namespace: "acme",
        type: "widget",
        versions: [{ version: "1.0.0", platforms: ["linux_amd64"] }],
        executable: () => Buffer.from("rebuilt\n"),
      },
    ]);
    try {
      const result = await mirror({
        providers: [`${other.host}/acme/widget@1.0.0`],
        to: template,
        platforms: ["linux_amd64"],
      });
      expect(result.failures).toHaveLength(1);
      expect(result.failures[0]!.message).toContain("mirror-content check failed");
      expect(other.bytesServed()).toBe(0);
    } finally {
      await other.stop();
    }
  });

  it("accepts the v1.12 packages metadata when it agrees with the zips", async () => {
    const withPackages = await startTestProviderRegistry(undefined, true);
    try {
      const result = await mirror({
        providers: [`${withPackages.host}/acme/gadget@0.2.0`],
        to: freshTemplate(registry.host),
        platforms: ["linux_amd64"],
      });
      expect(result.failures).toEqual([]);
      expect(
        mirrored(result.records)[0]!
          .checks.filter((c) => c.id === "registry-packages")
          .map((c) => c.ok),
      ).toEqual([true, true]);
    } finally {
      await withPackages.stop();
    }
  });

  describe.each([
    ["zip-bytes", "zip-sha256"],
    ["wrong-key", "signature"],
    ["no-signature", "signature"],
    ["bad-shasum", "sha256sums"],
  ] as const)("fault %s", (fault, check) => {
    it(`fails the ${check} check, pushes nothing of that version, and mirrors the others`, async () => {
      const fresh = freshTemplate(registry.host);
      source.setFault("acme", "gadget", "0.2.0", fault);
      try {
        const result = await mirror({
          providers: [`${gadget()}@>= 0.1.0`],
          to: fresh,
          platforms: ["linux_amd64", "darwin_arm64"],
        });
        expect(result.failures).toHaveLength(1);
        expect(result.failures[0]!.code).toBe("verification-failed");
        expect(result.failures[0]!.message).toContain(`${check} check failed`);
        const failure = result.records.find((r) => r.kind === "verification");
        expect(failure).toMatchObject({ ok: false, version: "0.2.0" });
        expect(await tags(fresh, "acme", "gadget")).toEqual(["0.1.0"]);
      } finally {
        source.setFault("acme", "gadget", "0.2.0", undefined);
      }
    });
  });

  // Issue 22, item 6: an endless download_url body wrote 8 GiB before the checksum failed.
  it("stops an endless zip download at --max-download-size, failing that version as a registry failure", async () => {
    const fresh = freshTemplate(registry.host);
    source.setFault("acme", "gadget", "0.2.0", "endless-zip");
    try {
      const result = await mirror({
        providers: [`${gadget()}@0.2.0`],
        to: fresh,
        platforms: ["linux_amd64", "darwin_arm64"],
        maxDownloadSize: 1024 * 1024,
      });
      expect(result.failures).toHaveLength(1);
      expect(result.failures[0]).toMatchObject({
        code: "network",
        message: expect.stringContaining("is larger than 1048576 bytes, the most one download may write"),
      });
      expect(await tags(fresh, "acme", "gadget")).toEqual([]);
    } finally {
      source.setFault("acme", "gadget", "0.2.0", undefined);
    }
  });

  // Issue 22, item 14: versions whose listed platforms all answered 404 were skipped with a
  // warning each, and the run exited 0.
  it("fails a version whose listed platform has no download (exit 5), instead of skipping it", async () => {
    const fresh = freshTemplate(registry.host);
    source.setFault("acme", "gadget", "0.2.0", "missing-download");
    try {
      const result = await mirror({ providers: [`${gadget()}@>= 0.1.0`], to: fresh, platforms: ["all"] });
      expect(result.failures.map((failure) => [failure.code, failure.message])).toEqual([
        [
          "network",
          expect.stringMatching(/0\.2\.0: the registry lists \w+ for this version but has no download for it/),
        ],
      ]);
      expect(await tags(fresh, "acme", "gadget")).toEqual(["0.1.0"]);
    } finally {
      source.setFault("acme", "gadget", "0.2.0", undefined);
    }
  });

  it("--lockfile mirrors exactly the pinned versions and fails a hash mismatch", async () => {
    const fresh = freshTemplate(registry.host);
    const zh = (type: string, version: string, platform: string) =>
      `zh:${source.zip("acme", type, version, platform).sha256}`;
    const lock = join(scratch.path, ".terraform.lock.hcl");
    writeFileSync(
      lock,
      lockFile([
        {
          address: widget(),
          version: "1.1.0",
          hashes: [zh("widget", "1.1.0", "linux_amd64"), zh("widget", "1.1.0", "darwin_arm64")],
        },
        {
          address: gadget(),
          version: "0.1.0",
          hashes: [zh("gadget", "0.1.0", "linux_amd64"), zh("gadget", "0.1.0", "darwin_arm64")],
        },
      ]),
    );
    const result = await mirror({ lockfile: lock, to: fresh, platforms: ["linux_amd64", "darwin_arm64"] });
    expect(result.failures).toEqual([]);
    expect(
      mirrored(result.records)
        .map((r) => `${r.provider} ${r.version}`)
        .sort(),
    ).toEqual([`${gadget()} 0.1.0`, `${widget()} 1.1.0`]);
    expect(await tags(fresh, "acme", "widget")).toEqual(["1.1.0"]);

    const wrong = join(scratch.path, "wrong.lock.hcl");
    writeFileSync(wrong, lockFile([{ address: widget(), version: "1.0.0", hashes: [`zh:${"0".repeat(64)}`] }]));
    const other = freshTemplate(registry.host);
    const failed = await mirror({ lockfile: wrong, to: other, platforms: ["linux_amd64"] });
    expect(failed.failures[0]?.message).toContain("lock-hashes check failed");
    expect(await tags(other, "acme", "widget")).toEqual([]);
  });
});

/** A `.terraform.lock.hcl` in OpenTofu's format. */
export function lockFile(entries: Array<{ address: string; version: string; hashes: string[] }>): string {
  const blocks = entries.map(({ address, version, hashes }) =>
    [
      `provider "${address}" {`,
      `  version = "${version}"`,
      "  hashes = [",
      ...[...hashes].sort().map((h) => `    "${h}",`),
      "  ]",
      "}",
    ].join("\n"),
  );
  return [
    '# This file is maintained automatically by "tofu init".',
    "# Manual edits may be lost in future updates.",
    "",
    blocks.join("\n\n"),
    "",
  ].join("\n");
}
