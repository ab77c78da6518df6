import { readFileSync } from "node:fs";
import { EXPLANATION_KEYS, runCase, type ConformanceCase } from "@tofu-oci/auth/conformance";
import { describe, expect, it } from "vitest";

// The credential spec's own cases (docs/contract/auth/spec.md §11), kept once in the repository.
const casesFile = new URL("../../../docs/contract/auth/cases.json", import.meta.url);
const cases = JSON.parse(readFileSync(casesFile, "utf8")) as ConformanceCase[];

describe("OpenTofu conformance cases (cases.json, spec §11)", () => {
  it("has every case", () => {
    expect(cases).toHaveLength(83);
  });

  it.each(cases.map((testCase) => [testCase.name, testCase] as const))("%s", async (_name, testCase) => {
    const result = await runCase(testCase);
    const { error, ...expected } = Object.fromEntries(Object.entries(testCase.expect).filter(([key]) => !EXPLANATION_KEYS.includes(key)));
    const { error: actualError, ...actual } = result;
    expect(actual).toEqual(expected);
    if (error !== undefined) expect(actualError).toContain(error);
    expect(Object.keys(result).sort()).toEqual(Object.keys(testCase.expect).filter((key) => !EXPLANATION_KEYS.includes(key)).sort());
  });
});
