import { describe, expect, it } from "vitest";
import { exitCodeOf } from "@tofu-oci/core";
import { formatModuleAddress, parseModuleRequest } from "./module-address.js";

describe("parseModuleRequest", () => {
  it("defaults the host to registry.opentofu.org and parses the constraint", () => {
    const request = parseModuleRequest("terraform-aws-modules/vpc/aws@~> 5.0");
    expect(formatModuleAddress(request.address)).toBe("registry.opentofu.org/terraform-aws-modules/vpc/aws");
    expect(request.constraint?.matches("5.9.1")).toBe(true);
    expect(request.constraint?.matches("6.0.0")).toBe(false);
  });

  it("keeps an explicit host with a port, lowercased", () => {
    expect(parseModuleRequest("Registry.Example.com:8443/acme/net/aws").address).toEqual({
      hostname: "registry.example.com:8443",
      namespace: "acme",
      name: "net",
      system: "aws",
    });
  });

  it.each([
    "acme/net",
    "a/b/c/d/e",
    "acme/net/AWS",
    "acme/-net/aws",
    "acme/net/aws@",
    "acme/net/aws@>=",
    "./modules/net/aws",
  ])("refuses %j (exit 2)", (input) => {
    let error: unknown;
    try {
      parseModuleRequest(input);
    } catch (caught) {
      error = caught;
    }
    expect(exitCodeOf(error)).toBe(2);
  });
});
