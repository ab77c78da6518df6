import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exitCodeOf } from "@tofu-oci/core";
import { buildZip, tempDir } from "@tofu-oci/testkit";
import { zipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { OPENTOFU_PROVIDER_ZIPS } from "../test/fixtures/opentofu-provider-zips.js";
import {
  h1OfDirectory,
  h1OfFiles,
  h1OfUnpackedPackage,
  h1OfZipEntries,
  packageHashes,
  zhOf,
} from "./package-hashes.js";
import { planUnpack, type UnpackPlan } from "./unpack-plan.js";
import { readPackageZip } from "./zip-inspect.js";

// Vectors asserted in OpenTofu's own tests (docs/contract/provider-protocol.md §8).
const FAKE_PROVIDER =
  "This is a fake provider package for registry.opentofu.org/hashicorp/test 1.2.3, not a real provider.\n";
const FAKE_PROVIDER_H1 = "h1:8CjxaUBuegKZSFnRos39Fs+CS78ax0Dyb7aIA5XBiNI=";
const EMPTY_DIR_H1 = "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
const ONE_EMPTY_FILE_H1 = "h1:7MjN4eFisdTv4tlhXH5hL4QQd39Jy4baPhFxwAd/EFE=";
const EXECUTABLE = "terraform-provider-test_1.2.3";

const scratch = tempDir();
afterAll(() => scratch.cleanup());
let count = 0;

function dir(): string {
  const path = join(scratch.path, `dir-${count++}`);
  mkdirSync(path);
  return path;
}

async function zipEntries(bytes: Uint8Array) {
  const path = join(scratch.path, `zip-${count++}.zip`);
  writeFileSync(path, bytes);
  return readPackageZip(path);
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
/** dirhash.Hash1 written out by hand for a list of lines, as an oracle independent of the code. */
const hash1Lines = (lines: Array<[string, string]>) =>
  `h1:${createHash("sha256")
    .update(lines.map(([hash, name]) => `${hash}  ${name}\n`).join(""))
    .digest("base64")}`;

describe("h1 hashes match OpenTofu's test vectors", () => {
  it("empty directory (internal/getproviders/hash_test.go)", async () => {
    expect(h1OfFiles([])).toBe(EMPTY_DIR_H1);
    expect(await h1OfDirectory(dir())).toBe(EMPTY_DIR_H1);
  });

  it("one empty terraform-provider-test file (internal/command/providers_lock_test.go)", async () => {
    const path = dir();
    writeFileSync(join(path, "terraform-provider-test"), "");
    expect(await h1OfDirectory(path)).toBe(ONE_EMPTY_FILE_H1);
  });

  it("the fake provider of internal/command/init_test.go, from a directory and from a zip in both forms", async () => {
    const path = dir();
    writeFileSync(join(path, EXECUTABLE), FAKE_PROVIDER);
    expect(await h1OfDirectory(path)).toBe(FAKE_PROVIDER_H1);
    const entries = await zipEntries(zipSync({ [EXECUTABLE]: new TextEncoder().encode(FAKE_PROVIDER) }));
    expect(h1OfUnpackedPackage(entries)).toBe(FAKE_PROVIDER_H1);
    expect(h1OfZipEntries(entries)).toBe(FAKE_PROVIDER_H1);
  });

  it.each(OPENTOFU_PROVIDER_ZIPS)(
    "OpenTofu's OCI mirror fixture $name has the zh: and h1: of provider-protocol.md §8",
    async (fixture) => {
      const bytes = Buffer.from(fixture.base64, "base64");
      const entries = await zipEntries(bytes);
      expect(zhOf(`sha256:${createHash("sha256").update(bytes).digest("hex")}`)).toBe(fixture.zh);
      expect(h1OfZipEntries(entries)).toBe(fixture.h1);
      expect(h1OfUnpackedPackage(entries)).toBe(fixture.h1);
    },
  );

  it("sorts names by UTF-8 bytes, not UTF-16 code units", () => {
    // U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80) in UTF-8, but after it in UTF-16.
    const files = [
      { name: "\u{1F600}", sha256: "a".repeat(64) },
      { name: "\uFF21", sha256: "b".repeat(64) },
    ];
    const expectedOrder = h1OfFiles([files[1]!, files[0]!]);
    expect(h1OfFiles(files)).toBe(expectedOrder);
    expect(h1OfFiles([files[0]!])).not.toBe(h1OfFiles([files[1]!]));
    expect(h1OfFiles(files)).toBe(
      hash1Lines([
        ["b".repeat(64), "\uFF21"],
        ["a".repeat(64), "\u{1F600}"],
      ]),
    );
  });

  it("refuses duplicate names and names with a newline", () => {
    expect(() =>
      h1OfFiles([
        { name: "a", sha256: "0" },
        { name: "a", sha256: "1" },
      ]),
    ).toThrow(/twice/);
    expect(() => h1OfFiles([{ name: "a\nb", sha256: "0" }])).toThrow(/newline/);
  });
});

describe("the two h1: forms of one zip differ where OpenTofu's do", () => {
  it("directory entries: the unpacked package ignores them, HashZip hashes them as empty files", async () => {
    const withDirs = await zipEntries(
      buildZip([
        { name: "docs/" },
        { name: "docs/README", content: "r" },
        { name: EXECUTABLE, content: FAKE_PROVIDER },
      ]),
    );
    const plain = await zipEntries(
      buildZip([
        { name: "docs/README", content: "r" },
        { name: EXECUTABLE, content: FAKE_PROVIDER },
      ]),
    );
    expect(h1OfUnpackedPackage(withDirs)).toBe(h1OfUnpackedPackage(plain));
    expect(h1OfZipEntries(plain)).toBe(h1OfUnpackedPackage(plain));
    expect(h1OfZipEntries(withDirs)).toBe(
      hash1Lines([
        [sha256(""), "docs/"],
        [sha256("r"), "docs/README"],
        [sha256(FAKE_PROVIDER), EXECUTABLE],
      ]),
    );
    expect(h1OfZipEntries(withDirs)).not.toBe(h1OfUnpackedPackage(withDirs));
  });

  it("a repeated name: go-getter keeps the last file; HashZip lists the name twice with the last content", async () => {
    const entries = await zipEntries(
      buildZip([
        { name: EXECUTABLE, content: "an older build" },
        { name: EXECUTABLE, content: FAKE_PROVIDER },
      ]),
    );
    expect(h1OfUnpackedPackage(entries)).toBe(FAKE_PROVIDER_H1);
    expect(h1OfZipEntries(entries)).toBe(
      hash1Lines([
        [sha256(FAKE_PROVIDER), EXECUTABLE],
        [sha256(FAKE_PROVIDER), EXECUTABLE],
      ]),
    );
  });

  it("names go-getter cleans: the unpacked package hashes where the file lands, HashZip the raw name", async () => {
    const entries = await zipEntries(buildZip([{ name: `./${EXECUTABLE}`, content: FAKE_PROVIDER }]));
    expect(h1OfUnpackedPackage(entries)).toBe(FAKE_PROVIDER_H1);
    expect(h1OfZipEntries(entries)).toBe(hash1Lines([[sha256(FAKE_PROVIDER), `./${EXECUTABLE}`]]));
  });

  it("fails where Go fails: a newline in a name, a directory entry with data, a zip that does not unpack", async () => {
    const newline = await zipEntries(buildZip([{ name: "a\nb", content: "x" }]));
    expect(exitCodeOf(catchError(() => h1OfZipEntries(newline)))).toBe(6);
    expect(exitCodeOf(catchError(() => h1OfUnpackedPackage(newline)))).toBe(6);
    const dirWithData = await zipEntries(
      buildZip([
        { name: "d/", content: "x" },
        { name: "f", content: "y" },
      ]),
    );
    expect(exitCodeOf(catchError(() => h1OfZipEntries(dirWithData)))).toBe(6);
    // OpenTofu fails on that h1: only when the lock has an h1: to try, so it is kept as a value.
    const hashes = packageHashes(dirWithData, planUnpack(dirWithData) as UnpackPlan);
    expect(hashes).toEqual({
      h1OfZipEntries: { error: expect.stringContaining("has data") },
      h1OfUnpackedPackage: hash1Lines([[sha256("y"), "f"]]),
    });
    const conflict = await zipEntries(
      buildZip([
        { name: "a", content: "file" },
        { name: "a/b", content: "inside" },
      ]),
    );
    expect(exitCodeOf(catchError(() => h1OfUnpackedPackage(conflict)))).toBe(6);
  });

  it("writes zh: as the lowercase hex of the sha256, from a digest or the hex", () => {
    expect(zhOf(`sha256:${"ab".repeat(32)}`)).toBe(`zh:${"ab".repeat(32)}`);
    expect(zhOf("AB".repeat(32))).toBe(`zh:${"ab".repeat(32)}`);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}
