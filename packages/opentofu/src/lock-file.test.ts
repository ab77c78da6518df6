import { describe, expect, it } from "vitest";
import { exitCodeOf } from "@tofu-oci/core";
import { parseLockFile } from "./lock-file.js";
import { h1Problem, packageMatchesAnyHash, selectLock, zhProblem } from "./lock-hashes.js";

// As asserted in OpenTofu's internal/command/init_test.go.
const OPENTOFU_LOCK = `# This file is maintained automatically by "tofu init".
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
const DIGEST = "sha256:ac90a1419dd4648431af93b6695b6d6efcad87950ee608de4198df8e6debff23";

describe("parseLockFile", () => {
  it("reads a lock file OpenTofu wrote", async () => {
    const lock = await parseLockFile(OPENTOFU_LOCK);
    expect(lock.providers.get("registry.opentofu.org/hashicorp/test")).toEqual({
      address: "registry.opentofu.org/hashicorp/test",
      version: "1.2.3",
      constraints: "1.2.3",
      hashes: [
        "h1:8CjxaUBuegKZSFnRos39Fs+CS78ax0Dyb7aIA5XBiNI=",
        "zh:ac90a1419dd4648431af93b6695b6d6efcad87950ee608de4198df8e6debff23",
      ],
    });
  });
  it("accepts module blocks (a warning in OpenTofu) and unknown hash schemes", async () => {
    const lock = await parseLockFile(
      `module "x" {}\nprovider "example.com/a/b" {\n  version = "1.0.0"\n  hashes = ["zz:1"]\n}\n`,
    );
    expect(lock.providers.size).toBe(1);
  });
  it("is exit 6 for an invalid file", async () => {
    const error = await parseLockFile('provider "Example.com/a/b" {\n  version = "1.0.0"\n}\n').catch(
      (e: unknown) => e,
    );
    expect(exitCodeOf(error)).toBe(6);
  });
});

describe("the lock decision", () => {
  const lock = {
    address: "registry.opentofu.org/hashicorp/test",
    version: "1.2.3",
    hashes: ["h1:x", "zh:ac90a1419dd4648431af93b6695b6d6efcad87950ee608de4198df8e6debff23"],
  };
  it("needs the layer digest as zh: when any hash is locked", () => {
    expect(zhProblem(lock, DIGEST)).toBeUndefined();
    expect(zhProblem({ ...lock, hashes: ["h1:x"] }, DIGEST)).toContain("only h1:");
    expect(zhProblem({ ...lock, hashes: [] }, DIGEST)).toBeUndefined();
    expect(zhProblem({ ...lock, hashes: ["other:1"] }, DIGEST)).toBeUndefined();
  });
  it("tries hashes in file order: an h1: error before the match refuses, after it does not", async () => {
    const broken = {
      h1OfZipEntries: { error: "dirhash: filenames with newlines are not supported" },
      h1OfUnpackedPackage: "h1:y",
    };
    expect(await h1Problem(lock, DIGEST, broken)).toBeDefined();
    expect(await h1Problem({ ...lock, hashes: [...lock.hashes].reverse() }, DIGEST, broken)).toBeUndefined();
  });
  it("selects the only block at the version, or asks for --provider", () => {
    const two = {
      providers: new Map([
        ["a/b/c", { ...lock, address: "a/b/c" }],
        ["a/b/d", { ...lock, address: "a/b/d" }],
      ]),
    };
    expect(selectLock(two, undefined, "1.2.3").kind).toBe("problem");
    expect(selectLock(two, "a/b/d", "1.2.3")).toMatchObject({ kind: "entry", lock: { address: "a/b/d" } });
    expect(selectLock(two, undefined, "9.0.0").kind).toBe("none");
  });
});

describe("packageMatchesAnyHash (hash.go PackageMatchesAnyHash)", () => {
  const zh = `zh:${"a".repeat(64)}`;
  const fail = () => {
    throw new Error("dirhash: filenames with newlines are not supported");
  };

  it("accepts the first matching hash in order and computes h1: only when an h1: comes up", async () => {
    expect(await packageMatchesAnyHash([zh, "h1:x"], { zh, h1OfZipEntries: fail })).toEqual({ ok: true, hash: zh });
    let computed = 0;
    const h1OfZipEntries = () => (computed++, "h1:y");
    expect(await packageMatchesAnyHash(["h1:x", "zz:1", "h1:y", zh], { zh, h1OfZipEntries })).toEqual({
      ok: true,
      hash: "h1:y",
    });
    expect(computed).toBe(1);
  });

  it("refuses on an h1: error before a match, and checks nothing without hashes", async () => {
    expect(await packageMatchesAnyHash(["h1:x", zh], { zh, h1OfZipEntries: fail })).toEqual({
      ok: false,
      error: expect.stringContaining("newlines"),
    });
    expect(await packageMatchesAnyHash([`zh:${"b".repeat(64)}`, "other:1"], { zh, h1OfZipEntries: fail })).toEqual({
      ok: false,
    });
    expect(await packageMatchesAnyHash([], { zh, h1OfZipEntries: fail })).toEqual({ ok: true, hash: "" });
  });
});
