import { describe, expect, it } from "vitest";
import { isValidOrasRegistry, parseRepositoryPrefix } from "./oras-reference.js";
import { matchPrefix } from "./prefix-match.js";
import { formatSpecificity } from "./specificity.js";

const spec = (prefix: string, registry: string, repository: string) =>
  formatSpecificity(matchPrefix(prefix, registry, repository));

describe("address prefixes (spec §6)", () => {
  it("validates registries like ORAS does", () => {
    for (const good of [
      "Example.COM",
      "-x.com",
      "a_b.com",
      "host:",
      "host:99999",
      "[::1]:5000",
      "bücher.de",
      "127.0.0.1:5000",
    ])
      expect(isValidOrasRegistry(good), good).toBe(true);
    for (const bad of ["", "a b", "host:abc", "a@b", "a#b", "a%20b"]) expect(isValidOrasRegistry(bad), bad).toBe(false);
  });

  it("ignores a trailing : or @ and rejects tags and digests", () => {
    expect(parseRepositoryPrefix("example.com/foo:")).toEqual({ registry: "example.com", repository: "foo" });
    expect(parseRepositoryPrefix("example.com/foo@")).toEqual({ registry: "example.com", repository: "foo" });
    expect(() => parseRepositoryPrefix(`example.com/foo@sha256:${"a".repeat(64)}`)).toThrow(
      "artifact tag or digest not allowed",
    );
    expect(() => parseRepositoryPrefix("example.com/Foo")).toThrow('invalid repository "Foo"');
  });

  it("matches whole segments, the exact domain and port, with no normalisation", () => {
    expect(spec("example.com/foo", "example.com", "foo/bar")).toBe("repository:1");
    expect(spec("example.com/foo", "example.com", "foo-bar")).toBe("none");
    expect(spec("example.com/foo/bar", "example.com", "foo")).toBe("none");
    expect(spec("example.com", "example.com:443", "x")).toBe("none");
    expect(spec("Example.com", "example.com", "x")).toBe("none");
    expect(spec("https://index.docker.io/v1/", "index.docker.io", "v1")).toBe("none");
    expect(spec("index.docker.io/v1", "index.docker.io", "v1")).toBe("repository:1");
    expect(spec("not a host", "not a host", "")).toBe("domain");
  });
});
