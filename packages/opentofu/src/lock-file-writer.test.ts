import { describe, expect, it } from "vitest";
import { parseLockFile, type LockFile, type ProviderLock } from "./lock-file.js";
import { formatLockFile, LOCK_FILE_HEADER } from "./lock-file-writer.js";

// Lock files OpenTofu wrote, from its tests and test data (file:line at f831fa1).
// internal/command/init_test.go:2222 (tofu init through a mock source).
const INIT = `# This file is maintained automatically by "tofu init".
# Manual edits may be lost in future updates.

provider "registry.opentofu.org/hashicorp/test" {
  version     = "1.2.3"
  constraints = "1.2.3"
  hashes = [
    "h1:8CjxaUBuegKZSFnRos39Fs+CS78ax0Dyb7aIA5XBiNI=",
    "zh:ac90a1419dd4648431af93b6695b6d6efcad87950ee608de4198df8e6debff23",
  ]
}
`;
// internal/command/providers_lock_test.go:62 (tofu providers lock appending to a lock file).
const PROVIDERS_LOCK = `# This file is maintained automatically by "tofu init".
# Manual edits may be lost in future updates.

provider "registry.opentofu.org/hashicorp/test" {
  version = "1.0.0"
  hashes = [
    "h1:7MjN4eFisdTv4tlhXH5hL4QQd39Jy4baPhFxwAd/EFE=",
    "h1:invalid",
  ]
}
`;
// internal/command/e2etest/testdata/tofu-providers-mirror-with-lock-file/.terraform.lock.hcl,
// written by an older release under its old header (the header is the only difference).
const MIRROR_LOCK = `# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.opentofu.org/hashicorp/null" {
  version     = "2.1.0"
  constraints = "2.1.0"
  hashes = [
    "h1:J/XPKw4nOAsE0iHHqkR0oIBfchtt3pokNj4gFlHqVvk=",
    "h1:uugNjv4FEabvXfifTzRCqSerdraltZR0UwXzH8QYPUQ=",
    "zh:022eb9cefb72d25cb39aebf17787ae5a1a239544abae7ac11fdc2b5a464c06f8",
    "zh:089aec7ba6b9843741fec84e0bc046d97d2e41a9fedbe5d77124e66227395c63",
    "zh:09e9a6fe88e8d33e4656a4f3768275c0f959f4624886a3a96d250e1067afec8c",
    "zh:0fa2d6a05874405eb8b2a7ececb6b7522be25642e31838d23620bf7b4f371c9d",
    "zh:2a7ab2f42d86e8bd4db3cdf94287a6d91c61456b59a0ce2d0f5d6992a08b668b",
    "zh:6526bfa4f547223d4a14d7bf9098a4f7177a5c886a7edc65056df1cb98f6aad9",
    "zh:8e58a5a130d377e8fc0da8ad526f33738c320b19463679f7d68212c5c939bad4",
    "zh:9dc5be5713fca7dbfa99e9673450aaa7216915bffbc043b30798e037a8f2c870",
    "zh:ab7671e33198b718a1ae3272dcea0380f357926324f96c3be0c6ef9423ebece1",
    "zh:b27db66404ea0704fb076ef26bb5b5c556a31b81a8b2302ec705a7e46d93d3e0",
    "zh:bcc4a07ce1fb3bdee4ea360dd9549e099ecc2e9d80aab7f8daf54387a87a5f8e",
    "zh:bf44f8693075f46ae833303fee17e0b0649c72e9347027670fa30e9fbce37fc4",
  ]
}

provider "registry.opentofu.org/hashicorp/template" {
  version     = "2.1.1"
  constraints = "2.1.1"
  hashes = [
    "h1:fBNBluCX4pWlYEw5ZyCTHB00E+3BDSe7GjRzF1ojcvU=",
    "h1:x2/zuJFN/oOUpE1C1nSk4n86AA2zASOyy2BUdFYcpXw=",
    "zh:05fddf3cacb607f623c2b221c3e9ab724079deca0b703b2738e9d55c10e31717",
    "zh:1a250b29274f3e340ea775bf9bd57476e982bca1fb4b59343fb3126e75dfd85c",
  ]
}
`;
// internal/command/init_test.go:2295: no providers left.
const EMPTY = `# This file is maintained automatically by "tofu init".
# Manual edits may be lost in future updates.
`;
// internal/depsfile/locks_file_test.go:250 TestSaveLocksToFile: what SaveLocksToFile writes for
// these locks (constraints given as ">= 1.0.0", "~> 1" and "1.2", hashes out of order).
const SAVED = `# This file is maintained automatically by "tofu init".
# Manual edits may be lost in future updates.

provider "registry.opentofu.org/test/bar" {
  version     = "1.2.0"
  constraints = "~> 1.0"
}

provider "registry.opentofu.org/test/baz" {
  version = "1.2.0"
}

provider "registry.opentofu.org/test/boo" {
  version     = "1.2.0"
  constraints = "1.2.0"
}

provider "registry.opentofu.org/test/foo" {
  version     = "1.0.0"
  constraints = ">= 1.0.0"
  hashes = [
    "test:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "test:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    "test:cccccccccccccccccccccccccccccccccccccccccccccccc",
  ]
}
`;

function lockOf(...entries: ProviderLock[]): LockFile {
  return { providers: new Map(entries.map((entry) => [entry.address, entry])) };
}

describe("formatLockFile", () => {
  it.each([
    ["tofu init", INIT],
    ["tofu providers lock", PROVIDERS_LOCK],
    ["an empty lock", EMPTY],
  ])("writes back a file %s wrote byte for byte", async (_, text) => {
    expect(formatLockFile(await parseLockFile(text))).toBe(text);
  });

  it("replaces an older header with OpenTofu's and changes nothing else", async () => {
    const written = formatLockFile(await parseLockFile(MIRROR_LOCK));
    expect(written).toBe(MIRROR_LOCK.replace('"terraform init"', '"tofu init"'));
    expect(written.startsWith(LOCK_FILE_HEADER)).toBe(true);
  });

  it("writes what OpenTofu's SaveLocksToFile test expects: sorted blocks and hashes, canonical constraints", () => {
    const hashes = ["c", "b", "a"].map((c) => `test:${c.repeat(48)}`);
    const lock = lockOf(
      { address: "registry.opentofu.org/test/foo", version: "1.0.0", constraints: ">= 1.0.0", hashes },
      { address: "registry.opentofu.org/test/bar", version: "1.2.0", constraints: "~> 1", hashes: [] },
      { address: "registry.opentofu.org/test/baz", version: "1.2.0", hashes: [] },
      { address: "registry.opentofu.org/test/boo", version: "1.2.0", constraints: "1.2", hashes: [] },
    );
    expect(formatLockFile(lock)).toBe(SAVED);
  });

  it("drops duplicate hashes and sorts providers by host, namespace, type (not by the whole string)", async () => {
    const a = { address: "example.com/z/a", version: "1.0.0", hashes: ["zh:1", "h1:2", "zh:1"] };
    const b = { address: "example.com.au/a/a", version: "1.0.0", hashes: [] };
    const written = formatLockFile(lockOf(b, a));
    // "example.com" < "example.com.au" as hosts, though "example.com/" > "example.com." as strings.
    expect(written.indexOf("example.com/z/a")).toBeLessThan(written.indexOf("example.com.au/a/a"));
    expect(written).toContain('  hashes = [\n    "h1:2",\n    "zh:1",\n  ]\n');
    expect((await parseLockFile(written)).providers.size).toBe(2);
  });
});
