import type { Readable } from "node:stream";
import {
  Annotation,
  addCounts,
  assertTag,
  confirmTag,
  countsOf,
  moduleArtifactRecord,
  parseReference,
  providerArtifactRecord,
  pushGraph,
  referrerGraph,
  usageError,
  type AnyRecord,
  type Attachment,
  type AttachedReferrer,
  type CopyOptions,
  type Locator,
  type ModuleArtifactRecord,
  type PackageRecord,
  type ProviderArtifactRecord,
  type Target,
  type TransferHooks,
} from "@tofu-oci/core";
import { pushedPlatform } from "@tofu-oci/opentofu";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";
import { assertAnnotations } from "./annotations.js";
import { openDestination, parseDestination, type Destination } from "./destination.js";
import { loadInputs } from "./inputs.js";
import type { PushInput } from "./package-records.js";
import { assertSingleModule, planModule, type ModulePlan } from "./push-module.js";
import { checkProviderTag, planProvider, type ProviderPlan } from "./push-provider.js";
import { readSbom } from "./sbom.js";

/** What `tofu-oci-push` prints per artifact: a module or a provider version. */
export type PushRecord = ModuleArtifactRecord | ProviderArtifactRecord;

/** What to push where: a module zip or package records, the reference, tags and attachments. */
export interface PushOptions {
  /** REF: `HOST/REPO[:TAG]`, `oci://HOST/REPO[//SUBDIR][?tag=TAG]`, or with `ociLayout` `PATH[:TAG]`. */
  reference: string;
  /** A module zip to push. Default (or `-`): package records from `ctx.stdin`. */
  zip?: string;
  /** Package records to push instead of reading `zip` or stdin (library use). */
  packages?: readonly (PackageRecord | AnyRecord)[];
  /** Tags in addition to REF's. Modules default to `latest` when there is none at all. */
  tags?: readonly string[];
  /** REF is an OCI image layout directory, created when missing. Default false. */
  ociLayout?: boolean;
  /** Annotations of the module manifest or the provider index. */
  annotations?: Record<string, string>;
  /** Sets `org.opencontainers.image.created` (the bin passes SOURCE_DATE_EPOCH). Default: none. */
  created?: Date;
  /** SPDX or CycloneDX JSON files to attach as referrers of the pushed artifact. */
  sboms?: readonly string[];
  /** Replace a provider version tag that names different content. Default false. */
  force?: boolean;
  /** Blob transfers at once. Default 4. */
  concurrency?: number;
  /** Repositories of the same registry to mount blobs from instead of uploading them. */
  mountFrom?: readonly string[];
  /** Registry client settings (TLS, credentials, retries). */
  clientOptions?: RegistryClientOptions;
  /** Push into this target instead of opening REF (e.g. a MemoryTarget); REF then only names it. */
  target?: Target;
  /** Progress of every blob and manifest (core's copy hooks). */
  hooks?: TransferHooks;
  /** Receives the records on stdin that are not package records, to pass on unchanged. */
  onOtherRecord?: (record: AnyRecord) => void;
}

/** The side effects push uses; all optional. */
export interface PushContext {
  /** Where package records are read when neither `zip` nor `packages` is given. */
  stdin?: Readable;
  /** When true, stdin is a terminal and is not read: no input is a `usage` error (exit 2). */
  stdinIsTTY?: boolean;
  /** Base for relative paths. Default: the process's working directory. */
  cwd?: string;
  /** Aborts the push; blobs go first and the manifest last, so nothing half-pushed is tagged. */
  signal?: AbortSignal;
}

type Plan = ModulePlan | ProviderPlan;

/**
 * Pushes module and provider packages (docs/contract/design.md §3) to a registry repository or an OCI layout
 * and returns one artifact record per package. All local input is checked before the first
 * network request; blobs are streamed and skipped when present; manifests go last.
 * @throws TofuOciError with the exit code of docs/contract/design.md §2.2.
 */
