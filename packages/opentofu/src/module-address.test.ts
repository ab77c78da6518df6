import { describe, expect, it } from "vitest";
import { exitCodeOf } from "@tofu-oci/core";
import { formatModuleAddress, parseModuleAddress } from "./module-address.js";

describe("parseModuleAddress (regaddr ParseModuleSource)", () => {
  it("defaults the host to registry.opentofu.org and keeps the case of namespace and name", () => {
    expect(formatModuleAddress(parseModuleAddress("terraform-aws-modules/vpc/aws"))).toBe(
      "registry.opentofu.org/terraform-aws-modules/vpc/aws",
    );
    expect(parseModuleAddress("Acme/Net_Work/aws")).toMatchObject({ namespace: "Acme", name: "Net_Work" });
  });

  it("keeps an explicit host with a port, lowercased", () => {
    expect(parseModuleAddress("Registry.Example.com:8443/acme/net/aws")).toEqual({
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
    "./modules/net/aws",
    "localhost/acme/net/aws",
    "github.com/acme/net/aws",
  ])("refuses %j (exit 2)", (input) => {
    let error: unknown;
    try {
      parseModuleAddress(input);
    } catch (caught) {
      error = caught;
    }
    expect(exitCodeOf(error)).toBe(2);
  });
});
