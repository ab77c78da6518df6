import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { moduleSourceAsOpenTofu, type ModuleSourceOptions } from "./module-source.js";

interface SourceCase {
  name: string;
  source: string;
  options?: ModuleSourceOptions;
  expect: Record<string, unknown> & { kind: string };
}
const table = JSON.parse(readFileSync(new URL("../../../test/cases/go-getter.json", import.meta.url), "utf8")) as {
  cases: SourceCase[];
};

describe("module sources through go-getter to OpenTofu's oci getter", () => {
  it.each(table.cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const outcome = moduleSourceAsOpenTofu(c.source, c.options);
    const { note: _note, ...expected } = c.expect;
    expect(outcome).toMatchObject(expected);
    if (outcome.kind === "error" && expected.possibleErrors === undefined)
      expect(outcome.possibleErrors).toBeUndefined();
  });
});
