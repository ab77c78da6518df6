import { describe, expect, it } from "vitest";
import { exitCodeOf, sha256Digest } from "@tofu-oci/core";
import { buildModuleManifest, buildProviderIndex, buildProviderManifest, parsePlatform } from "@tofu-oci/opentofu";
import { filterIndex } from "./platform-filter.js";

const manifests = ["linux_amd64", "darwin_arm64", "windows_amd64"].map((name) => {
  const [os, architecture] = name.split("_") as [string, string];
  return buildProviderManifest({ layer: { digest: sha256Digest(name), size: 10 }, platform: { os, architecture } });
});

function failure(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("filterIndex", () => {
  it("gives the bytes buildProviderIndex makes of the kept manifests, annotations included", () => {
    const annotations = { "org.opencontainers.image.created": "2024-01-01T00:00:00Z" };
    const full = buildProviderIndex({ manifests, annotations });
    const filtered = filterIndex(full.bytes, [parsePlatform("windows/amd64"), parsePlatform("linux_amd64")], "x");
    const expected = buildProviderIndex({ manifests: [manifests[0]!, manifests[2]!], annotations });
    expect(Buffer.from(filtered.index.bytes).equals(Buffer.from(expected.bytes))).toBe(true);
    expect(filtered.index.descriptor).toEqual(expected.descriptor);
    // Kept in the index's order (sorted by platform), whatever order --platform named them in.
    expect(filtered.kept.map((d) => d.platform?.os)).toEqual(["linux", "windows"]);
  });

  it("names a platform the index lacks (exit 3) and refuses a single manifest (exit 6)", () => {
    const full = buildProviderIndex({ manifests });
    const missing = failure(() => filterIndex(full.bytes, [parsePlatform("linux_arm64")], "acme:1.0.0"));
    expect(exitCodeOf(missing)).toBe(3);
    expect((missing as Error).message).toBe("acme:1.0.0 has no linux_arm64 platform");
    const module = buildModuleManifest({ layer: { digest: sha256Digest("m"), size: 1 } });
    expect(exitCodeOf(failure(() => filterIndex(module.bytes, [parsePlatform("linux_amd64")], "m")))).toBe(6);
  });

  it.each(["linux", "linux-amd64", "Linux_amd64", "linux_amd64_v8", ""])("refuses the platform %j (exit 2)", (text) => {
    expect(exitCodeOf(failure(() => parsePlatform(text)))).toBe(2);
  });
});