export async function push(options: PushOptions, ctx: PushContext = {}): Promise<PushRecord[]> {
  const locator = parseDestination(options.reference, {
    ociLayout: options.ociLayout ?? false,
    ...(ctx.cwd ? { cwd: ctx.cwd } : {}),
  });
  assertMountSources(locator, options.mountFrom ?? []);
  const plans = planAll(await loadInputs({ ...options, ...ctx }), locator, options);
  const sboms = await readSboms(options.sboms ?? [], plans.length);
  const destination = await open(locator, options);
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  try {
    for (const plan of plans) {
      if (plan.type === "provider") await checkProviderTag(plan, destination.target, options.force ?? false, signal);
    }
    const copyOptions: CopyOptions = {
      concurrency: options.concurrency ?? 4,
      ...(options.mountFrom ? { mountFrom: options.mountFrom } : {}),
      ...options.hooks,
      ...signal,
    };
    const records: PushRecord[] = [];
    for (const plan of plans) records.push(await pushPlan(plan, destination, sboms, copyOptions));
    return records;
  } finally {
    await destination.client?.close();
  }
}

function planAll(inputs: PushInput[], ref: Locator, options: PushOptions): Plan[] {
  assertSingleModule(inputs.filter((input) => input.type === "module").length);
  const extraTags = (options.tags ?? []).map((tag) => assertTag(tag));
  const annotations = { ...assertAnnotations(options.annotations) };
  if (options.created) annotations[Annotation.created] = options.created.toISOString().replace(/\.\d{3}Z$/, "Z");
  return inputs.map((input) =>
    input.type === "module"
      ? planModule(input, { tags: unique([...(ref.tag ? [ref.tag] : []), ...extraTags]), annotations })
      : planProvider(input, { ...(ref.tag ? { refTag: ref.tag } : {}), tags: extraTags, annotations }),
  );
}

async function readSboms(paths: readonly string[], packages: number): Promise<Attachment[]> {
  if (paths.length > 0 && packages !== 1)
    throw usageError(`--sbom needs exactly one package to attach to, got ${packages}`);
  return Promise.all(paths.map((path) => readSbom(path)));
}

async function open(ref: Locator, options: PushOptions): Promise<Destination> {
  return options.target ? { ...ref, target: options.target } : openDestination(ref, options.clientOptions);
}

/** Pushes one artifact (its graph staged in memory, then copied) and attaches the SBOMs to it. */
async function pushPlan(
  plan: Plan,
  destination: Destination,
  sboms: Attachment[],
  options: CopyOptions,
): Promise<PushRecord> {
  const { target } = destination;
  const pushed = await pushGraph(target, plan.graph, plan.tags, options);
  // A concurrent push of other content to the same version may have won the tag.
  if (plan.type === "provider")
    await confirmTag(target, plan.tags[0]!, pushed.descriptor, options.signal ? { signal: options.signal } : {});
  let counts = countsOf(pushed);
  const referrers: AttachedReferrer[] = [];
  for (const sbom of sboms) {
    const graph = referrerGraph(pushed.descriptor, sbom);
    counts = addCounts(counts, await pushGraph(target, graph, [], options));
    referrers.push({ digest: graph.root.descriptor.digest, artifactType: sbom.artifactType, file: sbom.file });
  }
  if (plan.type === "module") return moduleArtifactRecord(destination, pushed.descriptor, plan.tags, counts, referrers);
  const { input, graph } = plan;
  const platforms = input.platforms.map(({ os, arch, zip }, i) =>
    pushedPlatform(os, arch, graph.manifests[i]!.descriptor.digest, zip),
  );
  const record = {
    provider: input.provider,
    version: input.version,
    index: pushed.descriptor,
    tags: plan.tags,
    platforms,
  };
  return providerArtifactRecord(
    destination,
    plan.previous ? { ...record, replaced: plan.previous } : record,
    counts,
    referrers,
  );
}

/** Mount sources are repositories of REF's registry. */
function assertMountSources(ref: Locator, repositories: readonly string[]): void {
  if (repositories.length > 0 && ref.kind === "layout")
    throw usageError("--mount-from needs a registry destination, not an OCI layout");
  for (const repository of repositories) parseReference(`${ref.registry}/${repository}`);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
