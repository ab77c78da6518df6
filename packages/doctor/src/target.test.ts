import { exitCodeOf } from "@tofu-oci/core";
import { describe, expect, it } from "vitest";
import { parseTarget } from "./target.js";

describe("parseTarget", () => {
  it("puts the scratch repository under REF's repository by default", () => {
    expect(parseTarget("registry.example.com/team/modules")).toEqual({
      reference: "registry.example.com/team/modules",
      registry: "registry.example.com",
      repository: "team/modules",
      scratchRepository: "team/modules/tofu-oci-doctor",
    });
  });

  it("takes a bare registry host, in both reference styles", () => {
    for (const reference of ["127.0.0.1:5000", "oci://127.0.0.1:5000"]) {
      expect(parseTarget(reference)).toMatchObject({
        registry: "127.0.0.1:5000",
        repository: "",
        scratchRepository: "tofu-oci-doctor",
      });
    }
  });

  it("keeps REF's artifact, with an OpenTofu module source's subdirectory", () => {
    const target = parseTarget("oci://registry.example.com/modules/net//vpc?tag=1.0.0", "team/scratch");
    expect(target).toMatchObject({ repository: "modules/net", scratchRepository: "team/scratch" });
    expect(target.artifact).toMatchObject({ tag: "1.0.0", subdir: "vpc" });
  });

  it.each([
    ["", undefined],
    ["registry.example.com/Team", undefined],
    ["http://registry.example.com/team", undefined],
    ["registry.example.com/team", "scratch@sha256:00"],
    ["registry.example.com/team", "scratch:tag"],
    ["registry.example.com/team", "team"],
    ["registry.example.com/team", "UPPER"],
  ])("refuses %j with scratch %j as a usage error", (reference, scratch) => {
    expect(exitCodeOf(catchError(() => parseTarget(reference, scratch)))).toBe(2);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("no error");
}
