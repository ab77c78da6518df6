import { TofuOciError } from "@tofu-oci/core";
import { describe, expect, it } from "vitest";
import { providerTags } from "./push-provider.js";

function refusal(extra: string): string {
  try {
    providerTags("1.2.0+build.1", undefined, [extra]);
  } catch (error) {
    expect(error).toBeInstanceOf(TofuOciError);
    expect((error as TofuOciError).code).toBe("usage");
    return (error as TofuOciError).message;
  }
  throw new Error(`--tag ${extra} was accepted`);
}

describe("providerTags", () => {
  it("puts the version tag first, with + written as _, and drops repeats", () => {
    expect(providerTags("1.2.0+build.1", undefined, ["latest", "1.2.0_build.1", "stable"])).toEqual([
      "1.2.0_build.1",
      "latest",
      "stable",
    ]);
  });

  it("refuses a reference tag that is not the version's tag", () => {
    expect(() => providerTags("1.2.0", "1.2.1", [])).toThrow(/is not the provider version 1.2.0/);
  });

  it.each(["1.0", "2.0.0", "3", "1.2.0-beta_x"])("refuses extra tag %s, which OpenTofu lists as a version", (tag) => {
    expect(refusal(tag)).toMatch(/looks like a version/);
  });

  it("refuses an extra tag whose number makes go-versions panic", () => {
    expect(refusal("18446744073709551616.0.0")).toMatch(/would make tofu init crash/);
  });

  it.each(["latest", "stable-1", "sha256-abc", "v2.0.0"])("keeps extra tag %s, which OpenTofu skips", (tag) => {
    expect(providerTags("1.2.0", undefined, [tag])).toEqual(["1.2.0", tag]);
  });
});
