import { parseProviderAddress, parseRepositoryTemplate } from "@tofu-oci/opentofu";
import { describe, expect, it } from "vitest";
import { cliConfigRecord, mirrorIncludePatterns } from "./providers-config.js";
import { destinationFor } from "./providers-input.js";

const aws = parseProviderAddress("hashicorp/aws");
const google = parseProviderAddress("hashicorp/google");

describe("where providers go, and the CLI configuration that finds them", () => {
  it("gives the template's repository, and directories with --oci-layout", () => {
    const template = parseRepositoryTemplate("reg.example.com/p/${hostname}/${ namespace }/${type}");
    expect(destinationFor(template, aws)).toEqual({
      kind: "registry",
      registry: "reg.example.com",
      repository: "p/registry.opentofu.org/hashicorp/aws",
    });
    expect(
      destinationFor(parseRepositoryTemplate("mirror/${namespace}/${type}", { directory: true }), aws, {
        ociLayout: true,
        cwd: "/tmp",
      }),
    ).toEqual({ kind: "layout", registry: "", repository: "/tmp/mirror/hashicorp/aws" });
  });

  it("prints the provider_installation block with include and direct exclude", () => {
    const providers = [google, aws];
    const template = parseRepositoryTemplate("r.example.com/p/${namespace}/${type}", {
      include: mirrorIncludePatterns(providers),
    });
    const { text, include } = cliConfigRecord(template, providers);
    expect(include).toEqual(["registry.opentofu.org/hashicorp/aws", "registry.opentofu.org/hashicorp/google"]);
    expect(text).toBe(
      [
        "provider_installation {",
        "  oci_mirror {",
        '    repository_template = "r.example.com/p/${namespace}/${type}"',
        '    include             = ["registry.opentofu.org/hashicorp/aws", "registry.opentofu.org/hashicorp/google"]',
        "  }",
        "  direct {",
        '    exclude = ["registry.opentofu.org/hashicorp/aws", "registry.opentofu.org/hashicorp/google"]',
        "  }",
        "}",
      ].join("\n"),
    );
  });

  it("checks the template against the printed include list, as OpenTofu loads that block", () => {
    const twoHosts = [aws, parseProviderAddress("example.com/hashicorp/aws")];
    const template = "r.example.com/p/${namespace}/${type}";
    expect(() => parseRepositoryTemplate(template, { include: mirrorIncludePatterns([aws, google]) })).not.toThrow();
    expect(() => parseRepositoryTemplate(template, { include: mirrorIncludePatterns(twoHosts) })).toThrow(
      /must refer to the "hostname" symbol/,
    );
  });
});
