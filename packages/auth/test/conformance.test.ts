import { readFileSync } from "node:fs";
import { EXPLANATION_KEYS, runCase, type ConformanceCase } from "@tofu-oci/auth/conformance";
import { describe, expect, it } from "vitest";

// The credential spec's own cases (docs/contract/auth/spec.md §11), kept once in the repository.
const casesFile = new URL("../../../docs/contract/auth/cases.json", import.meta.url);
const cases = JSON.parse(readFileSync(casesFile, "utf8")) as ConformanceCase[];

// OpenTofu's rules part 2 (docs/contract/opentofu-rules.md §5): failing helpers, HCL 1 repeated arguments.
const partTwoFile = new URL("../../opentofu/test/cases/auth.json", import.meta.url);
const partTwo = (JSON.parse(readFileSync(partTwoFile, "utf8")) as { cases: ConformanceCase[] }).cases;

async function expectCase(testCase: ConformanceCase): Promise<void> {
  const result = await runCase(testCase);
  const { error, ...expected } = Object.fromEntries(
    Object.entries(testCase.expect).filter(([key]) => !EXPLANATION_KEYS.includes(key)),
  );
  const { error: actualError, ...actual } = result;
  expect(actual).toEqual(expected);
  if (error !== undefined) expect(actualError).toContain(error);
  expect(Object.keys(result).sort()).toEqual(
    Object.keys(testCase.expect)
      .filter((key) => !EXPLANATION_KEYS.includes(key))
      .sort(),
  );
}

describe("OpenTofu conformance cases (cases.json, spec §11)", () => {
  it("has every case", () => {
    expect(cases).toHaveLength(83);
  });

  it.each(cases.map((testCase) => [testCase.name, testCase] as const))("%s", async (_name, testCase) => {
    await expectCase(testCase);
  });
});

describe("OpenTofu conformance cases, part 2 (opentofu/test/cases/auth.json)", () => {
  it("has every case", () => {
    expect(partTwo).toHaveLength(17);
  });

  it.each(partTwo.map((testCase) => [testCase.name, testCase] as const))("%s", async (_name, testCase) => {
    await expectCase(testCase);
  });
});
