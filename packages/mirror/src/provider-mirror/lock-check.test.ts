import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { zipH1 } from "@tofu-oci/core/zip";
import { tempDir } from "@tofu-oci/testkit";
import { zipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { checkLockHashes } from "./lock-check.js";

const scratch = tempDir();
afterAll(() => scratch.cleanup());
const zip = join(scratch.path, "p.zip");
writeFileSync(zip, zipSync({ "terraform-provider-x_v1.0.0": Buffer.from("x") }));
const digest = `sha256:${"a".repeat(64)}`;
const lock = (hashes: string[]) => ({ address: "registry.opentofu.org/acme/x", version: "1.0.0", hashes });

describe("checkLockHashes (PackageMatchesAnyHash)", () => {
  it("passes a locked zh: without computing h1:", async () => {
    const verdict = await checkLockHashes(lock([`zh:${"a".repeat(64)}`]), digest, "linux_amd64", () => Promise.reject(new Error("not needed")));
    expect(verdict?.check.ok).toBe(true);
  });

  it("passes a locked h1: and warns that an OCI install also needs the zh:", async () => {
    const h1 = await zipH1(zip);
    const verdict = await checkLockHashes(lock([h1]), digest, "linux_amd64", () => zipH1(zip));
    expect(verdict?.check.ok).toBe(true);
    expect(verdict?.warning).toMatch(/only h1: hashes/);
  });

  it("fails when neither matches, and checks nothing without hashes", async () => {
    const verdict = await checkLockHashes(lock([`zh:${"b".repeat(64)}`, "h1:nope="]), digest, "linux_amd64", () => zipH1(zip));
    expect(verdict?.check).toMatchObject({ id: "lock-hashes", ok: false });
    expect(await checkLockHashes(lock([]), digest, "linux_amd64", () => zipH1(zip))).toBeUndefined();
  });
});
