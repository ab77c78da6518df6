import { randomBytes } from "node:crypto";
import { zipSync } from "fflate";
import {
  buildReferrerManifest,
  EMPTY_CONFIG,
  EMPTY_CONFIG_BYTES,
  MediaType,
  sha256Digest,
  type Descriptor,
  type EncodedManifest,
  type ImageManifest,
  type Target,
} from "@tofu-oci/core";
import { buildModuleManifest, buildProviderIndex, buildProviderManifest } from "@tofu-oci/opentofu";

export const PLATFORMS = ["darwin_arm64", "linux_amd64", "linux_arm64", "windows_amd64"] as const;

export interface TestProvider {
  index: Descriptor;
  manifests: Array<EncodedManifest<ImageManifest>>;
  /** The release zips, by platform. */
  zips: Map<string, Descriptor>;
  /** One CycloneDX SBOM referrer per platform manifest. */
  sboms: Descriptor[];
}

/** A four-platform provider version (docs/contract/design.md §3) with a distinct zip per platform and an SBOM referrer on each. */
export async function pushProvider(target: Target, tag = "1.0.0"): Promise<TestProvider> {
  await target.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
  const manifests = [];
  const zips = new Map<string, Descriptor>();
  for (const platform of PLATFORMS) {
    const zip = zipOf({ [`terraform-provider-thing_v${tag}`]: randomBytes(4096) }, 0o755);
    const layer = { mediaType: MediaType.zip, digest: sha256Digest(zip), size: zip.length };
    await target.push(layer, zip);
    const [os, architecture] = platform.split("_") as [string, string];
    const manifest = buildProviderManifest({
      layer,
      platform: { os, architecture },
      title: `terraform-provider-thing_${tag}_${platform}.zip`,
    });
    await target.push(manifest.descriptor, manifest.bytes);
    manifests.push(manifest);
    zips.set(platform, layer);
  }
  const index = buildProviderIndex({ manifests });
  await target.push(index.descriptor, index.bytes, { tag });
  const sboms = [];
  for (const manifest of manifests) sboms.push(await attachSbom(target, manifest.descriptor));
  return { index: index.descriptor, manifests, zips, sboms };
}

/** A module package: one zip layer with the empty config. `zip` defaults to a small module. */
export async function pushModule(target: Target, tag = "1.0.0", zip: Uint8Array = moduleZip()): Promise<Descriptor> {
  const layer = { mediaType: MediaType.zip, digest: sha256Digest(zip), size: zip.length };
  await target.push(EMPTY_CONFIG, EMPTY_CONFIG_BYTES);
  await target.push(layer, zip);
  const manifest = buildModuleManifest({ layer, title: "module.zip" });
  await target.push(manifest.descriptor, manifest.bytes, { tag });
  return manifest.descriptor;
}

/** Attaches a CycloneDX SBOM to `subject` as a referrer, as tofu-oci-push attach writes it. */
export async function attachSbom(target: Target, subject: Descriptor): Promise<Descriptor> {
  const sbom = Buffer.from(
    JSON.stringify({
      bomFormat: "CycloneDX",
      specVersion: "1.6",
      serialNumber: `urn:uuid:${randomBytes(16).toString("hex")}`,
    }),
  );
  const digest = sha256Digest(sbom);
  const attachment = {
    file: "sbom.cdx.json",
    mediaType: MediaType.cyclonedxJson,
    artifactType: MediaType.cyclonedxJson,
    digest,
    size: sbom.length,
  };
  await target.push({ mediaType: attachment.mediaType, digest, size: sbom.length }, sbom);
  const referrer = buildReferrerManifest(subject, attachment);
  await target.push(referrer.descriptor, referrer.bytes);
  return referrer.descriptor;
}

/** A zip of a module with a main.tf and a random file, so every call gives new bytes. */
export function moduleZip(): Uint8Array {
  return zipOf({ "main.tf": Buffer.from('variable "name" {}\n'), "data.bin": randomBytes(2048) }, 0o644);
}

/** A zip made on "Unix" with fixed timestamps and the given file mode. */
function zipOf(files: Record<string, Uint8Array>, mode: number): Uint8Array {
  const entries = Object.fromEntries(
    Object.entries(files).map(([name, bytes]) => [
      name,
      [bytes, { mtime: new Date(1980, 0, 1), os: 3, attrs: (0o100000 | mode) << 16 }] as const,
    ]),
  );
  return zipSync(entries as unknown as Parameters<typeof zipSync>[0]);
}
