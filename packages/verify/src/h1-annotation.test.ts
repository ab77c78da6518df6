import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { digestFile, pushGraph } from "@tofu-oci/core";
import { MemoryTarget } from "@tofu-oci/core/memory";
import { h1OfUnpackedPackage, providerGraph, readPackageZip } from "@tofu-oci/opentofu";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { buildZip } from "../test/zip-builder.js";
import { verify } from "./verify.js";

const scratch = tempDir("tofu-oci-verify-h1-");
afterAll(() => scratch.cleanup());

/** A provider version with one platform, its manifest carrying `h1` (true: the package's own) or none. */
async function provider(h1: string | boolean): Promise<{ target: MemoryTarget; actual: string }> {
  const file = join(scratch.path, `terraform-provider-x_1.0.0_linux_amd64-${Math.random()}.zip`);
  writeFileSync(file, buildZip([{ name: "terraform-provider-x", content: "#!/bin/sh\n", mode: 0o755 }]));
  const actual = h1OfUnpackedPackage(await readPackageZip(file));
  const annotation = h1 === true ? actual : h1 === false ? undefined : h1;
  const zip = { file, ...(await digestFile(file)) };
  const target = new MemoryTarget("mem");
  await pushGraph(
    target,
    providerGraph([{ os: "linux", arch: "amd64", zip, ...(annotation ? { h1: annotation } : {}) }]),
    ["1.0.0"],
  );
  return { target, actual };
}

const OTHER = `h1:${"A".repeat(43)}=`;

describe("the h1: annotation of a provider platform manifest", () => {
  it("is checked against the package whenever the zip is downloaded", async () => {
    const good = await provider(true);
    const [ok] = await verify({ reference: "example.com/a/x:1.0.0", target: good.target });
    expect(ok).toMatchObject({ ok: true, platforms: [{ h1: good.actual, h1From: "content" }] });
    expect(ok!.checks).toContainEqual(expect.objectContaining({ id: "h1-annotation", ok: true }));
    const bad = await provider(OTHER);
    const [refused] = await verify({ reference: "example.com/a/x:1.0.0", target: bad.target });
    expect(refused!.ok).toBe(false);
    expect(refused!.checks.find((c) => !c.ok)).toMatchObject({
      id: "h1-annotation",
      message: expect.stringContaining(bad.actual),
    });
  });

  it("stands in for the download with trustH1Annotation; without an annotation the zip is downloaded", async () => {
    const bad = await provider(OTHER);
    const [trusted] = await verify({ reference: "example.com/a/x:1.0.0", target: bad.target, trustH1Annotation: true });
    expect(trusted).toMatchObject({ ok: true, platforms: [{ h1: OTHER, h1From: "annotation" }] });
    expect(trusted!.checks.map((c) => c.id)).not.toContain("layer-digest");
    const plain = await provider(false);
    const [downloaded] = await verify({
      reference: "example.com/a/x:1.0.0",
      target: plain.target,
      trustH1Annotation: true,
    });
    expect(downloaded).toMatchObject({ ok: true, platforms: [{ h1: plain.actual, h1From: "content" }] });
    expect(downloaded!.checks.map((c) => c.id)).not.toContain("h1-annotation");
  });

  it("fails when the annotation is not an h1: hash", async () => {
    const junk = await provider("sha256:abc");
    const [record] = await verify({ reference: "example.com/a/x:1.0.0", target: junk.target, trustH1Annotation: true });
    expect(record!.checks.find((c) => !c.ok)).toMatchObject({ id: "h1-annotation" });
  });
});
