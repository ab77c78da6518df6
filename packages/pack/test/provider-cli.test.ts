import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseRecords, tempDir } from "@tofu-oci/testkit";
import { zipSync, type Zippable } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { packProvider } from "../src/pack-provider.js";
import { listFiles, pack } from "./helpers.js";

// The fake provider of OpenTofu's internal/command/init_test.go and its asserted lock-file hash.
const FAKE_PROVIDER =
  "This is a fake provider package for registry.opentofu.org/hashicorp/test 1.2.3, not a real provider.\n";
const FAKE_PROVIDER_H1 = "h1:8CjxaUBuegKZSFnRos39Fs+CS78ax0Dyb7aIA5XBiNI=";
const PROVIDER = "registry.opentofu.org/hashicorp/test";
const EXECUTABLE = ((0o100755 << 16) >>> 0) as number;

const scratch = tempDir("tofu-oci-pack-provider-");
afterAll(() => scratch.cleanup());
let counter = 0;
const fresh = () => {
  const dir = join(scratch.path, `dist-${counter++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** A release zip made the way goreleaser does: the binary at the root, executable. */
function releaseZip(
  dir: string,
  platform: string,
  files: Zippable = { "terraform-provider-test_1.2.3": [Buffer.from(FAKE_PROVIDER), { os: 3, attrs: EXECUTABLE }] },
  version = "1.2.3",
): string {
  const path = join(dir, `terraform-provider-test_${version}_${platform}.zip`);
  writeFileSync(path, zipSync(files, { level: 6, mtime: new Date(2020, 0, 1) }));
  return path;
}

function shasums(dir: string, zips: string[], tamper?: string): string {
  const lines = zips.map((zip) => {
    const hex = createHash("sha256").update(readFileSync(zip)).digest("hex");
    return `${basename(zip) === tamper ? "0".repeat(64) : hex}  ${basename(zip)}\n`;
  });
  const path = join(dir, "terraform-provider-test_1.2.3_SHA256SUMS");
  writeFileSync(path, lines.join(""));
  return path;
}

const sha256 = (path: string) => `sha256:${createHash("sha256").update(readFileSync(path)).digest("hex")}`;

describe("tofu-oci-pack provider", () => {
  it("collects a release directory unchanged, verifies SHA256SUMS, and records each platform's h1 (OpenTofu's vector)", async () => {
    const dist = fresh();
    const zips = [releaseZip(dist, "linux_amd64"), releaseZip(dist, "darwin_arm64"), releaseZip(dist, "windows_amd64")];
    shasums(dist, zips);
    writeFileSync(join(dist, "terraform-provider-test_1.2.3_SHA256SUMS.sig"), "sig");
    const before = Object.fromEntries(zips.map((zip) => [zip, sha256(zip)]));
    const result = await pack(["provider", "--provider", PROVIDER, "--version", "1.2.3", "--require-shasums", dist]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const [record] = parseRecords(result.stdout);
    expect(record).toEqual({
      kind: "package",
      type: "provider",
      provider: PROVIDER,
      version: "1.2.3",
      platforms: ["darwin_arm64", "linux_amd64", "windows_amd64"].map((platform) => {
        const file = join(dist, `terraform-provider-test_1.2.3_${platform}.zip`);
        const [os, arch] = platform.split("_");
        return { os, arch, file, digest: before[file], size: readFileSync(file).length, h1: FAKE_PROVIDER_H1 };
      }),
    });
    for (const zip of zips) expect(sha256(zip)).toBe(before[zip]);
    expect(listFiles(dist)).toHaveLength(5);
  });

  it("takes zips as files too, counts a file reached twice once, and warns when there is no SHA256SUMS", async () => {
    const dist = fresh();
    const zip = releaseZip(dist, "linux_arm64");
    const warnings: string[] = [];
    const record = await packProvider({
      provider: PROVIDER,
      version: "1.2.3",
      paths: [zip, dist],
      onWarning: (message) => warnings.push(message),
    });
    expect(warnings).toEqual([
      "no *_SHA256SUMS file was given; the zips were not checked against the release's checksums",
    ]);
    expect(record.platforms.map((p) => `${p.os}_${p.arch}`)).toEqual(["linux_arm64"]);
    const viaBin = await pack(["provider", "--provider", PROVIDER, "--version", "1.2.3", zip]);
    expect(viaBin.code).toBe(0);
    expect(viaBin.stderr).toContain("no *_SHA256SUMS file was given");
  });
});

describe("tofu-oci-pack provider: invalid release input exits 6", () => {
  async function expectInvalid(paths: string[], message: RegExp, extra: string[] = []) {
    const result = await pack(["provider", "--provider", PROVIDER, "--version", "1.2.3", ...extra, ...paths]);
    expect(result.code, result.stderr).toBe(6);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(parseRecords(result.stdout)[0]).toMatchObject({ kind: "error", code: "invalid-input" });
  }

  it("a version in the names other than --version", async () => {
    const dist = fresh();
    releaseZip(dist, "linux_amd64", undefined, "1.2.4");
    await expectInvalid([dist], /terraform-provider-test_1\.2\.4_linux_amd64\.zip is version 1\.2\.4, not 1\.2\.3/);
  });

  it("two zips for one platform", async () => {
    const a = fresh();
    const b = fresh();
    releaseZip(a, "linux_amd64");
    releaseZip(b, "linux_amd64", {
      "terraform-provider-test_1.2.3": [Buffer.from("other"), { os: 3, attrs: EXECUTABLE }],
    });
    await expectInvalid([a, b], /two zips for linux_amd64/);
  });

  it("a file that is not a zip", async () => {
    const dist = fresh();
    writeFileSync(
      join(dist, "terraform-provider-test_1.2.3_linux_amd64.zip"),
      "this is not a zip file at all, just text",
    );
    await expectInvalid([dist], /is not a valid zip file/);
  });

  it.each([
    ["../escape", /entry "\.\.\/escape" would be unpacked outside the provider directory/],
    [
      "/etc/cron.d/evil",
      /entry "\/etc\/cron\.d\/evil" would be unpacked outside the provider directory: the name is an absolute path/,
    ],
  ])("a zip-slip entry name %j", async (name, message) => {
    const dist = fresh();
    releaseZip(dist, "linux_amd64", {
      "terraform-provider-test_1.2.3": [Buffer.from("x"), { os: 3, attrs: EXECUTABLE }],
      [name]: Buffer.from("evil"),
    });
    await expectInvalid([dist], message);
  });

  it("a checksum mismatch, and a zip missing from SHA256SUMS", async () => {
    const dist = fresh();
    const zip = releaseZip(dist, "linux_amd64");
    shasums(dist, [zip], basename(zip));
    await expectInvalid(
      [dist],
      /terraform-provider-test_1\.2\.3_linux_amd64\.zip: checksum mismatch, SHA256SUMS says 0{64}/,
    );
    const other = releaseZip(dist, "darwin_amd64");
    shasums(dist, [other]);
    await expectInvalid(
      [dist],
      /terraform-provider-test_1\.2\.3_linux_amd64\.zip is not listed in the SHA256SUMS file/,
    );
  });

  it("no SHA256SUMS with --require-shasums", async () => {
    const dist = fresh();
    releaseZip(dist, "linux_amd64");
    await expectInvalid([dist], /no \*_SHA256SUMS file was given, and --require-shasums needs one/, [
      "--require-shasums",
    ]);
  });

  it("no terraform-provider-TYPE executable at the root, or one without an execute bit", async () => {
    const dist = fresh();
    releaseZip(dist, "linux_amd64", {
      "bin/terraform-provider-test_1.2.3": [Buffer.from("x"), { os: 3, attrs: EXECUTABLE }],
      "README.md": Buffer.from("r"),
    });
    await expectInvalid([dist], /has no terraform-provider-test\* executable at its root/);
    const plain = fresh();
    releaseZip(plain, "linux_amd64", {
      "terraform-provider-test_1.2.3": [Buffer.from("x"), { os: 3, attrs: ((0o100644 << 16) >>> 0) as number }],
    });
    await expectInvalid([plain], /terraform-provider-test_1\.2\.3 is not executable \(mode 644\)/);
  });

  it("a zip not named terraform-provider-TYPE_VERSION_OS_ARCH.zip", async () => {
    const dist = fresh();
    const zip = releaseZip(dist, "linux_amd64");
    copyFileSync(zip, join(dist, "provider-linux.zip"));
    await expectInvalid(
      [join(dist, "provider-linux.zip")],
      /provider-linux\.zip is not named terraform-provider-test_VERSION_OS_ARCH\.zip/,
    );
  });

  it("a malformed --provider is a usage error (exit 2)", async () => {
    const result = await pack(["provider", "--provider", "hashicorp/test", "--version", "1.2.3", fresh()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is not HOST/NAMESPACE/TYPE");
  });
});
