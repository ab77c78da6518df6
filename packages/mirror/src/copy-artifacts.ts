import {
  copy,
  fetchManifest,
  formatLocator,
  TofuOciError,
  usageError,
  withManifests,
  type CopyOptions,
  type Descriptor,
  type Locator,
  type ReadOnlyTarget,
  type Target,
  type TransferHooks,
} from "@tofu-oci/core";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";
import { parsePlatform } from "@tofu-oci/opentofu";
import { artifactRecord, type MirroredArtifactRecord } from "./artifact-record.js";
import { filterIndex, type PlatformName } from "./platform-filter.js";
import {
  openShared,
  parseCopyLocator,
  cwdOf,
  signalOf,
  withRegistryClient,
  type MirrorContext,
} from "./mirror-context.js";
import { ReferrerSummaries } from "./referrer-summary.js";
import { assertShard, inShard, type Shard } from "./shard.js";

/** Options of {@link copyArtifacts}; SRC and DST are required, everything else has a default. */
export interface CopyArtifactsOptions {
  /** SRC: `HOST/REPO:TAG`, `HOST/REPO@DIGEST`, `oci://...`, or with `fromOciLayout` `PATH[:TAG|@DIGEST]`. */
  source: string;
  /** DST: `HOST/REPO[:TAG]` or with `toOciLayout` `PATH[:TAG]` (created when missing). Default tag: SRC's. */
  destination: string;
  /** Also copy referrers (SBOMs, signatures), recursively. Default false. */
  recursive?: boolean;
  /** Copy every tag of SRC's repository (referrers tag-schema tags excepted). Default false. */
  allTags?: boolean;
  /**
   * With `allTags`: copy only this share of the tags (`--shard K/N`, split by tag name), so N
   * machines together copy each tag once. Default: every tag.
   */
  shard?: Shard;
  /** Keep only these platforms of an index (`os_arch` or `os/arch`); this builds a new index. Default: all. */
  platforms?: readonly string[];
  /** `source` is an OCI image layout directory, not a registry reference. Default false. */
  fromOciLayout?: boolean;
  /** `destination` is an OCI image layout directory, not a registry repository. Default false. */
  toOciLayout?: boolean;
  /** Blob transfers at once. Default 4. */
  concurrency?: number;
  /** Registry client settings (TLS, credentials, plain http) for both sides. */
  clientOptions?: RegistryClientOptions;
  /** Transfer progress callbacks (core's copy hooks). Default: none. */
  hooks?: TransferHooks;
}

/** One artifact to copy: what to resolve at the source, and the tag to give it at the destination. */
interface CopyJob {
  selector: string;
  from: string;
  tag?: string | undefined;
}

interface CopyPlan {
  source: Locator;
  destination: Locator;
  platforms: PlatformName[];
  /** Undefined with `allTags`: the jobs come from the source's tag list. */
  job?: CopyJob;
  shard?: Shard;
}

/**
 * Copies a module artifact or a provider version (index, platform manifests, blobs and, with
 * `recursive`, referrers) between registries and OCI layouts, byte for byte: the digest at the
 * destination equals the digest at the source. Content already there is skipped; on the same
 * registry blobs are mounted. Returns one record per artifact.
 * @throws TofuOciError with the exit code of docs/contract/design.md §2.2.
 */
export async function copyArtifacts(
  options: CopyArtifactsOptions,
  ctx: MirrorContext = {},
): Promise<MirroredArtifactRecord[]> {
  const plan = planCopy(options, ctx);
  return withRegistryClient(options.clientOptions, async (client) => {
    const src = await openShared(plan.source, { client });
    const dst = await openShared(plan.destination, { client, create: true });
    const jobs = plan.job ? [plan.job] : await allTagJobs(src, plan.source, plan.shard, ctx);
    const records: MirroredArtifactRecord[] = [];
    for (const job of jobs) records.push(await copyJob(src, dst, job, plan, options, ctx));
    return records;
  });
}

