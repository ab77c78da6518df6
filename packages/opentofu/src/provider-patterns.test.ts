import { describe, expect, it } from "vitest";
import { exitCodeOf } from "@tofu-oci/core";
import { parseProviderAddress } from "./provider-address.js";
import { methodHandlesProvider, parseProviderPatterns } from "./provider-patterns.js";

const aws = parseProviderAddress("hashicorp/aws");
const thing = parseProviderAddress("registry.example.com/acme/thing");

describe("provider_installation include/exclude patterns", () => {
  it("matches by host (default registry.opentofu.org), namespace and type, with wildcards", () => {
    const only = (include: string[], exclude: string[] = []) => ({
      include: parseProviderPatterns(include),
      exclude: parseProviderPatterns(exclude),
    });
    expect(methodHandlesProvider(only(["hashicorp/*"]), aws)).toBe(true);
    expect(methodHandlesProvider(only(["hashicorp/*"]), thing)).toBe(false);
    expect(methodHandlesProvider(only(["*/*/*"]), thing)).toBe(true);
    expect(methodHandlesProvider(only(["REGISTRY.example.com/acme/*"]), thing)).toBe(true);
    expect(methodHandlesProvider(only([], ["registry.example.com/*/*"]), thing)).toBe(false);
    expect(methodHandlesProvider(only([], ["registry.example.com/*/*"]), aws)).toBe(true);
    expect(methodHandlesProvider(only(["*/*/*"], ["hashicorp/aws"]), aws)).toBe(false);
  });

  it.each(["aws", "a/b/c/d", "*/aws", "*/x/*", "bad host/a/b", "a/b_c"])("refuses %j (exit 2)", (pattern) => {
    let error: unknown;
    try {
      parseProviderPatterns([pattern]);
    } catch (e) {
      error = e;
    }
    expect(exitCodeOf(error)).toBe(2);
  });
});
