import { formatLocator, moduleSource, type ArtifactRecord, type EncodedManifest, type Locator, type TransferFields } from "@tofu-oci/core";
import type { ModulePlan } from "./push-module.js";
import type { ProviderPlan } from "./push-provider.js";
import type { AttachedReferrer } from "./referrer.js";
import type { TransferStats } from "./uploader.js";

/** Transfer figures every push record carries. */

/** The record of a pushed module (design.md §2.2). `source` pins the digest. */
export interface ModuleArtifactRecord extends ArtifactRecord, TransferFields {
  type: "module";
  tags: string[];
  size: number;
  /** The same module by its first tag: `oci://HOST/REPO?tag=TAG`. */
  sourceByTag: string;
  referrers: AttachedReferrer[];
}

/** One platform of a pushed provider version. */
export interface PushedPlatform {
  os: string;
  arch: string;
  /** The platform manifest's digest. */
  digest: string;
  /** The release zip's digest; as `zh:<hex>` it is the lock-file hash. */
  layerDigest: string;
  size: number;
  zh: string;
}

/** The record of a pushed provider version. `source` is the repository for `oci_mirror`. */
export interface ProviderArtifactRecord extends ArtifactRecord, TransferFields {
  type: "provider";
  provider: string;
  version: string;
  tags: string[];
  platforms: PushedPlatform[];
  referrers: AttachedReferrer[];
  /** Set when --force replaced different content under the version tag. */
  replaced?: string;
}

/** The record of `tofu-oci-push attach`. */
export interface ReferrerRecord extends TransferFields {
  kind: "referrer";
  reference: string;
  registry: string;
  repository: string;
  digest: string;
  mediaType: string;
  artifactType: string;
  /** The digest of the artifact this one refers to. */
  subject: string;
  file: string;
}

/** What `tofu-oci-push` prints per artifact: a module or a provider version. */
export type PushRecord = ModuleArtifactRecord | ProviderArtifactRecord;

/** The transfer fields of one operation's stats. */
export function transferFields(stats: TransferStats): TransferFields {
  const { blobsUploaded, blobsSkipped, blobsMounted, bytesUploaded, manifestsPushed } = stats;
  return { unchanged: blobsUploaded + blobsMounted + manifestsPushed === 0, blobsUploaded, blobsSkipped, blobsMounted, bytesUploaded };
}

/** The fields every artifact record starts with: what was pushed, where, under which tags. */
function artifactFields(ref: Locator, encoded: EncodedManifest, tags: string[]) {
  const { descriptor, manifest } = encoded;
  return {
    kind: "artifact" as const,
    reference: formatLocator(ref, { digest: descriptor.digest }),
    registry: ref.registry,
    repository: ref.repository,
    tag: tags[0]!,
    tags,
    digest: descriptor.digest,
    mediaType: descriptor.mediaType,
    artifactType: manifest.artifactType!,
  };
}

export function moduleRecord(ref: Locator, plan: ModulePlan, stats: TransferStats, referrers: AttachedReferrer[]): ModuleArtifactRecord {
  const { digest, size } = plan.manifest.descriptor;
  return {
    ...artifactFields(ref, plan.manifest, plan.tags),
    type: "module",
    size,
    source: moduleSource(ref, { digest }),
    sourceByTag: moduleSource(ref, { tag: plan.tags[0]! }),
    ...transferFields(stats),
    referrers,
  };
}

export function providerRecord(ref: Locator, plan: ProviderPlan, stats: TransferStats, referrers: AttachedReferrer[]): ProviderArtifactRecord {
  const record: ProviderArtifactRecord = {
    ...artifactFields(ref, plan.index, plan.tags),
    type: "provider",
    source: ref.kind === "layout" ? ref.repository : `${ref.registry}/${ref.repository}`,
    provider: plan.input.provider,
    version: plan.input.version,
    platforms: plan.input.platforms.map(({ os, arch, zip }, i) => ({
      os,
      arch,
      digest: plan.manifests[i]!.descriptor.digest,
      layerDigest: zip.digest,
      size: zip.size,
      zh: `zh:${zip.digest.slice("sha256:".length)}`,
    })),
    ...transferFields(stats),
    referrers,
  };
  const digest = plan.index.descriptor.digest;
  if (plan.previous && plan.previous !== digest) record.replaced = plan.previous;
  return record;
}