/** Checks every argument before anything is opened (design: validate local input first). */
function planCopy(options: CopyArtifactsOptions, ctx: MirrorContext): CopyPlan {
  const source = parseCopyLocator(options.source, { ociLayout: options.fromOciLayout ?? false, ...cwdOf(ctx) });
  const destination = parseCopyLocator(options.destination, { ociLayout: options.toOciLayout ?? false, ...cwdOf(ctx) });
  const platforms = (options.platforms ?? []).map(parsePlatform);
  if (destination.digest)
    throw usageError(
      `DST "${options.destination}" names a digest`,
      "The copy keeps SRC's digest; give DST a repository and optionally a tag.",
    );
  if (options.shard && !options.allTags)
    throw usageError("--shard splits the tags of --all-tags", "Add --all-tags, or leave --shard out.");
  if (options.allTags) {
    if (source.tag || source.digest || destination.tag)
      throw usageError(
        "--all-tags copies every tag of SRC's repository",
        "Leave the tag or digest out of SRC and DST.",
      );
    return { source, destination, platforms, ...(options.shard ? { shard: assertShard(options.shard) } : {}) };
  }
  const selector = source.tag ?? source.digest;
  if (!selector)
    throw usageError(`SRC "${options.source}" names no tag or digest`, "Add :TAG or @sha256:..., or pass --all-tags.");
  const tag = destination.tag ?? source.tag;
  if (!tag && destination.kind === "layout")
    throw usageError(
      "an OCI layout destination needs a tag",
      "Write DST as PATH:TAG; an untagged manifest in a layout cannot be found again.",
    );
  return { source, destination, platforms, job: { selector, from: formatLocator(source), tag } };
}

/**
 * One job per tag of the source repository (of this shard's tags with `shard`); `sha256-...`
 * referrers indexes travel with --recursive.
 */
async function allTagJobs(
  src: ReadOnlyTarget,
  source: Locator,
  shard: Shard | undefined,
  ctx: MirrorContext,
): Promise<CopyJob[]> {
  const tags: string[] = [];
  for await (const tag of src.tags({ ...signalOf(ctx) })) if (!/^sha256-[a-f0-9]{64}/.test(tag)) tags.push(tag);
  if (tags.length === 0)
    throw new TofuOciError("not-found", `${formatLocator(source)} has no tags`, { hint: "Check the repository name." });
  const jobs = tags
    .filter((tag) => inShard(shard, tag))
    .map((tag) => ({ selector: tag, from: formatLocator(source, { tag }), tag }));
  return jobs.sort((a, b) => (a.selector < b.selector ? -1 : 1));
}

async function copyJob(
  src: ReadOnlyTarget,
  dst: Target,
  job: CopyJob,
  plan: CopyPlan,
  options: CopyArtifactsOptions,
  ctx: MirrorContext,
): Promise<MirroredArtifactRecord> {
  const referrers = new ReferrerSummaries();
  const copyOptions: CopyOptions = {
    concurrency: options.concurrency ?? 4,
    referrers: options.recursive ?? false,
    ...options.hooks,
    onReferrers: referrers.onReferrers,
    ...signalOf(ctx),
  };
  const root = await src.resolve(job.selector, signalOf(ctx));
  const { manifest, bytes } = await fetchManifest(src, root, signalOf(ctx));
  const common = { from: job.from, sourceDigest: root.digest, destination: plan.destination, tag: job.tag };
  const tags = job.tag ? [job.tag] : [];
  if (plan.platforms.length === 0) {
    const copied = await copy(src, root, dst, tags, copyOptions);
    return artifactRecord({ ...common, descriptor: root, manifest, counts: copied, referrers: referrers.list() });
  }
  // The rebuilt index is new; the platform manifests and zips it keeps come from SRC.
  const filtered = filterIndex(bytes, plan.platforms, job.from);
  const { descriptor } = filtered.index;
  const copied = await copy(withManifests(src, [filtered.index]), descriptor, dst, tags, {
    ...copyOptions,
    mountFrom: sameRegistry(plan),
  });
  const note = await filterNote(src, root, descriptor, filtered.kept, options.recursive ?? false, ctx);
  return artifactRecord({
    ...common,
    descriptor,
    manifest: filtered.index.manifest,
    counts: copied,
    referrers: referrers.list(),
    note,
  });
}

/** SRC's repository when DST is on the same registry, so its blobs are mounted, not uploaded. */
function sameRegistry(plan: CopyPlan): string[] {
  const { source, destination } = plan;
  return source.kind === "registry" && destination.kind === "registry" && source.registry === destination.registry
    ? [source.repository]
    : [];
}

/** Says what `--platform` changed, as the issue asks: a new index digest, the same zips. */
async function filterNote(
  src: ReadOnlyTarget,
  root: Descriptor,
  index: Descriptor,
  kept: Descriptor[],
  recursive: boolean,
  ctx: MirrorContext,
): Promise<string> {
  const names = kept.map((entry) => `${entry.platform!.os}_${entry.platform!.architecture}`).join(", ");
  let note = `--platform kept ${names}: the index digest changed from ${root.digest} to ${index.digest}; the platform manifests and zips are unchanged`;
  if (recursive) {
    const lost = await src.referrers(root, signalOf(ctx));
    if (lost.length > 0)
      note += `; ${lost.length} referrer(s) of the original index were not copied (they refer to its old digest)`;
  }
  return note;
}
