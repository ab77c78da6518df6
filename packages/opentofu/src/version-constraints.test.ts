import { describe, expect, it } from "vitest";
import { exitCodeOf } from "@tofu-oci/core";
import { parseVersionConstraint, selectVersions } from "./version-constraints.js";

const VERSIONS = ["0.9.0", "1.0.0", "1.2.0", "1.2.5", "1.3.0", "2.0.0-beta1", "2.0.0", "2.1.0", "v3.0"];

function select(constraint?: string): string[] {
  return selectVersions(VERSIONS, constraint === undefined ? undefined : parseVersionConstraint(constraint));
}

describe("OpenTofu version constraints", () => {
  it("defaults to the newest version that is not a prerelease", () => {
    expect(select()).toEqual(["v3.0"]);
    expect(selectVersions(["1.0.0-rc1"])).toEqual([]);
  });

  it.each([
    ["1.2.0", ["1.2.0"]],
    ["= 1.2.0", ["1.2.0"]],
    ["~> 1.2", ["1.3.0", "1.2.5", "1.2.0"]],
    ["~> 1.2.0", ["1.2.5", "1.2.0"]],
    ["~> 2", ["2.1.0", "2.0.0"]],
    [">= 1.2, < 2.0", ["1.3.0", "1.2.5", "1.2.0"]],
    [">1.2.0,<=2.0.0,!=1.3.0", ["2.0.0", "1.2.5"]],
    ["2.0.0-beta1", ["2.0.0-beta1"]],
    [">= 2.0.0-beta1", ["v3.0", "2.1.0", "2.0.0", "2.0.0-beta1"]],
    ["~> 2.0.0", ["2.0.0"]],
  ])("%s selects %j", (constraint, expected) => {
    expect(select(constraint)).toEqual(expected);
  });

  it.each(["", "~>", "1.2,", ">= one", "^1.2.0", "1.2.3.4"])("refuses %j with a usage error", (text) => {
    let error: unknown;
    try {
      parseVersionConstraint(text);
    } catch (caught) {
      error = caught;
    }
    expect(exitCodeOf(error)).toBe(2);
    expect((error as Error).message).toContain("invalid version constraint");
  });
});
