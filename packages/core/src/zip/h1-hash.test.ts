import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@tofu-oci/testkit";
import { zipSync } from "fflate";
import { afterEach, describe, expect, it } from "vitest";
import { dirH1, h1Hash, zipH1 } from "./h1-hash.js";

// Vectors asserted in OpenTofu's own tests (shared/provider-protocol.md §8).
const FAKE_PROVIDER = "This is a fake provider package for registry.opentofu.org/hashicorp/test 1.2.3, not a real provider.\n";
const FAKE_PROVIDER_H1 = "h1:8CjxaUBuegKZSFnRos39Fs+CS78ax0Dyb7aIA5XBiNI=";
const EMPTY_DIR_H1 = "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
const ONE_EMPTY_FILE_H1 = "h1:7MjN4eFisdTv4tlhXH5hL4QQd39Jy4baPhFxwAd/EFE=";

describe("h1 hashes match OpenTofu's test vectors", () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  function scratch(): string {
    const dir = tempDir();
    cleanup = dir.cleanup;
    return dir.path;
  }

  it("empty directory (internal/getproviders/hash_test.go)", async () => {
    expect(h1Hash([])).toBe(EMPTY_DIR_H1);
    expect(await dirH1(scratch())).toBe(EMPTY_DIR_H1);
  });

  it("one empty terraform-provider-test file (internal/command/providers_lock_test.go)", async () => {
    const dir = scratch();
    writeFileSync(join(dir, "terraform-provider-test"), "");
    expect(await dirH1(dir)).toBe(ONE_EMPTY_FILE_H1);
  });

  it("the fake provider of internal/command/init_test.go, from a directory and from a zip", async () => {
    const dir = scratch();
    mkdirSync(join(dir, "unpacked"));
    writeFileSync(join(dir, "unpacked", "terraform-provider-test_1.2.3"), FAKE_PROVIDER);
    expect(await dirH1(join(dir, "unpacked"))).toBe(FAKE_PROVIDER_H1);

    const zip = join(dir, "provider.zip");
    writeFileSync(zip, zipSync({ "terraform-provider-test_1.2.3": new TextEncoder().encode(FAKE_PROVIDER) }));
    expect(await zipH1(zip)).toBe(FAKE_PROVIDER_H1);
  });

  it("ignores directory entries in a zip, as release zips unpack to the same files", async () => {
    const dir = scratch();
    const zip = join(dir, "with-dirs.zip");
    writeFileSync(zip, zipSync({ "docs/": new Uint8Array(), "terraform-provider-test_1.2.3": new TextEncoder().encode(FAKE_PROVIDER) }));
    const plain = join(dir, "plain.zip");
    writeFileSync(plain, zipSync({ "terraform-provider-test_1.2.3": new TextEncoder().encode(FAKE_PROVIDER) }));
    expect(await zipH1(zip)).toBe(await zipH1(plain));
  });

  it("sorts names by UTF-8 bytes, not UTF-16 code units", () => {
    // U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80) in UTF-8, but after it in UTF-16.
    const files = [{ name: "\u{1F600}", sha256: "a".repeat(64) }, { name: "\uFF21", sha256: "b".repeat(64) }];
    const expectedOrder = h1Hash([files[1]!, files[0]!]);
    expect(h1Hash(files)).toBe(expectedOrder);
    expect(h1Hash([files[0]!])).not.toBe(h1Hash([files[1]!]));
  });

  it("refuses duplicate names and names with a newline", () => {
    expect(() => h1Hash([{ name: "a", sha256: "0" }, { name: "a", sha256: "1" }])).toThrow(/twice/);
    expect(() => h1Hash([{ name: "a\nb", sha256: "0" }])).toThrow(/newline/);
  });
});
