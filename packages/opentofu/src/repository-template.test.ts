import { exitCodeOf } from "@tofu-oci/core";
import { describe, expect, it } from "vitest";
import { parseProviderAddress } from "./provider-address.js";
import { assertRegistryTemplate, parseRepositoryTemplate, renderTemplate, templateRepository } from "./repository-template.js";

const aws = parseProviderAddress("hashicorp/aws");
const google = parseProviderAddress("hashicorp/google");
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

describe("repository templates (oci_mirror repository_template)", () => {
  it("substitutes hostname, namespace and type, with HCL escapes", () => {
    const template = parseRepositoryTemplate("reg.example.com/p/${hostname}/${ namespace }/${type}");
    expect(renderTemplate(template, aws)).toBe("reg.example.com/p/registry.opentofu.org/hashicorp/aws");
    expect(renderTemplate(parseRepositoryTemplate("a/$${x}/%%{y}"), aws)).toBe("a/${x}/%{y}");
    expect(templateRepository(template, aws)).toEqual({ registry: "reg.example.com", repository: "p/registry.opentofu.org/hashicorp/aws" });
  });

  it("refuses other symbols, directives and unclosed interpolations", () => {
    expect(usageMessage(() => parseRepositoryTemplate("r.example.com/${name}"))).toMatch(/"name" is not available/);
    expect(usageMessage(() => parseRepositoryTemplate("r.example.com/%{if x}a%{endif}"))).toMatch(/directives/);
    expect(usageMessage(() => parseRepositoryTemplate("r.example.com/${type"))).toMatch(/not closed/);
  });

  it("requires a variable when the providers differ in it, as OpenTofu's include rule does", () => {
    const noType = parseRepositoryTemplate("r.example.com/providers/${namespace}");
    expect(() => assertRegistryTemplate(noType, [aws])).not.toThrow();
    expect(usageMessage(() => assertRegistryTemplate(noType, [aws, google]))).toMatch(/must refer to \$\{type\}/);
  });

  it("requires registry/repository without tag or digest, and explains a port in ${hostname}", () => {
    expect(usageMessage(() => assertRegistryTemplate(parseRepositoryTemplate("${namespace}-${type}"), [aws]))).toMatch(/not a valid OCI repository address/);
    expect(usageMessage(() => assertRegistryTemplate(parseRepositoryTemplate("r.example.com/${namespace}/${type}:latest"), [aws]))).toMatch(/tag or digest/);
    expect(usageMessage(() => templateRepository(parseRepositoryTemplate("r.example.com/${hostname}/${namespace}/${type}"), local))).toMatch(/not a valid OCI repository/);
    expect(usageMessage(() => parseRepositoryTemplate(""))).toMatch(/empty/);
  });
});
