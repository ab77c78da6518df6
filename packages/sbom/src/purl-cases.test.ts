import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseModInfo } from "./buildinfo/modinfo.js";
import { buildCycloneDx, type SbomSubject } from "./cyclonedx.js";

interface PurlCase {
  name: string;
  modinfo: string;
  expect: { components: Array<{ name: string; version: string; purl: string; replaced?: string }> };
}

// The case table of docs/contract/opentofu-rules.md §6, shared with @tofu-oci/opentofu.
const table = JSON.parse(
  readFileSync(new URL("../../opentofu/test/cases/sbom-purl.json", import.meta.url), "utf8"),
) as { cases: PurlCase[] };

const subject: SbomSubject = {
  provider: "registry.opentofu.org/example/x",
  version: "1.0.0",
  os: "linux",
  arch: "amd64",
  executable: { name: "terraform-provider-x", sha256: "0".repeat(64) },
  zh: `zh:${"0".repeat(64)}`,
  tool: { name: "tofu-oci-test", version: "0.0.0" },
};

interface CdxComponent {
  name: string;
  version: string;
  purl: string;
  properties?: Array<{ name: string; value: string }>;
}

describe("Go module purls in provider SBOMs (sbom-purl.json)", () => {
  it.each(table.cases)("$name", async (c) => {
    const bom = JSON.parse(await buildCycloneDx(subject, { ...parseModInfo(c.modinfo), goVersion: "go1.22.0" })) as {
      components: CdxComponent[];
    };
    const modules = bom.components.filter((component) => component.name !== "stdlib");
    expect(
      modules.map((component) => {
        const replaced = component.properties?.find((p) => p.name === "cdx:gomod:module:replaced")?.value;
        return {
          name: component.name,
          version: component.version,
          purl: component.purl,
          ...(replaced ? { replaced } : {}),
        };
      }),
    ).toEqual(c.expect.components);
  });
});
