import { describe, expect, it } from "vitest";
import { exitCodeOf } from "@tofu-oci/core";
import { canonicalConstraints } from "./constraints-string.js";

// OpenTofu's own vectors: internal/getproviders/types_test.go:12 TestVersionConstraintsString.
const VECTORS: Array<[string, string]> = [
  ["1.2.3", "1.2.3"],
  ["1.2.3-beta", "1.2.3-beta"],
  ["1.2.3+foo.bar", "1.2.3+foo.bar"],
  ["1.2.3-beta+foo.bar", "1.2.3-beta+foo.bar"],
  [">= 3", ">= 3.0.0"],
  ["~> 3", "~> 3.0"],
  ["~> 3.0", "~> 3.0"],
  ["~> 3.0.0", "~> 3.0.0"],
  ["> 1.0.0, < 1.0.0, >= 1.0.0, <= 1.0.0, != 1.0.0", "> 1.0.0, >= 1.0.0, <= 1.0.0, < 1.0.0, != 1.0.0"],
  [">= 3.0, < 4.0", ">= 3.0.0, < 4.0.0"],
  [">= 1.2.3, 1.2.3, ~> 1.2, 1.2.3", "~> 1.2, >= 1.2.3, 1.2.3"],
  [">= 2.68, >= 2.68.0", ">= 2.68.0"],
  [
    "< 1.2.3, <= 1.2.3, != 1.2.3, 1.2.3+local.2, 1.2.3+local.1, = 1.2.4, = 1.2.3, > 2, > 1.2.3, >= 1.2.3, ~> 1.2.3, ~> 1.2",
    "~> 1.2, > 1.2.3, >= 1.2.3, 1.2.3, ~> 1.2.3, <= 1.2.3, < 1.2.3, != 1.2.3, 1.2.3+local.1, 1.2.3+local.2, 1.2.4, > 2.0.0",
  ],
  ["~> 1.2, >= 1.2, 1.2.4", ">= 1.2.0, ~> 1.2, 1.2.4"],
  [">= 2, >= 1.2, < 1.3", ">= 1.2.0, < 1.3.0, >= 2.0.0"],
];

describe("canonicalConstraints (the lock file's constraints)", () => {
  it.each(VECTORS)("%s -> %s", (given, canonical) => {
    expect(canonicalConstraints([given])).toBe(canonical);
  });

  it("merges the constraints of several modules into one sorted, deduplicated list", () => {
    expect(canonicalConstraints(["~> 5.0", ">= 5.1", "~>5.0"])).toBe("~> 5.0, >= 5.1.0");
    expect(canonicalConstraints([])).toBe("");
    expect(canonicalConstraints([" "])).toBe("");
  });

  it("orders prereleases as go-versions does: fewer dot-separated parts first", () => {
    expect(canonicalConstraints(["1.0.0-alpha.1, 1.0.0-beta, 1.0.0"])).toBe("1.0.0-beta, 1.0.0-alpha.1, 1.0.0");
  });

  it.each(["v1.0", "=> 1.0", "1.*", "~>  1.0", " 1.0, ", "1.2.3.4"])(
    "refuses %j as go-versions does (exit 2)",
    (text) => {
      expect(exitCodeOf(getError(() => canonicalConstraints([text])))).toBe(2);
    },
  );
});

function getError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}
