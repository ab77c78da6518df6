import { buildModuleManifest } from "@tofu-oci/opentofu";
import { REGISTRY_MODES, parseRecords, skopeo, skopeoInspectRaw, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { afterAll, describe, expect, inject, it } from "vitest";
import { providerRecord, writeModuleZip, writeProviderZip } from "./fixtures.js";
import {
  clientFor,
  onlyRecord,
  passwordStdinFlags,
  registryFlags,
  repositoryOf,
  runPush,
  tagsOf,
} from "./registry-helpers.js";
import { digestOf, expectModuleManifest, expectProviderIndex, expectProviderManifest } from "./rules.js";

const registries = inject("registries");
const dir = tempDir("tofu-oci-push-it-");
afterAll(() => dir.cleanup());

describe.each(REGISTRY_MODES)("tofu-oci-push against distribution (%s)", (mode) => {
  const registry = registries[mode];
  const flags = registryFlags(registry, dir.path);

  it("pushes a module zip: §3 manifest, skopeo sees our bytes, the second push uploads 0 bytes", async () => {
    const repository = uniqueRepository(`push/${mode}/module`);
    const zip = writeModuleZip(dir.path, `${mode}-module`, `network-${mode}.zip`);
    const auth = passwordStdinFlags(registry);
    const ref = `${registry.host}/${repository}:1.0.0`;
    const record = onlyRecord(
      await runPush([ref, zip.file, ...auth.flags, "--tag", "stable"], auth.stdin ? { stdin: auth.stdin } : {}),
    );

    const raw = await skopeoInspectRaw(ref, registry.skopeoFlags);
    expect(digestOf(raw)).toBe(record.digest);
    expect(raw.equals(Buffer.from(buildModuleManifest({ layer: zip, title: `network-${mode}.zip` }).bytes))).toBe(true);
    expectModuleManifest(raw, { ...zip, title: `network-${mode}.zip` });
    expect(record).toMatchObject({
      kind: "artifact",
      type: "module",
      registry: registry.host,
      repository,
      tags: ["1.0.0", "stable"],
      source: `oci://${registry.host}/${repository}?digest=${record.digest}`,
      sourceByTag: `oci://${registry.host}/${repository}?tag=1.0.0`,
      blobsCopied: 2,
      unchanged: false,
    });
    expect(digestOf(await skopeoInspectRaw(`${registry.host}/${repository}:stable`, registry.skopeoFlags))).toBe(
      record.digest,
    );

    const again = onlyRecord(
      await runPush([ref, zip.file, ...auth.flags, "--tag", "stable"], auth.stdin ? { stdin: auth.stdin } : {}),
    );
    expect(again).toMatchObject({ digest: record.digest, unchanged: true, blobsCopied: 0, bytesCopied: 0 });
  });

  it("pushes a provider from stdin records: §3 index and platform manifests; identical again sends nothing; changed content is refused", async () => {
    const repository = uniqueRepository(`push/${mode}/provider`);
    const version = "2.1.0+ent.1";
    const zips = [
      writeProviderZip(dir.path, `thing${mode}`, version, "linux", "amd64"),
      writeProviderZip(dir.path, `thing${mode}`, version, "darwin", "arm64"),
    ];
    const stdin = `${JSON.stringify(providerRecord(`example.com/acme/thing${mode}`, version, zips))}\n`;
    const ref = `${registry.host}/${repository}`;
    const record = onlyRecord(await runPush([ref, ...flags], { stdin }));
    expect(record).toMatchObject({
      type: "provider",
      tag: "2.1.0_ent.1",
      source: ref,
      version,
      unchanged: false,
      blobsCopied: 3,
    });

    const raw = await skopeoInspectRaw(`${ref}:2.1.0_ent.1`, registry.skopeoFlags);
    expect(digestOf(raw)).toBe(record.digest);
    const index = expectProviderIndex(raw, zips);
    for (const entry of index.manifests) {
      const zip = zips.find((z) => z.os === entry.platform.os)!;
      const platformRaw = await skopeoInspectRaw(`${ref}@${entry.digest}`, registry.skopeoFlags);
      expect(digestOf(platformRaw)).toBe(entry.digest);
      expectProviderManifest(platformRaw, zip);
    }

    const again = onlyRecord(await runPush([ref, ...flags], { stdin }));
    expect(again).toMatchObject({ digest: record.digest, unchanged: true, blobsCopied: 0, bytesCopied: 0 });

    const changed = `${JSON.stringify(providerRecord(`example.com/acme/thing${mode}`, version, [writeProviderZip(dir.path, `other${mode}`, version, "linux", "amd64")]))}\n`;
    const refused = await runPush([ref, ...flags], { stdin: changed });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/immutable/);
    expect(digestOf(await skopeoInspectRaw(`${ref}:2.1.0_ent.1`, registry.skopeoFlags))).toBe(record.digest);
  });
});

