import { exitCodeOf } from "@tofu-oci/core";
import { describe, expect, it } from "vitest";
import { parseAnnotations } from "./annotations.js";
import { detectSbomType } from "./sbom.js";

describe("parseAnnotations", () => {
  it("parses key=value, keeping = in values and allowing empty values", () => {
    expect(parseAnnotations(["org.example.a=1=2", "b="])).toEqual({ "org.example.a": "1=2", b: "" });
  });

  it.each([["novalue"], ["=x"], ["bad key=1"]])("refuses %s with exit code 2", (flag) => {
    let error: unknown;
    try {
      parseAnnotations([flag]);
    } catch (e) {
      error = e;
    }
    expect(exitCodeOf(error)).toBe(2);
  });

  it("refuses a key given twice", () => {
    expect(() => parseAnnotations(["a=1", "a=2"])).toThrow(/twice/);
  });
});

describe("detectSbomType", () => {
  it("tells SPDX from CycloneDX by content", () => {
    expect(detectSbomType({ spdxVersion: "SPDX-2.3" })).toBe("application/spdx+json");
    expect(detectSbomType({ bomFormat: "CycloneDX", specVersion: "1.6" })).toBe("application/vnd.cyclonedx+json");
    expect(detectSbomType({ bomFormat: "Other" })).toBeUndefined();
    expect(detectSbomType([1])).toBeUndefined();
  });
});
