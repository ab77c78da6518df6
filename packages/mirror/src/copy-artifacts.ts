import { copyGraph, fetchManifest, TofuOciError, usageError, type Descriptor, type ReadOnlyTarget, type Target } from "@tofu-oci/core";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";
import { parsePlatform } from "@tofu-oci/opentofu";
import { artifactRecord, type MirroredArtifactRecord } from "./artifact-record.js";
import { formatEndpoint, openEndpoint, parseEndpoint, type Endpoint } from "./endpoint.js";
import { filterIndex, type PlatformName } from "./platform-filter.js";
import { cwdOf, signalOf, withRegistryClient, type MirrorContext } from "./mirror-context.js";
import { TransferTally, type TransferHooks } from "./transfer-tally.js";

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
  /** Keep only these platforms of an index (`os_arch` or `os/arch`); this builds a new index. Default: all. */
  platforms?: readonly string[];
  fromOciLayout?: boolean;
  toOciLayout?: boolean;
  /** Blob transfers at once. Default 4. */
  concurrency?: number;
  clientOptions?: RegistryClientOptions;
  hooks?: TransferHooks;
}

/** One artifact to copy: what to resolve at the source, and the tag to give it at the destination. */
interface CopyJob {
  selector: string;
  from: string;
  tag?: string | undefined;
}

interface CopyPlan {
  source: Endpoint;
  destination: Endpoint;
  platforms: PlatformName[];
  /** Undefined with `allTags`: the jobs come from the source's tag list. */
  job?: CopyJob;
}

/**
 * Copies a module artifact or a provider version (index, platform manifests, blobs and, with
 * `recursive`, referrers) between registries and OCI layouts, byte for byte: the digest at the
 * destination equals the digest at the source. Content already there is skipped; on the same
 * registry blobs are mounted. Returns one record per artifact.
 * @throws TofuOciError with the exit code of design.md §2.2.
 */
export async function copyArtifacts(options: CopyArtifactsOptions, ctx: MirrorContext = {}): Promise<MirroredArtifactRecord[]> {
  const plan = planCopy(options, ctx);
  return withRegistryClient(options.clientOptions, async (client) => {
    const src = await openEndpoint(plan.source, { client });
    const dst = await openEndpoint(plan.destination, { client, create: true });
    const jobs = plan.job ? [plan.job] : await allTagJobs(src, plan.source, ctx);
    const records: MirroredArtifactRecord[] = [];
    for (const job of jobs) records.push(await copyJob(src, dst, job, plan, options, ctx));
    return records;
  });
}

/** Checks every argument before anything is opened (design: validate local input first). */
function planCopy(options: CopyArtifactsOptions, ctx: MirrorContext): CopyPlan {
  const source = parseEndpoint(options.source, { ociLayout: options.fromOciLayout ?? false, ...cwdOf(ctx) });
  const destination = parseEndpoint(options.destination, { ociLayout: options.toOciLayout ?? false, ...cwdOf(ctx) });
  const platforms = (options.platforms ?? []).map(parsePlatform);
  if (destination.digest) throw usageError(`DST "${options.destination}" names a digest`, "The copy keeps SRC's digest; give DST a repository and optionally a tag.");
  if (options.allTags) {
    if (source.tag || source.digest || destination.tag) throw usageError("--all-tags copies every tag of SRC's repository", "Leave the tag or digest out of SRC and DST.");
    return { source, destination, platforms };
  }
  const selector = source.tag ?? source.digest;
  if (!selector) throw usageError(`SRC "${options.source}" names no tag or digest`, "Add :TAG or @sha256:..., or pass --all-tags.");
  const tag = destination.tag ?? source.tag;
  if (!tag && destination.kind === "layout") throw usageError("an OCI layout destination needs a tag", "Write DST as PATH:TAG; an untagged manifest in a layout cannot be found again.");
  return { source, destination, platforms, job: { selector, from: formatEndpoint(source), tag } };
}

/** One job per tag of the source repository; `sha256-...` referrers indexes travel with --recursive. */
async function allTagJobs(src: ReadOnlyTarget, source: Endpoint, ctx: MirrorContext): Promise<CopyJob[]> {
  const jobs: CopyJob[] = [];
  for await (const tag of src.tags({ ...signalOf(ctx) })) {
    if (!/^sha256-[a-f0-9]{64}/.test(tag)) jobs.push({ selector: tag, from: formatEndpoint(source, { tag }), tag });
  }
  if (jobs.length === 0) throw new TofuOciError("not-found", `${formatEndpoint(source)} has no tags`, { hint: "Check the repository name." });
  return jobs.sort((a, b) => (a.selector < b.selector ? -1 : 1));
}

async function copyJob(src: ReadOnlyTarget, dst: Target, job: CopyJob, plan: CopyPlan, options: CopyArtifactsOptions, ctx: MirrorContext): Promise<MirroredArtifactRecord> {
  const tally = new TransferTally(options.hooks);
  const copyOptions = { concurrency: options.concurrency ?? 4, referrers: options.recursive ?? false, ...signalOf(ctx), ...tally.copyOptions() };
  const root = await src.resolve(job.selector, signalOf(ctx));
  const { manifest, bytes } = await fetchManifest(src, root, signalOf(ctx));
  const common = { from: job.from, sourceDigest: root.digest, destination: plan.destination, tag: job.tag };
  if (plan.platforms.length === 0) {
    await copyGraph(src, dst, root, copyOptions);
    if (job.tag) await dst.tag(root, job.tag, signalOf(ctx));
    return artifactRecord({ ...common, descriptor: root, manifest, counts: tally.counts(), referrers: tally.referrers() });
  }
  const filtered = filterIndex(bytes, plan.platforms, job.from);
  for (const entry of filtered.kept) await copyGraph(src, dst, entry, copyOptions);
  const { descriptor } = filtered.index;
  await pushManifest(dst, filtered.index, job.tag, tally, ctx);
  const note = await filterNote(src, root, descriptor, filtered.kept, options.recursive ?? false, ctx);
  return artifactRecord({ ...common, descriptor, manifest: filtered.index.manifest, counts: tally.counts(), referrers: tally.referrers(), note });
}

/** Stores a manifest mirror built itself, then tags it. */
async function pushManifest(dst: Target, encoded: { descriptor: Descriptor; bytes: Uint8Array }, tag: string | undefined, tally: TransferTally, ctx: MirrorContext): Promise<void> {
  if (!(await dst.exists(encoded.descriptor, signalOf(ctx)))) {
    await dst.push(encoded.descriptor, encoded.bytes, signalOf(ctx));
    tally.manifestPushed(encoded.descriptor);
  }
  if (tag) await dst.tag(encoded.descriptor, tag, signalOf(ctx));
}

/** Says what `--platform` changed, as the issue asks: a new index digest, the same zips. */
async function filterNote(src: ReadOnlyTarget, root: Descriptor, index: Descriptor, kept: Descriptor[], recursive: boolean, ctx: MirrorContext): Promise<string> {
  const names = kept.map((entry) => `${entry.platform!.os}_${entry.platform!.architecture}`).join(", ");
  let note = `--platform kept ${names}: the index digest changed from ${root.digest} to ${index.digest}; the platform manifests and zips are unchanged`;
  if (recursive) {
    const lost = await src.referrers(root, signalOf(ctx));
    if (lost.length > 0) note += `; ${lost.length} referrer(s) of the original index were not copied (they refer to its old digest)`;
  }
  return note;
}
