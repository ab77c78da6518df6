import { describe, expect, it } from "vitest";
import { exitCodeOf, type TofuOciError } from "./errors.js";
import {
  formatLayoutReference,
  formatReference,
  parseLayoutReference,
  parseReference,
  type Reference,
} from "./reference.js";

const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("parseReference", () => {
  it.each<[string, Reference]>([
    [
      "registry.example.com/modules/vpc:1.0.0",
      { registry: "registry.example.com", repository: "modules/vpc", tag: "1.0.0" },
    ],
    ["localhost:5000/net", { registry: "localhost:5000", repository: "net" }],
    [`127.0.0.1:5000/a/b@${DIGEST}`, { registry: "127.0.0.1:5000", repository: "a/b", digest: DIGEST }],
    [`example.com/a:v1@${DIGEST}`, { registry: "example.com", repository: "a", digest: DIGEST }],
    ["EXAMPLE.com/a", { registry: "example.com", repository: "a" }],
    ["[::1]:5000/a", { registry: "[::1]:5000", repository: "a" }],
    ["oci://example.com/opentofu-vpc-module", { registry: "example.com", repository: "opentofu-vpc-module" }],
    ["oci://example.com/vpc?tag=1.2.0", { registry: "example.com", repository: "vpc", tag: "1.2.0" }],
    [`oci://example.com/vpc?digest=${DIGEST}`, { registry: "example.com", repository: "vpc", digest: DIGEST }],
    [
      "oci://example.com:8443/org/vpc//modules/subnet?tag=v2",
      { registry: "example.com:8443", repository: "org/vpc", subdir: "modules/subnet", tag: "v2" },
    ],
    ["oci://example.com/vpc//a/./b/", { registry: "example.com", repository: "vpc", subdir: "a/b" }],
    ["oci://example.com/vpc//a/../b", { registry: "example.com", repository: "vpc", subdir: "b" }],
    // As go-getter reads it (docs/contract/opentofu-rules.md §1): scheme case, forced getter, user info, escapes.
    ["OCI://Example.com/vpc?tag=1", { registry: "example.com", repository: "vpc", tag: "1" }],
    ["oci::oci://example.com/vpc", { registry: "example.com", repository: "vpc" }],
    ["oci://user:secret@example.com/vpc#ignored", { registry: "example.com", repository: "vpc" }],
    ["oci://example.com/modules%2Fvpc?tag=%31", { registry: "example.com", repository: "modules/vpc", tag: "1" }],
    ["oci://example.com/vpc.zip?archive=false", { registry: "example.com", repository: "vpc.zip" }],
    ["oci://example.com/vpc//", { registry: "example.com", repository: "vpc" }],
    ["oci://example.com/vpc//..", { registry: "example.com", repository: "vpc", subdir: ".." }],
  ])("parses %s", (input, expected) => {
    expect(parseReference(input)).toEqual(expected);
  });

  it.each([
    ["", "empty"],
    ["vpc:1.0.0", "registry host"],
    ["/vpc", "registry host"],
    ["example.com/", "repository name is missing"],
    ["example.com/Upper/Case", "lowercase"],
    ["example.com/a//b", "invalid repository"],
    ["example.com/a-/b", "invalid repository"],
    ["example.com/a:", "invalid tag"],
    ["example.com/a:.hidden", "invalid tag"],
    [`example.com/a:${"x".repeat(129)}`, "invalid tag"],
    ["example.com/a:1.0.0+build", 'cannot contain "+"'],
    ["example.com/a@sha256:abc", "invalid digest"],
    [`example.com/a@sha512:${"a".repeat(128)}`, "invalid digest"],
    [`example.com/a@sha256:${"A".repeat(64)}`, "invalid digest"],
    ["exa mple.com/a", "invalid registry host"],
    ["example.com:99999/a", "invalid registry host"],
    ["https://example.com/a", "only oci://"],
    ["oci://example.com/a?tag=", "must not be empty"],
    ["oci://example.com/a?tag=1&tag=2", "too many"],
    [`oci://example.com/a?tag=1&digest=${DIGEST}`, "both"],
    ["oci://example.com/a?ref=main", 'unsupported argument "ref"'],
    ["oci://example.com/a?x=1&y=2", "unsupported arguments"],
    ["oci://example.com/a?archive=zip", '"archive" argument is not allowed'],
    ["oci://example.com/a//../b", "leads outside of the module package"],
    // Current false passes of issue 17, refused as OpenTofu refuses them.
    [" oci://example.com/a", "invalid registry host"],
    ["oci://example.com/a?tag=1.0.0 ", "invalid tag"],
    ["oci://example.com/a?tag=1\n", "cannot detect a supported external module source type"],
    ["oci://example.com/net.zip", '"archive" argument is not allowed'],
    ["oci://example.com/net.tar.gz", '"archive" argument is not allowed'],
    ["oci://example.com/net%2ezip", '"archive" argument is not allowed'],
    ["oci://[127.0.0.1]/net", "invalid"],
    ["[127.0.0.1]/net", "invalid registry host"],
    ["OCI::oci://example.com/a", "download not supported for scheme 'OCI'"],
    ["oci://example.com/a?digest=sha256:zz", "invalid digest"],
  ])("refuses %j with a usage error (message or hint) mentioning %s", (input, fragment) => {
    let caught: unknown;
    try {
      parseReference(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(exitCodeOf(caught)).toBe(2);
    const { message, hint } = caught as TofuOciError;
    expect(`${message} ${hint ?? ""}`).toContain(fragment);
  });
});

describe("formatReference round trip", () => {
  // A seeded generator of valid references: each must survive format -> parse in both styles.
  function* randomReferences(count: number): Generator<Reference> {
    let seed = 42;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    const word = () => Array.from({ length: 1 + next(8) }, () => alphabet[next(36)]).join("");
    const separators = [".", "_", "__", "-", "--"];
    for (let i = 0; i < count; i++) {
      const components = Array.from({ length: 1 + next(3) }, () =>
        next(2) ? `${word()}${separators[next(5)]}${word()}` : word(),
      );
      const host = next(2) ? `${word()}.example.com` : `127.0.0.1:${1 + next(65534)}`;
      const ref: Reference = { registry: host, repository: components.join("/") };
      const choice = next(3);
      if (choice === 1) ref.tag = `${word()}${next(2) ? `.${next(100)}-rc_${word()}` : ""}`;
      if (choice === 2)
        ref.digest = `sha256:${Array.from({ length: 64 }, () => "0123456789abcdef"[next(16)]).join("")}`;
      yield ref;
    }
  }

  it("parse(format(ref)) == ref for 500 generated references in both styles", () => {
    for (const ref of randomReferences(500)) {
      expect(parseReference(formatReference(ref, "oras"))).toEqual(ref);
      expect(parseReference(formatReference(ref, "opentofu"))).toEqual(ref);
    }
  });

  it("keeps the subdirectory in the OpenTofu form", () => {
    const ref: Reference = { registry: "example.com", repository: "vpc", subdir: "modules/a", tag: "1.0" };
    expect(formatReference(ref, "opentofu")).toBe("oci://example.com/vpc//modules/a?tag=1.0");
    expect(parseReference(formatReference(ref, "opentofu"))).toEqual(ref);
  });
});

describe("parseLayoutReference", () => {
  it.each([
    ["./out", { path: "./out" }],
    ["./out:1.0.0", { path: "./out", tag: "1.0.0" }],
    [`/tmp/layout@${DIGEST}`, { path: "/tmp/layout", digest: DIGEST }],
    ["C:\\layouts\\a", { path: "C:\\layouts\\a" }],
    ["dir:with/colon", { path: "dir:with/colon" }],
  ])("parses %s", (input, expected) => {
    expect(parseLayoutReference(input)).toEqual(expected);
    expect(formatLayoutReference(parseLayoutReference(input))).toBe(input);
  });

  it("refuses an empty path and a bad tag", () => {
    expect(() => parseLayoutReference("")).toThrow(/empty/);
    expect(() => parseLayoutReference("./out:1.0.0+x")).toThrow(
      expect.objectContaining({ hint: expect.stringContaining("1.0.0_x") }),
    );
  });
});
