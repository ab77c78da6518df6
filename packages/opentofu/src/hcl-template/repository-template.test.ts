import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkRepositoryTemplate, expandRepositoryTemplate, type TemplateProvider } from "./repository-template.js";

interface TemplateCase {
  name: string;
  template: string;
  include: string[];
  expect:
    | {
        ok: true;
        expansions: Array<{ provider: TemplateProvider; registry?: string; repository?: string; error?: string }>;
      }
    | { ok: false; diagnostics: Array<{ summary: string; detail: string }> };
}
const table = JSON.parse(readFileSync(new URL("../../test/cases/hcl-template.json", import.meta.url), "utf8")) as {
  cases: TemplateCase[];
};

describe("oci_mirror repository_template as OpenTofu loads and expands it", () => {
  it.each(table.cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const checked = checkRepositoryTemplate(c.template, { include: c.include });
    if (!c.expect.ok) {
      expect(checked).toEqual({ ok: false, diagnostics: c.expect.diagnostics });
      return;
    }
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    for (const expansion of c.expect.expansions) {
      const result = expandRepositoryTemplate(checked.template, expansion.provider);
      if (expansion.error) expect(result).toMatchObject({ ok: false, error: expansion.error });
      else expect(result).toMatchObject({ ok: true, registry: expansion.registry, repository: expansion.repository });
    }
  });
});
