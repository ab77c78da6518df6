import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ArtifactType, MediaType, exitCodeOf, openTarget, sha256Digest, type Target } from "@tofu-oci/core";
import { OciLayout } from "@tofu-oci/core/layout";
import {
  RegistryStorage,
  binPath,
  parseRecords,
  runBin,
  runProcess,
  tempDir,
  uniqueRepository,
} from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { verify } from "../src/index.js";
import { ArtifactWriter, imageManifest } from "./artifacts.js";
import { buildZip } from "./zip-builder.js";

const registry = inject("registries").plain;
const clientOptions = { plainHttp: true };
const dir = tempDir("tofu-oci-verify-layout-");
afterAll(() => dir.cleanup());

const MODULE_ZIP = buildZip([
  { name: "main.tf", content: 'variable "name" {}\n' },
  { name: "files/", content: "" },
  { name: "files/run.sh", content: "#!/bin/sh\n", mode: 0o755 },
]);

/** Writes manifest bytes into a layout as `tag`, bypassing the 4 MiB cap of writers. */
function plantInLayout(root: string, bytes: Buffer, tag: string): void {
  const digest = sha256Digest(bytes);
  writeFileSync(join(root, "blobs", "sha256", digest.slice(7)), bytes);
  const index = JSON.parse(readFileSync(join(root, "index.json"), "utf8")) as { manifests: object[] };
  index.manifests.push({
    mediaType: MediaType.imageManifest,
    digest,
    size: bytes.length,
    annotations: { "org.opencontainers.image.ref.name": tag },
  });
  writeFileSync(join(root, "index.json"), JSON.stringify(index));
}

function paddedManifest(layer: { mediaType: string; digest: string; size: number }, size: number): Buffer {
  const base = JSON.stringify(imageManifest(ArtifactType.module, [layer], { pad: "" })).length;
  return Buffer.from(JSON.stringify(imageManifest(ArtifactType.module, [layer], { pad: "x".repeat(size - base) })));
}

