import type { Readable } from "node:stream";
import { Annotation, assertTag, parseReference, usageError, type AnyRecord, type Target } from "@tofu-oci/core";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";
import { assertAnnotations } from "./annotations.js";
import { moduleRecord, providerRecord, type PushRecord } from "./artifact-records.js";
import { openDestination, parseDestination, type Destination, type DestinationRef } from "./destination.js";
import { loadInputs } from "./inputs.js";
import type { PushInput } from "./package-records.js";
import { assertSingleModule, planModule, pushModule, type ModulePlan } from "./push-module.js";
import { checkProviderTag, planProvider, pushProvider, type ProviderPlan } from "./push-provider.js";
import { attachTo, type AttachedReferrer } from "./referrer.js";
import { readSbom, type Attachment } from "./sbom.js";
import { Uploader, type TransferHooks } from "./uploader.js";

/** What to push where: a module zip or package records, the reference, tags and attachments. */
export interface PushOptions {
  /** REF: `HOST/REPO[:TAG]`, `oci://HOST/REPO[//SUBDIR][?tag=TAG]`, or with `ociLayout` `PATH[:TAG]`. */
  reference: string;
  /** A module zip to push. Default (or `-`): package records from `ctx.stdin`. */
  zip?: string;
  /** Package records to push instead of reading `zip` or stdin (library use). */
  packages?: readonly AnyRecord[];
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
  /** Blob uploads at once. Default 4. */
  concurrency?: number;
  /** Repositories of the same registry to mount blobs from instead of uploading them. */
  mountFrom?: readonly string[];
  /** Registry client settings (TLS, credentials, retries). */
  clientOptions?: RegistryClientOptions;
  /** Push into this target instead of opening REF (e.g. a MemoryTarget); REF then only names it. */
  target?: Target;
  hooks?: TransferHooks;
  /** Receives the records on stdin that are not package records, to pass on unchanged. */
  onOtherRecord?: (record: AnyRecord) => void;
}

/** The side effects push uses; all optional. */
export interface PushContext {
  stdin?: Readable;
  stdinIsTTY?: boolean;
  /** Base for relative paths. Default: the process's working directory. */
  cwd?: string;
  signal?: AbortSignal;
}

type Plan = ModulePlan | ProviderPlan;

/**
 * Pushes module and provider packages (design.md §3) to a registry repository or an OCI layout
 * and returns one artifact record per package. All local input is checked before the first
 * network request; blobs are streamed and skipped when present; manifests go last.
 * @throws TofuOciError with the exit code of design.md §2.2.
 */
export async function push(options: PushOptions, ctx: PushContext = {}): Promise<PushRecord[]> {
  const ref = parseDestination(options.reference, { ociLayout: options.ociLayout ?? false, ...(ctx.cwd ? { cwd: ctx.cwd } : {}) });
  assertMountSources(ref, options.mountFrom ?? []);
  const plans = planAll(await loadInputs({ ...options, ...ctx }), ref, options);
  const sboms = await readSboms(options.sboms ?? [], plans.length);
  const destination = await open(ref, options);
  try {
    const runs = plans.map((plan) => ({ plan, uploader: uploaderFor(destination, options, ctx) }));
    for (const { plan, uploader } of runs) {
      if (plan.type === "provider") await checkProviderTag(plan, uploader, destination.target.name, options.force ?? false);
    }
    const records: PushRecord[] = [];
    for (const { plan, uploader } of runs) records.push(await pushPlan(plan, uploader, destination, sboms));
    return records;
  } finally {
    await destination.client?.close();
  }
}

function planAll(inputs: PushInput[], ref: DestinationRef, options: PushOptions): Plan[] {
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
  if (paths.length > 0 && packages !== 1) throw usageError(`--sbom needs exactly one package to attach to, got ${packages}`);
  return Promise.all(paths.map((path) => readSbom(path)));
}

async function open(ref: DestinationRef, options: PushOptions): Promise<Destination> {
  return options.target ? { ...ref, target: options.target } : openDestination(ref, options.clientOptions);
}

function uploaderFor(destination: Destination, options: PushOptions, ctx: PushContext): Uploader {
  return new Uploader(destination.target, {
    concurrency: options.concurrency ?? 4,
    ...(options.mountFrom ? { mountFrom: options.mountFrom } : {}),
    ...(options.hooks ? { hooks: options.hooks } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
}

async function pushPlan(plan: Plan, uploader: Uploader, destination: Destination, sboms: Attachment[]): Promise<PushRecord> {
  if (plan.type === "module") await pushModule(plan, uploader);
  else await pushProvider(plan, uploader);
  const subject = plan.type === "module" ? plan.manifest.descriptor : plan.index.descriptor;
  const referrers: AttachedReferrer[] = [];
  for (const sbom of sboms) referrers.push((await attachTo(uploader, subject, sbom)).referrer);
  return plan.type === "module"
    ? moduleRecord(destination, plan, uploader.stats, referrers)
    : providerRecord(destination, plan, uploader.stats, referrers);
}

/** Mount sources are repositories of REF's registry. */
function assertMountSources(ref: DestinationRef, repositories: readonly string[]): void {
  if (repositories.length > 0 && ref.kind === "layout") throw usageError("--mount-from needs a registry destination, not an OCI layout");
  for (const repository of repositories) parseReference(`${ref.registry}/${repository}`);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
