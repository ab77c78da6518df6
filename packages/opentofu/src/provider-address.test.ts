import { exitCodeOf } from "@tofu-oci/core";
import { describe, expect, it } from "vitest";
import {
  formatProviderAddress,
  isBuiltInProvider,
  parseProviderAddress,
  type ProviderAddressForm,
} from "./provider-address.js";

function problem(text: string, form?: ProviderAddressForm): string {
  try {
    parseProviderAddress(text, form ? { form } : {});
  } catch (error) {
    expect(exitCodeOf(error)).toBe(2);
    expect((error as Error).message).not.toContain("\n");
    return (error as Error).message;
  }
  throw new Error(`${text} parsed`);
}

describe("provider addresses (ParseProviderSourceString)", () => {
  it("defaults the host to registry.opentofu.org and normalizes to lowercase", () => {
    expect(formatProviderAddress(parseProviderAddress("HashiCorp/AWS"))).toBe("registry.opentofu.org/hashicorp/aws");
    expect(parseProviderAddress("Registry.Example.com:443/acme/thing")).toEqual({
      hostname: "registry.example.com",
      namespace: "acme",
      type: "thing",
    });
    expect(parseProviderAddress("127.0.0.1:8080/acme/thing").hostname).toBe("127.0.0.1:8080");
  });

  it("takes a lone type as hashicorp's, and the legacy namespace only on the default host", () => {
    expect(formatProviderAddress(parseProviderAddress("aws"))).toBe("registry.opentofu.org/hashicorp/aws");
    expect(parseProviderAddress("-/aws").namespace).toBe("-");
    expect(problem("example.com/-/aws")).toMatch(/legacy namespace/);
  });

  it("case-folds letters beyond ASCII, keeps a Unicode host for display and compares it as punycode", () => {
    const address = parseProviderAddress("Bücher.example/Ünicode/Thing");
    expect(address).toEqual({ hostname: "xn--bcher-kva.example", namespace: "ünicode", type: "thing" });
    expect(formatProviderAddress(address)).toBe("bücher.example/ünicode/thing");
  });

  it.each([
    ["a/b/c/d", /NAMESPACE\/TYPE/],
    ["a//b", /NAMESPACE\/TYPE/],
    ["hashicorp/-aws", /invalid provider type/],
    ["hashicorp/a--b", /invalid provider type/],
    ["hashicorp/a.b", /dots are not allowed/],
    ["hash_corp/aws", /invalid provider namespace/],
    ["hashicorp/terraform-provider-aws", /must not start with terraform-provider-/],
    ["hashicorp/terraform-aws", /must not start with terraform-/],
    ["hashicorp/opentofu-provider-aws", /must not start with opentofu-provider-/],
    ["bad host!/ns/type", /invalid registry host/],
    ["xn--bcher-kva.example/ns/type", /punycode/],
    ["example.com:70000/ns/type", /invalid port/],
  ])("refuses %s with exit 2 and a one-line message", (text, message) => {
    expect(problem(text)).toMatch(message);
  });

  it("suggests the type without the repository prefix", () => {
    let hint: string | undefined;
    try {
      parseProviderAddress("hashicorp/terraform-provider-aws");
    } catch (error) {
      hint = (error as { hint?: string }).hint;
    }
    expect(hint).toBe("Did you mean hashicorp/aws?");
  });
});

describe("the qualified and normalized forms", () => {
  it("qualified needs HOST/NAMESPACE/TYPE in any case", () => {
    expect(parseProviderAddress("Example.com/Acme/Thing", { form: "qualified" })).toEqual({
      hostname: "example.com",
      namespace: "acme",
      type: "thing",
    });
    expect(problem("hashicorp/test", "qualified")).toMatch(/HOSTNAME\/NAMESPACE\/TYPE/);
  });

  it("normalized takes only what addr.String() writes (lock file labels, locks_file.go:294)", () => {
    expect(
      formatProviderAddress(parseProviderAddress("registry.opentofu.org/hashicorp/aws", { form: "normalized" })),
    ).toBe("registry.opentofu.org/hashicorp/aws");
    expect(problem("Example.com/a/b", "normalized")).toMatch(/normalized form "example.com\/a\/b"/);
    expect(problem("example.com:443/a/b", "normalized")).toMatch(/normalized form "example.com\/a\/b"/);
    expect(problem("hashicorp/aws", "normalized")).toMatch(/HOSTNAME\/NAMESPACE\/TYPE/);
  });

  it("knows the built-in providers", () => {
    expect(isBuiltInProvider(parseProviderAddress("terraform.io/builtin/terraform"))).toBe(true);
    expect(isBuiltInProvider(parseProviderAddress("hashicorp/terraform"))).toBe(false);
  });
});
