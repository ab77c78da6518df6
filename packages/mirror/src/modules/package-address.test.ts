import { describe, expect, it } from "vitest";
import { exitCodeOf } from "@tofu-oci/core";
import { downloadHost, parsePackageAddress } from "./package-address.js";

function refused(address: string): Error {
  try {
    parsePackageAddress(address);
  } catch (error) {
    expect(exitCodeOf(error)).toBe(6);
    return error as Error;
  }
  throw new Error(`${address} was accepted`);
}

describe("downloadHost", () => {
  it.each([
    ["https://cdn.example.com:8443/net.zip", "cdn.example.com:8443"],
    ["git::ssh://git@example.com/org/repo.git", "example.com"],
    ["git@github.com:org/repo.git", "github.com"],
    ["github.com/org/repo", "github.com"],
  ])("%s is downloaded from %s", (address, host) => {
    expect(downloadHost(parsePackageAddress(address))).toBe(host);
  });
});

describe("parsePackageAddress (go-getter addresses a module registry returns)", () => {
  it.each([
    [
      "https://example.com/net-1.0.0.tar.gz",
      { kind: "archive", format: "tar.gz", url: "https://example.com/net-1.0.0.tar.gz" },
    ],
    ["https://example.com/net.tgz//modules/vpc", { kind: "archive", format: "tar.gz", subdir: "modules/vpc" }],
    [
      "https://example.com/net.zip?token=abc",
      { kind: "archive", format: "zip", url: "https://example.com/net.zip?token=abc" },
    ],
    [
      "https://example.com/download?archive=zip&x=1",
      { kind: "archive", format: "zip", url: "https://example.com/download?x=1" },
    ],
    ["https://example.com/net.tar.gz//sub?archive=tar.gz", { kind: "archive", format: "tar.gz", subdir: "sub" }],
    [
      `https::https://example.com/a.zip?checksum=sha256:${"a".repeat(64)}`,
      { kind: "archive", checksum: `sha256:${"a".repeat(64)}` },
    ],
    [
      "git::https://example.com/org/repo.git?ref=v1.2.0",
      { kind: "git", url: "https://example.com/org/repo.git", ref: "v1.2.0" },
    ],
    [
      "git::https://example.com/org/repo.git//modules/vpc?ref=v1.2.0&depth=1",
      { kind: "git", subdir: "modules/vpc", ref: "v1.2.0", depth: 1 },
    ],
    ["git::ssh://git@example.com/org/repo.git", { kind: "git", url: "ssh://git@example.com/org/repo.git" }],
    ["git@github.com:org/repo.git?ref=main", { kind: "git", url: "git@github.com:org/repo.git", ref: "main" }],
    [
      "github.com/org/repo//vpc?ref=v2",
      { kind: "git", url: "https://github.com/org/repo.git", subdir: "vpc", ref: "v2" },
    ],
    ["git::git://git.example.com:9418/modules.git", { kind: "git", url: "git://git.example.com:9418/modules.git" }],
  ])("%s", (address, expected) => {
    const parsed = parsePackageAddress(address) as unknown as Record<string, unknown>;
    const comparable = { ...parsed, ...("url" in parsed && parsed.url instanceof URL ? { url: parsed.url.href } : {}) };
    expect(comparable).toMatchObject(expected);
  });

  it.each([
    ["s3::https://s3.amazonaws.com/bucket/net.zip", /Amazon S3/],
    ["bucket.s3.amazonaws.com/net.zip", /Amazon S3/],
    ["gcs::https://www.googleapis.com/storage/v1/bucket/net.zip", /Google Cloud Storage/],
    ["www.googleapis.com/storage/v1/bucket/net.zip", /Google Cloud Storage/],
    ["hg::https://example.com/repo", /Mercurial/],
    ["oci://registry.example.com/modules/net?tag=1.0.0", /OCI registry.*tofu-oci-mirror copy/],
    ["https://example.com/net", /is not a zip or tar.gz archive/],
    ["https://example.com/net.tar.xz", /tar.xz archives are not supported/],
    ["https://example.com/net.zip?archive=false", /is not a zip or tar.gz archive/],
    ["https://example.com/net.zip?checksum=md5:abc", /checksum "md5:abc" is not supported/],
    ["git::https://example.com/repo.git?sshkey=abc", /sshkey is not supported/],
    ["git::https://example.com/repo.git?ref=--upload-pack=x", /is not a git ref/],
    ["git::ext::sh -c touch% /tmp/pwned", /remote helpers are not allowed/],
    ["https://example.com/net.zip//../etc", /leaves the package/],
    ["./local/module", /is a path on this machine/],
    // Issue 22, item 1: a remote registry's address may not reach this machine's own files.
    ["git::file:///srv/modules.git", /names a repository on this machine/],
    ["git::FILE:///srv/modules.git//vpc?ref=v1", /names a repository on this machine/],
    ["git::/srv/modules.git", /names a repository on this machine/],
    ["git::./modules.git", /names a repository on this machine/],
    ["git::C:\\modules.git", /names a repository on this machine/],
    ["git::fd::17", /remote helpers are not allowed/],
    ["file:///etc", /a local path/],
    ["file::/etc", /a local path/],
    ["hg::file:///srv/repo", /Mercurial/],
    ["/srv/modules", /is a path on this machine/],
    ["~/modules", /is a path on this machine/],
    ["bitbucket.org/org/repo", /Bitbucket/],
  ])("refuses %s", (address, message) => {
    expect(refused(address).message).toMatch(message);
  });
});