describe("OCI layouts", () => {
  const root = join(dir.path, "layout");
  let layerDigest = "";

  beforeAll(async () => {
    const writer = new ArtifactWriter(await OciLayout.open(root, { create: true }));
    await writer.module({ tag: "1.0.0", layers: [{ bytes: MODULE_ZIP }] });
    const layer = await writer.blob(MODULE_ZIP, MediaType.zip);
    layerDigest = layer.digest;
    plantInLayout(root, paddedManifest(layer, 5 * 1024 * 1024), "five-mib");
    plantInLayout(root, paddedManifest(layer, 5 * 1024 * 1024 - 1), "just-under-five-mib");
  });

  it("passes a module", async () => {
    const [record] = await verify({ reference: `${root}:1.0.0`, ociLayout: true });
    expect(record!.ok, JSON.stringify(record!.checks)).toBe(true);
  });

  it("applies OpenTofu's integer MiB rule: 5 MiB fails manifest-size, 5 MiB - 1 byte passes", async () => {
    const [big] = await verify({ reference: `${root}:five-mib`, ociLayout: true });
    expect(big!.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(["manifest-size"]);
    const [under] = await verify({ reference: `${root}:just-under-five-mib`, ociLayout: true });
    expect(under!.ok, JSON.stringify(under!.checks.filter((c) => !c.ok))).toBe(true);
  });

  it("fails a damaged blob with layer-digest", async () => {
    const copy = join(dir.path, "damaged");
    const writer = new ArtifactWriter(await OciLayout.open(copy, { create: true }));
    const zip = buildZip([{ name: "main.tf", content: "# damaged\n" }]);
    await writer.module({ tag: "1", layers: [{ bytes: zip }] });
    const path = join(copy, "blobs", "sha256", sha256Digest(zip).slice(7));
    const damaged = Buffer.from(zip);
    damaged[35] = damaged[35]! ^ 1;
    writeFileSync(path, damaged);
    const [record] = await verify({ reference: `${copy}:1`, ociLayout: true });
    expect(record!.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(["layer-digest"]);
  });

  it("extracts a verified module into a new directory, modes kept", async () => {
    const out = join(dir.path, "out-module");
    const [record] = await verify({ reference: `${root}:1.0.0`, ociLayout: true, extract: out });
    expect(record!.ok).toBe(true);
    expect(record!.extracted).toBe(out);
    expect(readFileSync(join(out, "main.tf"), "utf8")).toContain("variable");
    expect(statSync(join(out, "files", "run.sh")).mode & 0o777).toBe(0o755);
    expect(readdirSync(dir.path).filter((name) => name.includes(".tofu-oci-"))).toEqual([]);
    expect(layerDigest).toMatch(/^sha256:/);
  });

  // Issue 22, item 13: the zip's modes (0777 here) were applied as they are, and the entry that
  // another of the same name replaces went unmentioned.
  it("extracts under the user's umask and warns about entries written over by one of the same name", async () => {
    const copy = join(dir.path, "umask");
    const zip = buildZip([
      { name: "main.tf", content: "# first\n" },
      { name: "run.sh", content: "#!/bin/sh\n", mode: 0o777 },
      { name: "main.tf", content: "# last\n" },
    ]);
    await new ArtifactWriter(await OciLayout.open(copy, { create: true })).module({
      tag: "1",
      layers: [{ bytes: zip }],
    });
    const out = join(dir.path, "out-umask");
    const command = `umask 077 && exec "$0" "$@"`;
    const result = await runProcess("sh", [
      "-c",
      command,
      process.execPath,
      binPath("verify"),
      `${copy}:1`,
      "--oci-layout",
      "--extract",
      out,
      "--format",
      "json",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(statSync(join(out, "run.sh")).mode & 0o777).toBe(0o700);
    expect(statSync(join(out, "main.tf")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, "main.tf"), "utf8")).toBe("# last\n");
    const [record] = parseRecords(result.stdout);
    const unpack = (record!.checks as Array<{ id: string; warning?: string }>).find(
      (check) => check.id === "zip-unpack",
    );
    expect(unpack?.warning).toMatch(/1 entry is written over by a later entry of the same path \(main\.tf\)/);
  });

  it("writes nothing when a check fails", async () => {
    const out = join(dir.path, "out-failed");
    const result = await runBin("verify", [`${root}:five-mib`, "--oci-layout", "--extract", out, "--format", "json"]);
    expect(result.code).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir.path).filter((name) => name.includes(".tofu-oci-"))).toEqual([]);
    const [record, error] = parseRecords(result.stdout);
    expect(record).toMatchObject({ kind: "verification", ok: false });
    expect(error).toMatchObject({ kind: "error", code: "verification-failed" });
  });

  it("refuses a non-empty --extract directory before reading anything (exit 2)", async () => {
    const result = await runBin("verify", [`${root}:1.0.0`, "--oci-layout", "--extract", root]);
    expect(result.code).toBe(2);
  });
});

describe("providers: --extract of one platform, and --require-sbom", () => {
  let reference = "";
  let repo = "";

  beforeAll(async () => {
    repo = `${uniqueRepository("verify/extract")}/acme/thing`;
    const { target } = await openTarget(`${registry.host}/${repo}`, { clientOptions });
    const zip = (os: string) =>
      buildZip([
        { name: "terraform-provider-thing_v2.0.0", content: `bin for ${os}`, mode: 0o755 },
        { name: "LICENSE", content: "MIT" },
      ]);
    await new ArtifactWriter(target as Target).provider({
      tag: "2.0.0",
      platforms: [
        { os: "linux", arch: "amd64", zip: zip("linux") },
        { os: "linux", arch: "arm64", zip: zip("arm") },
      ],
    });
    reference = `${registry.host}/${repo}:2.0.0`;
  });

  it("unpacks the chosen platform", async () => {
    const out = join(dir.path, "provider");
    const [record] = await verify({ reference, clientOptions, platforms: ["linux/arm64"], extract: out });
    expect(record!.ok, JSON.stringify(record!.checks.filter((c) => !c.ok))).toBe(true);
    expect(readFileSync(join(out, "terraform-provider-thing_v2.0.0"), "utf8")).toBe("bin for arm");
  });

  it("refuses --extract with two platforms to choose from as a usage error (exit 2), writing nothing", async () => {
    const out = join(dir.path, "provider-two");
    const failure = await verify({ reference, clientOptions, extract: out }).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: "usage",
      message: "--extract unpacks one platform, and 2 are checked (linux_amd64, linux_arm64)",
      hint: "Pass --platform OS_ARCH with --extract.",
    });
    expect(existsSync(out)).toBe(false);
    const result = await runBin("verify", [reference, "--plain-http", "--extract", out]);
    expect(result.code, result.stderr).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it("exits 3 (not found) for a tag that does not exist, with the verification record saying so", async () => {
    const result = await runBin("verify", [`${registry.host}/${repo}:9.9.9`, "--plain-http", "--format", "json"]);
    expect(result.code, result.stderr).toBe(3);
    const [record, error] = parseRecords(result.stdout);
    expect(record).toMatchObject({
      kind: "verification",
      ok: false,
      notFound: true,
      checks: [expect.objectContaining({ id: "resolve", ok: false })],
    });
    expect(error).toMatchObject({
      kind: "error",
      code: "not-found",
      message: `${registry.host}/${repo}:9.9.9 does not exist`,
    });
  });

  it("accepts one SBOM per platform manifest, as tofu-oci-mirror --sbom attaches them", async () => {
    const [before] = await verify({ reference, clientOptions, requireSbom: true });
    expect(before!.checks.filter((c) => !c.ok).map((c) => `${c.platform}:${c.id}`)).toEqual([
      "linux_amd64:sbom",
      "linux_arm64:sbom",
    ]);
    const { target } = await openTarget(`${registry.host}/${repo}`, { clientOptions });
    const writer = new ArtifactWriter(target as Target);
    const sbom = await writer.blob(
      Buffer.from(JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.6" })),
      MediaType.cyclonedxJson,
    );
    await writer.config();
    const [amd64] = (before!.platforms as Array<{ platform: string; manifest: string }>).filter(
      (p) => p.platform === "linux_amd64",
    );
    const subject = await target.resolve(amd64!.manifest);
    await writer.manifest({
      ...imageManifest(MediaType.cyclonedxJson, [sbom]),
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    });
    const [half] = await verify({ reference, clientOptions, requireSbom: true });
    expect(half!.checks.filter((c) => !c.ok).map((c) => `${c.platform}:${c.id}`)).toEqual(["linux_arm64:sbom"]);
    const [amd64Only] = await verify({ reference, clientOptions, requireSbom: true, platforms: ["linux_amd64"] });
    expect(amd64Only!.ok).toBe(true);
  });

  it("fails --require-sbom without an SBOM, passes once one is attached to the index", async () => {
    const [before] = await verify({ reference, clientOptions, requireSbom: true, platforms: ["linux_arm64"] });
    expect(before!.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(["sbom"]);
    const { target } = await openTarget(`${registry.host}/${repo}`, { clientOptions });
    const writer = new ArtifactWriter(target as Target);
    const sbom = await writer.blob(
      Buffer.from(JSON.stringify({ spdxVersion: "SPDX-2.3", name: "thing" })),
      MediaType.spdxJson,
    );
    await writer.config();
    await writer.manifest({
      ...imageManifest(MediaType.spdxJson, [sbom]),
      subject: { mediaType: MediaType.imageIndex, digest: before!.digest, size: (await target.resolve("2.0.0")).size },
    });
    const [after] = await verify({ reference, clientOptions, requireSbom: true });
    expect(after!.ok, JSON.stringify(after!.checks.filter((c) => !c.ok))).toBe(true);
  });
});

describe("what the registry itself refuses", () => {
  it("a planted manifest over 4 MiB: distribution 2.8 will not serve it (HTTP 500), so verify reports a registry failure", async () => {
    const repo = uniqueRepository("verify/planted");
    const { target } = await openTarget(`${registry.host}/${repo}`, { clientOptions });
    const writer = new ArtifactWriter(target as Target);
    const layer = await writer.blob(buildZip([{ name: "main.tf", content: repo }]), MediaType.zip);
    await writer.config();
    new RegistryStorage(registry.dataDir).plantManifest(repo, paddedManifest(layer, 5 * 1024 * 1024 + 1), "big");
    const error = await verify({
      reference: `${registry.host}/${repo}:big`,
      clientOptions: { ...clientOptions, retry: { retries: 0 } },
    }).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(5);
  });
});
