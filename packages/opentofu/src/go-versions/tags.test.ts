import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compareGoVersions, listProviderTags, tagToVersionAsOpenTofu } from "./tags.js";
import { formatGoVersion, parseGoVersion } from "./version.js";

interface TagCase {
  tag: string;
  expect:
    | { kind: "version"; version: string; lookupTag: string; sameTag: boolean }
    | { kind: "skipped"; error: string }
    | { kind: "crash"; panic: string };
}
const table = JSON.parse(readFileSync(new URL("../../test/cases/go-versions.json", import.meta.url), "utf8")) as {
  cases: TagCase[];
  compare: Array<{ a: string; b: string; expect: -1 | 0 | 1 }>;
};

describe("tags as OpenTofu's oci_mirror lists them (go-versions)", () => {
  it.each(table.cases.map((c) => [JSON.stringify(c.tag), c] as const))("%s", (_, c) => {
    const outcome = tagToVersionAsOpenTofu(c.tag);
    if (c.expect.kind === "version") {
      expect(outcome).toMatchObject({
        kind: "version",
        text: c.expect.version,
        lookupTag: c.expect.lookupTag,
        sameTag: c.expect.sameTag,
      });
    } else if (c.expect.kind === "skipped") {
      expect(outcome).toEqual({ kind: "skipped", reason: c.expect.error });
    } else {
      expect(outcome).toEqual({ kind: "crash", reason: `panic: ${c.expect.panic}` });
    }
  });
});

describe("go-versions ordering", () => {
  it.each(table.compare.map((c) => [`${c.a} vs ${c.b}`, c] as const))("%s", (_, c) => {
    const parse = (text: string) => {
      const result = parseGoVersion(text);
      if (!result.ok) throw new Error(result.error);
      return result.version;
    };
    expect(compareGoVersions(parse(c.a), parse(c.b))).toBe(c.expect);
    expect(compareGoVersions(parse(c.b), parse(c.a))).toBe(-c.expect || 0);
  });

  it("keeps numbers beyond 2^53 exact", () => {
    const result = parseGoVersion("18446744073709551615.9007199254740993.0");
    expect(result.ok && formatGoVersion(result.version)).toBe("18446744073709551615.9007199254740993.0");
  });
});

describe("listProviderTags (AvailableVersions over every tag)", () => {
  it("lists versions newest first, skips non-versions, and finds tags that crash or are fetched under another tag", () => {
    const listing = listProviderTags([
      "latest",
      "1.0.0",
      "1.0",
      "2.0",
      "1.1.0_build.1",
      "99999999999999999999.0.0",
      "v3.0.0",
    ]);
    expect(listing.versions).toEqual(["2.0.0", "1.1.0+build.1", "1.0.0"]);
    expect(listing.crashes).toEqual([
      { tag: "99999999999999999999.0.0", reason: expect.stringContaining("value out of range") },
    ]);
    expect(listing.misread).toEqual([
      { tag: "1.0", version: "1.0.0", lookupTag: "1.0.0", lookupExists: true },
      { tag: "2.0", version: "2.0.0", lookupTag: "2.0.0", lookupExists: false },
    ]);
  });
});
