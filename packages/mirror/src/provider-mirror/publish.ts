import {
  MediaType,
  confirmTag,
  countsOf,
  digestFile,
  providerArtifactRecord,
  pushGraph,
  referrerGraph,
  type CopyOptions,
  type Descriptor,
  type Locator,
  type ProviderArtifactRecord,
  type Target,
  type TransferCounts,
  type TransferHooks,
} from "@tofu-oci/core";
import { h1OfUnpackedPackage, providerGraph, pushedPlatform, readPackageZip, versionToTag } from "@tofu-oci/opentofu";
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
  concurrency?: number;
  hooks?: TransferHooks;
  signal?: AbortSignal;
}

/**
 * Pushes a provider version through core's copy: the zips byte for byte as layers, one manifest
 * per platform (with the package's `h1:` recorded, `PROVIDER_H1_ANNOTATION`), and the index of
 * docs/contract/design.md §3 under the version tag. Blobs the destination has are not uploaded again.
 * `replaced` is the index the tag named before (platforms were added); `annotations` go on the
 * index (where its checksums came from, for re-runs).
 * @throws TofuOciError "invalid-input" for a zip OpenTofu's unzip would refuse (a zip bomb, a damaged archive).
 */
export async function publishVersion(
  provider: string,
  version: string,
  zips: readonly PlatformZip[],
  options: PublishOptions & { replaced?: string; annotations?: Record<string, string> },
): Promise<ProviderArtifactRecord> {
  const { listZip } = await import("@tofu-oci/core/zip");
  for (const { zip } of zips) await listZip(zip.file);
  const platforms = await Promise.all(
    zips.map(async ({ os, arch, zip }) => ({
      os,
      arch,
      zip: { file: zip.file, digest: `sha256:${zip.sha256}`, size: zip.size },
      h1: h1OfUnpackedPackage(await readPackageZip(zip.file)),
    })),
  );
  const graph = providerGraph(platforms, options.annotations ? { annotations: options.annotations } : {});
  const tags = [versionToTag(version)];
  const pushed = await pushGraph(options.target, graph, tags, copyOptions(options));
  // Another mirror run (or push) may have written this version at the same time and won the tag.
  await confirmTag(options.target, tags[0]!, pushed.descriptor, options.signal ? { signal: options.signal } : {});
  const record = {
    provider,
    version,
    index: pushed.descriptor,
    tags,
    platforms: platforms.map(({ os, arch, zip }, i) =>
      pushedPlatform(os, arch, graph.manifests[i]!.descriptor.digest, zip),
    ),
  };
  return providerArtifactRecord(
    options.destination,
    options.replaced ? { ...record, replaced: options.replaced } : record,
    countsOf(pushed),
  );
}

/** Attaches a CycloneDX SBOM file as a referrer of a platform manifest (referrers API or tag schema). */
export async function attachSbom(
  subjectDigest: string,
  file: string,
  options: PublishOptions,
): Promise<{ digest: string; counts: TransferCounts }> {
  const subject = await options.target.resolve(subjectDigest, options.signal ? { signal: options.signal } : {});
  const attachment = {
    file,
    ...(await digestFile(file)),
    mediaType: MediaType.cyclonedxJson,
    artifactType: MediaType.cyclonedxJson,
  };
  const pushed = await pushGraph(options.target, referrerGraph(subject, attachment), [], copyOptions(options));
  return { digest: pushed.descriptor.digest, counts: countsOf(pushed) };
}

/** True when a CycloneDX SBOM already refers to the manifest. */
export async function hasSbom(target: Target, manifest: Descriptor, signal?: AbortSignal): Promise<boolean> {
  const referrers = await target.referrers(manifest, {
    artifactType: MediaType.cyclonedxJson,
    ...(signal ? { signal } : {}),
  });
  return referrers.some((referrer) => referrer.artifactType === MediaType.cyclonedxJson);
}

function copyOptions(options: PublishOptions): CopyOptions {
  return {
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...options.hooks,
    ...(options.signal ? { signal: options.signal } : {}),
  };
}
