import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MediaType, openTarget, type Descriptor, type Target } from "@tofu-oci/core";
import { parseRecords, runBin, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { verify } from "../src/index.js";
import { SBOM_MAX_BYTES } from "../src/sbom-file.js";
import { ArtifactWriter, imageManifest } from "./artifacts.js";
import { buildZip } from "./zip-builder.js";

// Issue 21, item 8: `--extract-sbom DIR` takes the SBOM referrers out of a provider version's
// platforms (or a module) in one step, against the real registry, and refuses what it cannot trust.

const registry = inject("registries").plain;
const clientOptions = { plainHttp: true };
const dir = tempDir("tofu-oci-verify-sbom-");
afterAll(() => dir.cleanup());

const CDX = JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.6", metadata: { component: { name: "thing" } } });

/** A provider version with two platforms in a new repository; returns its reference and writer. */
async function providerVersion(): Promise<{
  reference: string;
  writer: ArtifactWriter;
  target: Target;
  platforms: Record<string, Descriptor>;
}> {
  const repo = `${uniqueRepository("verify/extract-sbom")}/acme/thing`;
  const { target } = await openTarget(`${registry.host}/${repo}`, { clientOptions });
  const writer = new ArtifactWriter(target as Target);
  const zip = (os: string) =>
    buildZip([{ name: "terraform-provider-thing_v2.0.0", content: `bin for ${os}`, mode: 0o755 }]);
  await writer.provider({
    tag: "2.0.0",
    platforms: [
      { os: "linux", arch: "amd64", zip: zip("amd64") },
      { os: "linux", arch: "arm64", zip: zip("arm64") },
    ],
  });
  await writer.config();
  const [record] = await verify({ reference: `${registry.host}/${repo}:2.0.0`, clientOptions });
  const platforms = Object.fromEntries(
    await Promise.all(
      (record!.platforms ?? []).map(async (p) => [p.platform, await (target as Target).resolve(p.manifest!)] as const),
    ),
  );
  return { reference: `${registry.host}/${repo}:2.0.0`, writer, target: target as Target, platforms };
}

/** Attaches an SBOM manifest with `layers` to `subject`. */
async function attach(
  writer: ArtifactWriter,
  subject: Descriptor,
  layers: Descriptor[],
  artifactType: string = MediaType.cyclonedxJson,
): Promise<void> {
  await writer.manifest({
    ...imageManifest(artifactType, layers),
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
  });
}

describe("verify --extract-sbom", () => {
  let good: Awaited<ReturnType<typeof providerVersion>>;

  beforeAll(async () => {
    good = await providerVersion();
    const cdx = await good.writer.blob(Buffer.from(CDX), MediaType.cyclonedxJson);
    const spdx = await good.writer.blob(
      Buffer.from(JSON.stringify({ spdxVersion: "SPDX-2.3", name: "thing" })),
      MediaType.spdxJson,
    );
    await attach(good.writer, good.platforms.linux_amd64!, [cdx]);
    await attach(good.writer, good.platforms.linux_arm64!, [spdx], MediaType.spdxJson);
  });

  it("writes one platform's SBOM as OS_ARCH.cdx.json and lists it in the record (tofu-oci-verify)", async () => {
    const out = join(dir.path, "one");
    const result = await runBin("verify", [
      good.reference,
      "--platform",
      "linux_amd64",
      "--extract-sbom",
      out,
      "--plain-http",
      "--format",
      "json",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const [record] = parseRecords(result.stdout);
    expect(record).toMatchObject({ kind: "verification", ok: true, sboms: [join(out, "linux_amd64.cdx.json")] });
    expect(readFileSync(join(out, "linux_amd64.cdx.json"), "utf8")).toBe(CDX);
    expect(readdirSync(out)).toEqual(["linux_amd64.cdx.json"]);
  });

  it("writes every checked platform's SBOM, named by its type", async () => {
    const out = join(dir.path, "all");
    const [record] = await verify({ reference: good.reference, clientOptions, extractSbom: out });
    expect(record!.ok, JSON.stringify(record!.checks.filter((c) => !c.ok))).toBe(true);
    expect(readdirSync(out).sort()).toEqual(["linux_amd64.cdx.json", "linux_arm64.spdx.json"]);
    expect(record!.checks.filter((c) => c.id === "extract-sbom").map((c) => c.platform)).toEqual([
      "linux_amd64",
      "linux_arm64",
    ]);
  });

  it("fails the sbom check (exit 1) for a platform without an SBOM, as --require-sbom does", async () => {
    const bare = await providerVersion();
    const out = join(dir.path, "bare");
    const result = await runBin("verify", [
      bare.reference,
      "--platform",
      "linux_arm64",
      "--extract-sbom",
      out,
      "--plain-http",
      "--format",
      "json",
    ]);
    expect(result.code, result.stderr).toBe(1);
    const [record] = parseRecords(result.stdout);
    expect((record!.checks as Array<{ id: string; ok: boolean }>).filter((c) => !c.ok).map((c) => c.id)).toEqual([
      "sbom",
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses an SBOM layer that does not match its descriptor, an oversized one and one without a layer, leaving no file", async () => {
    const bad = await providerVersion();
    const blob = await bad.writer.blob(Buffer.from(CDX), MediaType.cyclonedxJson);
    await attach(bad.writer, bad.platforms.linux_amd64!, [{ ...blob, size: blob.size + 1 }]);
    await attach(bad.writer, bad.platforms.linux_arm64!, [{ ...blob, size: SBOM_MAX_BYTES + 1 }]);
    const out = join(dir.path, "bad");
    const [record] = await verify({ reference: bad.reference, clientOptions, extractSbom: out });
    const failed = record!.checks.filter((c) => !c.ok);
    expect(failed.map((c) => `${c.platform}:${c.id}`)).toEqual([
      "linux_amd64:extract-sbom",
      "linux_arm64:extract-sbom",
    ]);
    expect(failed[0]!.message).toContain("cannot be fetched as described");
    expect(failed[1]!.message).toContain(`more than the ${SBOM_MAX_BYTES}`);
    expect(readdirSync(out)).toEqual([]);

    const empty = await providerVersion();
    await attach(empty.writer, empty.platforms.linux_amd64!, []);
    const [none] = await verify({
      reference: empty.reference,
      clientOptions,
      platforms: ["linux_amd64"],
      extractSbom: join(dir.path, "none"),
    });
    expect(none!.checks.filter((c) => !c.ok).map((c) => [c.id, c.message])).toEqual([
      ["extract-sbom", "the SBOM manifest has no layer to extract; attach the SBOM again"],
    ]);
  });

  it("refuses a directory that is not new or empty, and several records on stdin, as usage errors (exit 2)", async () => {
    const used = join(dir.path, "used");
    mkdirSync(used);
    writeFileSync(join(used, "keep.txt"), "mine");
    const result = await runBin("verify", [good.reference, "--extract-sbom", used, "--plain-http"]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`--extract-sbom ${used} exists and is not an empty directory`);
    expect(readdirSync(used)).toEqual(["keep.txt"]);

    const [host, ...path] = good.reference.replace(/:2\.0\.0$/, "").split("/");
    const artifact = {
      kind: "artifact",
      type: "provider",
      registry: host,
      repository: path.join("/"),
      reference: good.reference,
      tag: "2.0.0",
    };
    const record = JSON.stringify({ ...artifact, digest: `sha256:${"0".repeat(64)}` });
    const stdin = await runBin("verify", ["--extract-sbom", join(dir.path, "stdin"), "--plain-http"], {
      stdin: `${record}\n${record}\n`,
    });
    expect(stdin.code, stdin.stderr).toBe(2);
    expect(stdin.stderr).toContain("--extract-sbom writes one artifact's SBOMs, and stdin has 2 records");
    expect(existsSync(join(dir.path, "stdin"))).toBe(false);
  });

  it("writes a module's SBOM as sbom.spdx.json", async () => {
    const repo = uniqueRepository("verify/extract-sbom-module");
    const { target } = await openTarget(`${registry.host}/${repo}`, { clientOptions });
    const writer = new ArtifactWriter(target as Target);
    const subject = await writer.module({
      tag: "1.0.0",
      layers: [{ bytes: buildZip([{ name: "main.tf", content: "# net\n" }]) }],
    });
    const spdx = await writer.blob(Buffer.from('{"spdxVersion":"SPDX-2.3"}'), MediaType.spdxJson);
    await writer.config();
    await attach(writer, subject, [spdx], MediaType.spdxJson);
    const out = join(dir.path, "module");
    const [record] = await verify({ reference: `${registry.host}/${repo}:1.0.0`, clientOptions, extractSbom: out });
    expect(record!.ok, JSON.stringify(record!.checks.filter((c) => !c.ok))).toBe(true);
    expect(record!.sboms).toEqual([join(out, "sbom.spdx.json")]);
    expect(readFileSync(join(out, "sbom.spdx.json"), "utf8")).toBe('{"spdxVersion":"SPDX-2.3"}');
  });
});
