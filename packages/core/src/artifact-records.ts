import { formatLocator, locatorName, moduleSource, type Locator } from "./locator.js";
import type { Descriptor } from "./manifest.js";
import {
  transferFields,
  type AttachedReferrer,
  type ModuleArtifactRecord,
  type ProviderArtifactRecord,
  type PushedPlatform,
} from "./records.js";
import type { TransferCounts } from "./transfer.js";

/** The fields every artifact record starts with: what was stored, where, under which tags. */
function artifactFields(locator: Locator, descriptor: Descriptor, tags: readonly string[]) {
  return {
    kind: "artifact" as const,
    reference: formatLocator(locator, { digest: descriptor.digest }),
    registry: locator.registry,
    repository: locator.repository,
    tag: tags[0]!,
    tags: [...tags],
    digest: descriptor.digest,
    mediaType: descriptor.mediaType,
    artifactType: descriptor.artifactType ?? "",
  };
}

/**
 * The record of a module stored at `locator` (docs/contract/design.md §2.2): `source` pins the digest, with the
 * locator's `//SUBDIR`; `sourceByTag` names the first tag.
 */
export function moduleArtifactRecord(
  locator: Locator,
  manifest: Descriptor,
  tags: readonly string[],
  counts: TransferCounts,
  referrers: AttachedReferrer[] = [],
): ModuleArtifactRecord {
  return {
    ...artifactFields(locator, manifest, tags),
    type: "module",
    size: manifest.size,
    source: moduleSource(locator, { digest: manifest.digest }),
    sourceByTag: moduleSource(locator, { tag: tags[0]! }),
    ...transferFields(counts),
    referrers,
  };
}

/** What {@link providerArtifactRecord} describes: a provider version's index and platforms. */
export interface ProviderRecordInput {
  /** The provider, `HOST/NAMESPACE/TYPE`. */
  provider: string;
  /** The provider version. */
  version: string;
  /** The index descriptor, with its artifactType. */
  index: Descriptor;
  /** Every tag pushed; the first is the version tag. */
  tags: readonly string[];
  /** One entry per platform manifest in the index. */
  platforms: PushedPlatform[];
  /** The index the version tag named before, when a push replaced it. */
  replaced?: string;
}

/** The record of a provider version stored at `locator`; `source` is the repository for `oci_mirror`. */
export function providerArtifactRecord(
  locator: Locator,
  input: ProviderRecordInput,
  counts: TransferCounts,
  referrers: AttachedReferrer[] = [],
): ProviderArtifactRecord {
  const record: ProviderArtifactRecord = {
    ...artifactFields(locator, input.index, input.tags),
    type: "provider",
    source: locatorName(locator),
    provider: input.provider,
    version: input.version,
    platforms: input.platforms,
    ...transferFields(counts),
    referrers,
  };
  if (input.replaced && input.replaced !== input.index.digest) record.replaced = input.replaced;
  return record;
}
