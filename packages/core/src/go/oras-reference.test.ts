import { describe, expect, it } from "vitest";
import { parseOrasReference, validateOrasRepository } from "./oras-reference.js";

describe("oras-go registry.ParseReference (reference.go:119-177)", () => {
  it("accepts the separators ORAS allows: one . or _, __, any run of -", () => {
    for (const repository of ["a", "a.b", "a_b", "a__b", "a-b", "a---b", "a/b-c.d/e__f"]) {
      expect(validateOrasRepository(repository)).toBeUndefined();
    }
    for (const repository of ["", "A", "a..b", "a___b", "-a", "a-", "a/", "/a", "a//b", "a b"]) {
      expect(validateOrasRepository(repository)).toMatch(/^invalid reference: invalid repository/);
    }
  });

  it("refuses a long near miss at once (a trailing space after many - separated parts)", () => {
    const repository = `${"example-namespace/example-type-".repeat(8)}x `;
    expect(parseOrasReference(`r.example.com/${repository}`)).toEqual({
      ok: false,
      error: `invalid reference: invalid repository "${repository}"`,
    });
  });

  it("splits a tag and a digest", () => {
    expect(parseOrasReference("r.example.com/a/b:1.0")).toEqual({
      ok: true,
      reference: { registry: "r.example.com", repository: "a/b", reference: "1.0" },
    });
    expect(parseOrasReference("r.example.com/a/b:1.0@sha256:abc")).toMatchObject({ ok: false });
  });
});
