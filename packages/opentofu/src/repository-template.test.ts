import { exitCodeOf } from "@tofu-oci/core";
import { describe, expect, it } from "vitest";
import { parseProviderAddress } from "./provider-address.js";
import { parseRepositoryTemplate, renderTemplate, templateRepository } from "./repository-template.js";

const aws = parseProviderAddress("hashicorp/aws");
const local = parseProviderAddress("127.0.0.1:5000/acme/thing");

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(exitCodeOf(error)).toBe(2);
    return (error as Error).message;
  }
  throw new Error("expected a usage error");
}

describe("repository templates (oci_mirror repository_template, an HCL 2 template)", () => {
  const exact = (...providers: string[]) => ({ include: providers });
  const onlyAws = exact("registry.opentofu.org/hashicorp/aws");

  it("substitutes hostname, namespace and type, with HCL escapes, strip markers and directives", () => {
    const template = parseRepositoryTemplate("reg.example.com/p/${hostname}/${ namespace }/${type}");
    expect(renderTemplate(template, aws)).toBe("reg.example.com/p/registry.opentofu.org/hashicorp/aws");
    expect(renderTemplate(parseRepositoryTemplate("a/$${x}/%%{y}", { directory: true }), aws)).toBe("a/${x}/%{y}");
    expect(templateRepository(template, aws)).toEqual({
      registry: "reg.example.com",
      repository: "p/registry.opentofu.org/hashicorp/aws",
    });
    const directive = parseRepositoryTemplate(
      'r.example.com/%{ if namespace == "hashicorp" }official%{ else }${namespace}%{ endif }/  ${~ type}',
      onlyAws,
    );
    expect(templateRepository(directive, aws)).toEqual({ registry: "r.example.com", repository: "official/aws" });
  });

  it("refuses other symbols, functions and unclosed interpolations with OpenTofu's diagnostics", () => {
    expect(usageMessage(() => parseRepositoryTemplate("r.example.com/${name}/${namespace}/${type}", onlyAws))).toMatch(
      /the symbol "name" is not available/,
    );
    expect(usageMessage(() => parseRepositoryTemplate("r.example.com/${lower(namespace)}/${type}", onlyAws))).toMatch(
      /Function calls not allowed/,
    );
    expect(usageMessage(() => parseRepositoryTemplate("r.example.com/${type", onlyAws))).toMatch(/interpolation/i);
    expect(usageMessage(() => parseRepositoryTemplate(""))).toMatch(/"repository_template" argument is required/);
  });

  it("requires a variable unless include pins it, as OpenTofu does", () => {
    expect(() =>
      parseRepositoryTemplate("r.example.com/providers/${namespace}", exact("registry.opentofu.org/hashicorp/aws")),
    ).not.toThrow();
    expect(
      usageMessage(() =>
        parseRepositoryTemplate(
          "r.example.com/providers/${namespace}",
          exact("registry.opentofu.org/hashicorp/aws", "registry.opentofu.org/hashicorp/google"),
        ),
      ),
    ).toMatch(/must refer to the "type" symbol/);
  });

  it("reads include patterns as OpenTofu does: two parts take registry.opentofu.org, invalid ones skip the check", () => {
    expect(() => parseRepositoryTemplate("r.example.com/p/${type}", { include: ["hashicorp/*"] })).not.toThrow();
    expect(() =>
      parseRepositoryTemplate("r.example.com/p/${type}", {
        include: ["HashiCorp/*", "registry.opentofu.org/hashicorp/*"],
      }),
    ).not.toThrow();
    expect(
      usageMessage(() =>
        parseRepositoryTemplate("r.example.com/p/${type}", { include: ["hashicorp/*", "example.com/hashicorp/*"] }),
      ),
    ).toMatch(/must refer to the "hostname" symbol/);
    expect(() => parseRepositoryTemplate("r.example.com/p/${type}", { include: ["a/b/c/d"] })).not.toThrow();
  });

  it("requires registry/repository without tag or digest, nothing trimmed, and explains a port in ${hostname}", () => {
    expect(usageMessage(() => parseRepositoryTemplate("${namespace}/${type}:${hostname}"))).toMatch(
      /valid OCI repository address/,
    );
    expect(usageMessage(() => parseRepositoryTemplate("r.example.com/${namespace}/${type}:latest${hostname}"))).toMatch(
      /valid OCI repository address/,
    );
    expect(usageMessage(() => parseRepositoryTemplate(" r.example.com/${hostname}/${namespace}/${type}"))).toMatch(
      /valid OCI repository address/,
    );
    expect(usageMessage(() => parseRepositoryTemplate("r.example.com/${hostname}/${namespace}/${type} "))).toMatch(
      /valid OCI repository address/,
    );
    const withHost = parseRepositoryTemplate("r.example.com/${hostname}/${namespace}/${type}");
    expect(usageMessage(() => templateRepository(withHost, local))).toMatch(/not a valid OCI repository/);
    const bare = parseRepositoryTemplate("${hostname}", exact("registry.opentofu.org/hashicorp/aws"));
    expect(usageMessage(() => templateRepository(bare, aws))).toMatch(/without a repository/);
  });
});
