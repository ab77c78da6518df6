import { describeTransfer } from "@tofu-oci/core";
import {
  ArtifactType,
  formatLocator,
  isIndex,
  locatorName,
  moduleSource,
  transferFields,
  type ArtifactRecord,
  type Descriptor,
  type Locator,
  type Manifest,
  type TransferCounts,
  type TransferFields,
} from "@tofu-oci/core";
import type { ReferrerSummary } from "./referrer-summary.js";

/** What kind of OpenTofu artifact a manifest is, from its `artifactType`. */
export type ArtifactKind = "module" | "provider" | "other";

/** One platform of a copied provider version. */
export interface CopiedPlatform {
  /** The platform's operating system, e.g. `linux`. */
  os: string;
  /** The platform's architecture, e.g. `amd64`. */
  arch: string;
  /** The platform manifest's digest, the same at source and destination. */
  digest: string;
}

/**
 * The record of one artifact that mirror copied, exported or imported: push's artifact record
 * (docs/contract/design.md §2.2) plus where it came from and what the transfer moved.
 */
export interface MirroredArtifactRecord extends Omit<ArtifactRecord, "type">, TransferFields {
  /** What the artifact is, from its artifactType: `module`, `provider`, or `other`. */
  type: ArtifactKind;
  /** Where it was copied from: `HOST/REPO:TAG`, `HOST/REPO@DIGEST` or a layout path. */
  from: string;
  /** The digest at the source; equal to `digest` unless `--platform` built a new index. */
  sourceDigest: string;
  /** Referrers copied with it (with `--recursive`). */
  referrers: ReferrerSummary[];
  /** A provider index's platforms as copied; absent for other artifacts. */
  platforms?: CopiedPlatform[];
  /** Said when the digest changed: which platforms were kept and that the zips are unchanged. */
  note?: string;
}

/** The artifact kind of a manifest descriptor. */
export function artifactKind(descriptor: Descriptor): ArtifactKind {
  if (descriptor.artifactType === ArtifactType.module) return "module";
  if (descriptor.artifactType === ArtifactType.provider) return "provider";
  return "other";
}

/** The provider platforms of an index, in its order. */
export function platformsOf(manifest: Manifest): CopiedPlatform[] | undefined {
  if (!isIndex(manifest)) return undefined;
  return manifest.manifests
    .filter((entry) => entry.platform)
    .map((entry) => ({ os: entry.platform!.os, arch: entry.platform!.architecture, digest: entry.digest }));
}

/** What {@link artifactRecord} needs to describe one transferred artifact. */
export interface RecordInput {
  from: string;
  sourceDigest: string;
  /** The manifest stored at the destination. */
  descriptor: Descriptor;
  manifest: Manifest;
  destination: Locator;
  tag?: string | undefined;
  counts: TransferCounts;
  referrers: ReferrerSummary[];
  note?: string;
}

/** Builds the record of one transferred artifact. */
export function artifactRecord(input: RecordInput): MirroredArtifactRecord {
  const { descriptor, destination } = input;
  const type = artifactKind(descriptor);
  const record: MirroredArtifactRecord = {
    kind: "artifact",
    type,
    reference: formatLocator(destination, { digest: descriptor.digest }),
    registry: destination.registry,
    repository: destination.repository,
    ...(input.tag ? { tag: input.tag } : {}),
    digest: descriptor.digest,
    mediaType: descriptor.mediaType,
    artifactType: descriptor.artifactType ?? "",
    source: sourceString(type, destination, descriptor.digest),
    from: input.from,
    sourceDigest: input.sourceDigest,
    ...transferFields(input.counts),
    referrers: input.referrers,
  };
  const platforms = platformsOf(input.manifest);
  if (type === "provider" && platforms) record.platforms = platforms;
  if (input.note) record.note = input.note;
  return record;
}

/** What to paste into OpenTofu: a pinned module source, or the provider repository for `oci_mirror`. */
function sourceString(type: ArtifactKind, destination: Locator, digest: string): string {
  if (destination.kind === "layout") return formatLocator(destination, { digest });
  if (type === "provider") return locatorName(destination);
  if (type === "module") return moduleSource(destination, { digest });
  return formatLocator(destination, { digest });
}

/** The one-line text form of a record, for a terminal. */
export function describeArtifactRecord(record: MirroredArtifactRecord): string {
  const referrers = record.referrers.length > 0 ? `, ${record.referrers.length} referrers` : "";
  const lines = [`${record.type} ${record.from} -> ${record.reference} (${describeTransfer(record)}${referrers})`];
  if (record.note) lines.push(`  note: ${record.note}`);
  if (record.type !== "other") lines.push(`  source: ${record.source}`);
  return lines.join("\n");
}
