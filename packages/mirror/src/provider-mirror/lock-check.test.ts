import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { h1OfZipEntries, readPackageZip } from "@tofu-oci/opentofu";
import { buildZip, tempDir } from "@tofu-oci/testkit";
import { zipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { checkLockHashes } from "./lock-check.js";

const scratch = tempDir();
afterAll(() => scratch.cleanup());
const zip = join(scratch.path, "p.zip");
writeFileSync(zip, zipSync({ "terraform-provider-x_v1.0.0": Buffer.from("x") }));
const withDir = join(scratch.path, "d.zip");
writeFileSync(withDir, buildZip([{ name: "docs/" }, { name: "terraform-provider-x_v1.0.0", content: "x" }]));
const h1 = async (file: string) => h1OfZipEntries(await readPackageZip(file));
const digest = `sha256:${"a".repeat(64)}`;
const lock = (hashes: string[]) => ({ address: "registry.opentofu.org/acme/x", version: "1.0.0", hashes });

describe("checkLockHashes (PackageMatchesAnyHash)", () => {
  it("passes a locked zh: without computing h1:", async () => {
    const verdict = await checkLockHashes(lock([`zh:${"a".repeat(64)}`]), digest, "linux_amd64", () =>
      Promise.reject(new Error("not needed")),
    );
    expect(verdict?.check.ok).toBe(true);
  });

  it("passes a locked h1: and warns that an OCI install also needs the zh:", async () => {
    const verdict = await checkLockHashes(lock([await h1(zip)]), digest, "linux_amd64", () => h1(zip));
    expect(verdict?.check.ok).toBe(true);
    expect(verdict?.warning).toMatch(/only h1: hashes/);
  });

  it("fails when neither matches, and checks nothing without hashes", async () => {
    const verdict = await checkLockHashes(lock([`zh:${"b".repeat(64)}`, "h1:nope="]), digest, "linux_amd64", () =>
      h1(zip),
    );
    expect(verdict?.check).toMatchObject({ id: "lock-hashes", ok: false });
    expect(await checkLockHashes(lock([]), digest, "linux_amd64", () => h1(zip))).toBeUndefined();
  });

  it("compares with the h1: of the zip's entries, as OpenTofu does before unpacking, not of the unpacked files", async () => {
    const unpacked = await h1(zip);
    expect(unpacked).not.toBe(await h1(withDir));
    expect((await checkLockHashes(lock([unpacked]), digest, "linux_amd64", () => h1(withDir)))?.check.ok).toBe(false);
    expect((await checkLockHashes(lock([await h1(withDir)]), digest, "linux_amd64", () => h1(withDir)))?.check.ok).toBe(
      true,
    );
  });
});
