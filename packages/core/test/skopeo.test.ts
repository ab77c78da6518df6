import { randomBytes } from "node:crypto";
import { join } from "node:path";
import {
  EMPTY_CONFIG,
  EMPTY_CONFIG_BYTES,
  copy,
  fetchManifestBytes,
  sha256Digest,
  staticCredentials,
} from "@tofu-oci/core";
import { OciLayout } from "@tofu-oci/core/layout";
import { RegistryClient, RemoteRepository } from "@tofu-oci/core/remote";
import { REGISTRY_MODES, skopeo, skopeoInspectRaw, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { afterAll, describe, expect, inject, it } from "vitest";
import { zipManifest } from "./support/artifacts.js";

const registries = inject("registries");
const scratch = tempDir();
afterAll(() => scratch.cleanup());

/** A module artifact in a fresh OCI layout written by core. */
async function moduleLayout(name: string) {
  const layout = await OciLayout.open(join(scratch.path, name), { create: true });
  const zip = randomBytes(2048);
  const layer = { mediaType: "archive/zip", digest: sha256Digest(zip), size: zip.length };
  const manifest = zipManifest(layer, { title: "module.zip" });
  await layout.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
  await layout.push(layer, zip);
  await layout.push(manifest.descriptor, manifest.bytes, { tag: "1.0.0" });
  return { layout, manifest };
}

describe.each(REGISTRY_MODES)("skopeo interoperability (%s)", (mode) => {
  const registry = registries[mode];
  const client = new RegistryClient({
    plainHttp: registry.plainHttp,
    ...(registry.caFile ? { caFile: registry.caFile } : {}),
    ...(registry.username
      ? { credentials: staticCredentials({ username: registry.username, password: registry.password! }) }
      : {}),
  });
  afterAll(() => client.close());

  it("core reads what skopeo pushed, byte for byte", async () => {
    const { layout, manifest } = await moduleLayout(`skopeo-push-${mode}`);
    const repository = uniqueRepository(`core/${mode}/from-skopeo`);
    await skopeo([
      "copy",
      "--preserve-digests",
      ...destFlags(registry.skopeoFlags),
      `oci:${layout.root}:1.0.0`,
      `docker://${registry.host}/${repository}:1.0.0`,
    ]);

    const remote = new RemoteRepository(client, registry.host, repository);
    const resolved = await remote.resolve("1.0.0");
    expect(resolved.digest).toBe(manifest.descriptor.digest);
    expect(Buffer.from(await fetchManifestBytes(remote, resolved)).equals(Buffer.from(manifest.bytes))).toBe(true);
  });

  it("skopeo reads what core copied, byte for byte, and writes a layout core reads", async () => {
    const { layout, manifest } = await moduleLayout(`core-push-${mode}`);
    const remote = new RemoteRepository(client, registry.host, uniqueRepository(`core/${mode}/to-skopeo`));
    await copy(layout, "1.0.0", remote, ["1.0.0"]);
    const raw = await skopeoInspectRaw(`${remote.name}:1.0.0`, registry.skopeoFlags);
    expect(raw.equals(Buffer.from(manifest.bytes))).toBe(true);

    const back = join(scratch.path, `skopeo-layout-${mode}`);
    await skopeo([
      "copy",
      "--preserve-digests",
      ...srcFlags(registry.skopeoFlags),
      `docker://${remote.name}:1.0.0`,
      `oci:${back}:copied`,
    ]);
    const skopeoLayout = await OciLayout.open(back);
    expect((await skopeoLayout.resolve("copied")).digest).toBe(manifest.descriptor.digest);
  });
});

/** skopeo copy wants --src-/--dest- prefixed transport flags. */
function destFlags(flags: string[]): string[] {
  return prefixed(flags, "dest");
}

function srcFlags(flags: string[]): string[] {
  return prefixed(flags, "src");
}

function prefixed(flags: string[], side: "src" | "dest"): string[] {
  return flags.map((flag) => (flag.startsWith("--") ? `--${side}-${flag.slice(2)}` : flag));
}