describe("tofu-oci-push features (plain registry)", () => {
  const registry = registries.plain;
  const flags = ["--plain-http"];

  it("mounts blobs from another repository of the same registry", async () => {
    const token = registries.token;
    const tokenFlags = registryFlags(token, dir.path);
    const zip = writeModuleZip(dir.path, "mount", "mount.zip");
    const first = uniqueRepository("push/mount/a");
    onlyRecord(await runPush([`${token.host}/${first}:1`, zip.file, ...tokenFlags]));
    const second = onlyRecord(
      await runPush([
        `${token.host}/${uniqueRepository("push/mount/b")}:1`,
        zip.file,
        ...tokenFlags,
        "--mount-from",
        first,
      ]),
    );
    expect(second).toMatchObject({ blobsMounted: 2, blobsCopied: 0 });
  });

  it("pushes into an OCI layout that skopeo reads back byte for byte", async () => {
    const zip = writeModuleZip(dir.path, "layout", "layout.zip");
    const layout = `${dir.path}/layout-${Date.now()}`;
    const record = onlyRecord(await runPush(["--oci-layout", `${layout}:1.0.0`, zip.file]));
    expect(record).toMatchObject({ registry: "", repository: layout, source: `${layout}@${record.digest}` });
    const bytes = await skopeo(["inspect", "--raw", `oci:${layout}:1.0.0`]);
    expect(digestOf(bytes)).toBe(record.digest);
  });

  it("reads several records and prints one artifact record per input", async () => {
    const repository = uniqueRepository("push/multi");
    const version = "0.3.0";
    const records = [
      providerRecord("example.com/acme/multi", version, [
        writeProviderZip(dir.path, "multi", version, "linux", "amd64"),
      ]),
      providerRecord("example.com/acme/multi", "0.4.0", [
        writeProviderZip(dir.path, "multi", "0.4.0", "linux", "amd64"),
      ]),
    ];
    const result = await runPush([`${registry.host}/${repository}`, ...flags], {
      stdin: records.map((r) => JSON.stringify(r)).join("\n"),
    });
    expect(result.code).toBe(0);
    expect(parseRecords(result.stdout).map((r) => r.tag)).toEqual(["0.3.0", "0.4.0"]);
    const client = clientFor(registry);
    expect((await tagsOf(repositoryOf(client, registry, repository))).sort()).toEqual(["0.3.0", "0.4.0"]);
    await client.close();
  });

  it("prints a text summary with the module source and the oci_mirror snippet", async () => {
    const zip = writeModuleZip(dir.path, "text", "text.zip");
    const repository = uniqueRepository("push/text");
    const text = await runPush([`${registry.host}/${repository}:1.0.0`, zip.file, ...flags, "--format", "text"]);
    expect(text.stdout).toContain(`source = "oci://${registry.host}/${repository}?digest=sha256:`);
    const provider = providerRecord("example.com/acme/snippet", "1.0.0", [
      writeProviderZip(dir.path, "snippet", "1.0.0", "linux", "amd64"),
    ]);
    const providerText = await runPush([`${registry.host}/${repository}-p`, ...flags, "--format", "text"], {
      stdin: JSON.stringify(provider),
    });
    expect(providerText.stdout).toContain(`repository_template = "${registry.host}/${repository}-p"`);
    expect(providerText.stdout).toContain('include             = ["example.com/acme/snippet"]');
  });
});
