import { describe, expect, it } from "vitest";
import { NULL_3_1_0_SHA256SUMS } from "../test/fixtures/opentofu-gpg-vector.js";
import { metadataChecks, sha256sumsEntry, zipChecks } from "./package-authentication.js";
import type { PackageMetadata } from "./provider-registry-client.js";

const LINUX = "53e30545ff8926a8e30ad30648991ca8b93b6fa496272cd23b26763c8ee84515";
const sums = Buffer.from(NULL_3_1_0_SHA256SUMS);

function metadata(fields: Partial<PackageMetadata> = {}): PackageMetadata {
  const url = new URL("https://r.example.com/x");
  return {
    os: "linux",
    arch: "amd64",
    protocols: ["5.0"],
    filename: "terraform-provider-null_3.1.0_linux_amd64.zip",
    downloadUrl: url,
    shasum: LINUX,
    shasumsUrl: url,
    shasumsSignatureUrl: url,
    signingKeys: [],
    ...fields,
  };
}

const failed = (checks: Array<{ id: string; ok: boolean }>) => checks.filter((c) => !c.ok).map((c) => c.id);

describe("package checks (internal/getproviders/package_authentication.go)", () => {
  it("passes a consistent platform", () => {
    expect(failed(metadataChecks(metadata(), sums))).toEqual([]);
    expect(failed(zipChecks(metadata(), { sha256: LINUX, size: 10 }))).toEqual([]);
  });

  it("finds the SHA256SUMS line by its second field", () => {
    expect(sha256sumsEntry(sums, "terraform-provider-null_3.1.0_linux_amd64.zip")).toBe(LINUX);
    expect(sha256sumsEntry(sums, "terraform-provider-null_3.1.0_plan9_amd64.zip")).toBeUndefined();
  });

  it("fails a shasum that SHA256SUMS contradicts, a missing line, a zip that differs and unsupported protocols", () => {
    expect(failed(metadataChecks(metadata({ shasum: "0".repeat(64) }), sums))).toEqual(["sha256sums"]);
    expect(failed(metadataChecks(metadata({ filename: "other.zip" }), sums))).toEqual(["sha256sums"]);
    expect(failed(zipChecks(metadata(), { sha256: "1".repeat(64), size: 10 }))).toEqual(["zip-sha256"]);
    expect(failed(metadataChecks(metadata({ protocols: ["4.0"] }), sums))).toEqual(["protocol"]);
  });

  it("applies the v1.12 packages rules: entry present, size > 0 and equal, every zh: equal to shasum", () => {
    const packages = (entry: { hashes: string[]; packageSize: number }) => ({ linux_amd64: entry });
    expect(
      failed(metadataChecks(metadata({ packages: packages({ hashes: [`zh:${LINUX}`], packageSize: 10 }) }), sums)),
    ).toEqual([]);
    expect(
      failed(metadataChecks(metadata({ packages: { darwin_amd64: { hashes: [], packageSize: 1 } } }), sums)),
    ).toEqual(["registry-packages"]);
    expect(
      failed(metadataChecks(metadata({ packages: packages({ hashes: [`zh:${LINUX}`], packageSize: 0 }) }), sums)),
    ).toEqual(["registry-packages"]);
    expect(
      failed(metadataChecks(metadata({ packages: packages({ hashes: ["h1:abc"], packageSize: 5 }) }), sums)),
    ).toEqual(["registry-packages"]);
    expect(
      failed(
        metadataChecks(metadata({ packages: packages({ hashes: [`zh:${"2".repeat(64)}`], packageSize: 5 }) }), sums),
      ),
    ).toEqual(["registry-packages"]);
    expect(
      failed(
        zipChecks(metadata({ packages: packages({ hashes: [`zh:${LINUX}`], packageSize: 11 }) }), {
          sha256: LINUX,
          size: 10,
        }),
      ),
    ).toEqual(["registry-packages"]);
  });
});
