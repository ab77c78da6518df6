import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exitCodeOf, fetchManifestBytes } from "@tofu-oci/core";
import { RemoteRepository } from "@tofu-oci/core/remote";
import { binPath, runProcess, skopeo, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { importBundle } from "../src/import-bundle.js";
import { moduleZip as makeModuleZip, pushModule, pushProvider, type TestProvider } from "./fixtures.js";
import { mirror, mirrorOk, registryHelpers, verifyOk } from "./helpers.js";

const registry = inject("registries").plain;
const { client, repository, close } = registryHelpers(registry);
const scratch = tempDir("tofu-oci-mirror-bundle-");
afterAll(async () => {
  await close();
  scratch.cleanup();
});

const bundle = join(scratch.path, "bundle.tar");
const moduleZip = makeModuleZip();
let provider: TestProvider;
let providerSource: RemoteRepository;
let moduleSource: RemoteRepository;
let moduleDigest: string;

beforeAll(async () => {
  providerSource = repository("bundle-provider");
  provider = await pushProvider(providerSource);
  moduleSource = repository("bundle-module");
  moduleDigest = (await pushModule(moduleSource, "2.1.0", moduleZip)).digest;
});

describe("tofu-oci-mirror export and import", () => {
  it("exports artifacts and referrers into one OCI layout tar that skopeo can read", async () => {
    const records = await mirrorOk([
      "export",
      `${providerSource.name}:1.0.0`,
      `${moduleSource.name}:2.1.0`,
      "-o",
      bundle,
      "--plain-http",
    ]);
    expect(records.map((r) => r.kind)).toEqual(["artifact", "artifact", "bundle"]);
    expect(records[0]).toMatchObject({
      type: "provider",
      digest: provider.index.digest,
      from: `${providerSource.name}:1.0.0`,
    });
    expect((records[0]!.referrers as unknown[]).length).toBe(4);
    // 4 zips, empty config, 4 SBOM blobs, 9 provider manifests; module zip and manifest
    expect(records[2]).toMatchObject({ kind: "bundle", file: bundle, artifacts: 2, blobs: 20 });

    const listing = (await runProcess("tar", ["tf", bundle])).stdout.trim().split("\n");
    expect(listing[0]).toBe("oci-layout");
    expect(listing.at(-1)).toBe("index.json");
    const raw = await skopeo(["inspect", "--raw", `oci-archive:${bundle}:2.1.0`]);
    expect(
      raw.equals(
        Buffer.from(
          await fetchManifestBytes(moduleSource, {
            mediaType: "application/vnd.oci.image.manifest.v1+json",
            digest: moduleDigest,
            size: raw.length,
          }),
        ),
      ),
    ).toBe(true);
  });

  it("export -o - writes the same tar to stdout, its records to stderr, and no file named -", async () => {
    const piped = join(scratch.path, "piped.tar");
    const bin = binPath("mirror");
    const line = '"$0" "$1" export "$2" -o - --plain-http > "$3"';
    const result = await runProcess("bash", ["-c", line, process.execPath, bin, `${moduleSource.name}:2.1.0`, piped], {
      cwd: scratch.path,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^bundle stdout: 1 artifact, \d+ blobs, [\d.]+ k?B, sha256:[0-9a-f]{64}$/m);
    const raw = await skopeo(["inspect", "--raw", `oci-archive:${piped}:2.1.0`]);
    expect(JSON.parse(raw.toString("utf8"))).toMatchObject({ artifactType: "application/vnd.opentofu.modulepkg" });
    expect(existsSync(join(scratch.path, "-"))).toBe(false);
  });

  it("imports through a template with identical digests, referrers and tags", async () => {
    const prefix = uniqueRepository("mirror/imported");
    const records = await mirrorOk([
      "import",
      bundle,
      "--to",
      `${registry.host}/${prefix}/\${repository}`,
      "--plain-http",
    ]);
    expect(records).toHaveLength(2);
    const importedProvider = new RemoteRepository(client, registry.host, `${prefix}/${providerSource.repository}`);
    const importedModule = new RemoteRepository(client, registry.host, `${prefix}/${moduleSource.repository}`);
    expect((await importedProvider.resolve("1.0.0")).digest).toBe(provider.index.digest);
    expect((await importedModule.resolve("2.1.0")).digest).toBe(moduleDigest);
    const found = await Promise.all(provider.manifests.map((m) => importedProvider.referrers(m.descriptor)));
    expect(
      found
        .flat()
        .map((d) => d.digest)
        .sort(),
    ).toEqual(provider.sboms.map((d) => d.digest).sort());
    expect(records[0]).toMatchObject({
      reference: `${registry.host}/${prefix}/${providerSource.repository}@${provider.index.digest}`,
      tag: "1.0.0",
    });
    await verifyOk(`${importedProvider.name}:1.0.0`, "provider");
    await verifyOk(`${importedModule.name}:2.1.0`, "module");
  });

  it("refuses a bundle with one corrupted byte, exit 1, with nothing pushed or tagged", async () => {
    const damaged = join(scratch.path, "damaged.tar");
    const bytes = readFileSync(bundle);
    const offset = bytes.indexOf(moduleZip.subarray(0, 64));
    expect(offset).toBeGreaterThan(0);
    bytes[offset + 100] = bytes[offset + 100]! ^ 0xff;
    writeFileSync(damaged, bytes);

    const destination = repository("damaged-import");
    const result = await mirror(["import", damaged, "--to", destination.name, "--plain-http"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: blob sha256:[a-f0-9]{64} in .*damaged\.tar: digest mismatch/m);
    const tags = [];
    for await (const tag of destination.tags()) tags.push(tag);
    expect(tags).toEqual([]);
    expect(
      await destination.exists({
        mediaType: "application/vnd.oci.image.index.v1+json",
        digest: provider.index.digest,
        size: provider.index.size,
      }),
    ).toBe(false);
  });

  it("refuses an incomplete bundle before the first request", async () => {
    const layout = join(scratch.path, "incomplete");
    await runProcess("mkdir", ["-p", layout]);
    await runProcess("tar", ["xf", bundle, "-C", layout]);
    const zipPath = `blobs/sha256/${provider.zips.get("linux_amd64")!.digest.slice(7)}`;
    await runProcess("rm", [join(layout, zipPath)]);
    const incomplete = join(scratch.path, "incomplete.tar");
    await runProcess("tar", ["cf", incomplete, "-C", layout, "."]);
    // An unreachable registry proves no request is made: the check fails first.
    const error = await importBundle({ bundle: incomplete, to: "127.0.0.1:1/nowhere" }).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toMatch(/incomplete: it has no sha256:/);
  });
});
