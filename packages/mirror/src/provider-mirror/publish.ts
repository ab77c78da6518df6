import { MediaType, type AnyRecord, type Descriptor, type ProviderPackageRecord, type Target, locatorName, formatLocator, type Locator } from "@tofu-oci/core";
import type { ProviderArtifactRecord, ReferrerRecord, TransferHooks } from "@tofu-oci/push";
import type { LocalZip } from "./zip-files.js";

/** One platform's verified zip, ready to push. */
export interface PlatformZip {
  os: string;
  arch: string;
  zip: LocalZip;
}

export interface PublishOptions {
  destination: Locator;
  target: Target;
  /** Replace an existing index under the version tag (when platforms are added). Default false. */
  force?: boolean;
  concurrency?: number;
  hooks?: TransferHooks;
  signal?: AbortSignal;
}

/**
 * Pushes a provider version with the push library: the zips byte for byte as layers, one
 * manifest per platform, and the index of design.md §3 under the version tag. Blobs the
 * destination has are not uploaded again.
 */
export async function publishVersion(provider: string, version: string, zips: readonly PlatformZip[], options: PublishOptions): Promise<ProviderArtifactRecord> {
  const record: ProviderPackageRecord = {
    kind: "package",
    type: "provider",
    provider,
    version,
    platforms: zips.map(({ os, arch, zip }) => ({ os, arch, file: zip.file, digest: `sha256:${zip.sha256}`, size: zip.size })),
  };
  const { push } = await import("@tofu-oci/push");
  const [pushed] = await push(
    {
      reference: locatorName(options.destination),
      ociLayout: options.destination.kind === "layout",
      packages: [record as unknown as AnyRecord],
      target: options.target,
      force: options.force ?? false,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.hooks ? { hooks: options.hooks } : {}),
    },
    options.signal ? { signal: options.signal } : {},
  );
  return pushed as ProviderArtifactRecord;
}

/** Attaches an SBOM file as a referrer of a platform manifest (referrers API or tag schema). */
export async function attachSbom(subjectDigest: string, file: string, options: PublishOptions): Promise<ReferrerRecord> {
  const { attach } = await import("@tofu-oci/push");
  return attach(
    {
      subject: formatLocator(options.destination, { digest: subjectDigest }),
      file,
      ociLayout: options.destination.kind === "layout",
      target: options.target,
      ...(options.hooks ? { hooks: options.hooks } : {}),
    },
    options.signal ? { signal: options.signal } : {},
  );
}

/** True when a CycloneDX SBOM already refers to the manifest. */
export async function hasSbom(target: Target, manifest: Descriptor, signal?: AbortSignal): Promise<boolean> {
  const referrers = await target.referrers(manifest, { artifactType: MediaType.cyclonedxJson, ...(signal ? { signal } : {}) });
  return referrers.some((referrer) => referrer.artifactType === MediaType.cyclonedxJson);
}
