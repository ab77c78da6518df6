import { fetchManifestBytes, parseManifest, type ImageIndex } from "@tofu-oci/core";
import { skopeo, skopeoInspectRaw } from "@tofu-oci/testkit";
import { afterAll, describe, expect, inject, it } from "vitest";
import { pushProvider } from "./fixtures.js";
import { mirrorOk, registryHelpers } from "./helpers.js";

const registry = inject("registries").plain;
const { repository, close } = registryHelpers(registry);
afterAll(close);

const skopeoTls = ["--src-tls-verify=false", "--dest-tls-verify=false"];

/**
 * Measured with skopeo 1.9.3 (Debian): `copy --all` re-encodes an OpenTofu provider index. It
 * drops `artifactType` from the index and from every entry and reorders the platform keys, so
 * the index digest changes (the platform manifests and zips stay byte for byte); with
 * `--preserve-digests` it refuses to copy at all. tofu-oci-mirror copy keeps every byte.
 */
describe("skopeo copy --all versus tofu-oci-mirror copy", () => {
  it("skopeo rewrites the provider index and drops artifactType; mirror keeps the bytes and the digest", async () => {
    const source = repository("skopeo-source");
    const provider = await pushProvider(source);
    const original = Buffer.from(await fetchManifestBytes(source, provider.index));

    const bySkopeo = repository("by-skopeo");
    await skopeo(["copy", "--all", ...skopeoTls, `docker://${source.name}:1.0.0`, `docker://${bySkopeo.name}:1.0.0`]);
    const rewritten = await skopeoInspectRaw(`${bySkopeo.name}:1.0.0`, registry.skopeoFlags);
    const skopeoIndex = parseManifest(rewritten) as ImageIndex;
    expect((await bySkopeo.resolve("1.0.0")).digest).not.toBe(provider.index.digest);
    expect(skopeoIndex.artifactType).toBeUndefined();
    expect(skopeoIndex.manifests.every((entry) => entry.artifactType === undefined)).toBe(true);
    // The platform manifests themselves survive unchanged.
    expect(skopeoIndex.manifests.map((entry) => entry.digest)).toEqual(
      provider.manifests.map((m) => m.descriptor.digest),
    );

    const preserving = await skopeo([
      "copy",
      "--all",
      "--preserve-digests",
      ...skopeoTls,
      `docker://${source.name}:1.0.0`,
      `docker://${repository("skopeo-preserve").name}:1.0.0`,
    ]).catch((error: { stderr?: Buffer }) => error);
    expect(String((preserving as { stderr?: Buffer }).stderr)).toMatch(/cannot modify it.*preserve digests/i);

    const byMirror = repository("by-mirror");
    const [record] = await mirrorOk(["copy", `${source.name}:1.0.0`, `${byMirror.name}:1.0.0`, "--plain-http"]);
    expect(record).toMatchObject({ digest: provider.index.digest, artifactType: "application/vnd.opentofu.provider" });
    const kept = await skopeoInspectRaw(`${byMirror.name}:1.0.0`, registry.skopeoFlags);
    expect(kept.equals(original)).toBe(true);
    expect(
      (parseManifest(kept) as ImageIndex).manifests.every(
        (entry) => entry.artifactType === "application/vnd.opentofu.provider-target",
      ),
    ).toBe(true);
  });
});
