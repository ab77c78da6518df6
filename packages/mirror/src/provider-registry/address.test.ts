import { exitCodeOf } from "@tofu-oci/core";
import { formatProviderAddress } from "@tofu-oci/opentofu";
import { describe, expect, it } from "vitest";
import { parseProviderRequest } from "./address.js";

describe("provider requests", () => {
  it("parses the address as OpenTofu does", () => {
    expect(formatProviderAddress(parseProviderRequest("HashiCorp/AWS").address)).toBe(
      "registry.opentofu.org/hashicorp/aws",
    );
  });

  it("splits PROVIDER@CONSTRAINT at the first @", () => {
    expect(parseProviderRequest("hashicorp/aws@~> 5.0")).toMatchObject({ constraint: "~> 5.0" });
    expect(parseProviderRequest("hashicorp/aws").constraint).toBeUndefined();
  });

  it.each([
    ["aws", /NAMESPACE\/TYPE/],
    ["a/b/c/d", /NAMESPACE\/TYPE/],
    ["hashicorp/-aws", /invalid provider type/],
    ["hashicorp/a--b", /invalid provider type/],
    ["hash_corp/aws", /invalid provider namespace/],
    ["hashicorp/terraform-provider-aws", /must not start with terraform-provider-/],
    ["bad host!/ns/type", /invalid registry host/],
    ["hashicorp/aws@", /constraint after @ is empty/],
  ])("refuses %s with exit 2 and a one-line message", (input, message) => {
    let error: unknown;
    try {
      parseProviderRequest(input);
    } catch (e) {
      error = e;
    }
    expect(exitCodeOf(error)).toBe(2);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("\n");
  });
});
