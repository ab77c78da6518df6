import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { NOTHING_TRANSFERRED, TofuOciError, formatReference, parseLayoutReference, parseReference, usageError, type Descriptor, type Target } from "@tofu-oci/core";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";
import { selectVersions, versionToTag } from "@tofu-oci/opentofu";
import { packModule } from "@tofu-oci/pack";
import { push, type ModuleArtifactRecord, type TransferHooks as PushHooks } from "@tofu-oci/push";
import { ModuleRegistryClient, RegistryHttp, tokensFromEnv } from "@tofu-oci/registry-protocol";
import { formatEndpoint, openEndpoint, type Endpoint } from "./endpoint.js";
import { signalOf, withRegistryClient, type MirrorContext } from "./mirror-context.js";
import { fetchPackage } from "./modules/fetch-package.js";
import { formatModuleAddress, parseModuleRequest, type ModuleRequest } from "./modules/module-address.js";

/** Options of {@link mirrorModules}. */
export interface MirrorModulesOptions {
  /** `[HOST/]NAMESPACE/NAME/SYSTEM[@CONSTRAINT]`; host registry.opentofu.org, default the newest version. */
  module: string;
  /** The repository, `HOST/REPO` (one tag per version), or with `toOciLayout` a layout directory. */
  to: string;
  toOciLayout?: boolean;
  /** Allow http to a loopback module registry and its archives (tests). Default false. */
  sourcePlainHttp?: boolean;
  /** Blob uploads at once. Default 4. */
  concurrency?: number;
  clientOptions?: RegistryClientOptions;
  /** Upload progress, from push. */
  hooks?: PushHooks;
  /** Called before each version is fetched. */
  onVersion?: (version: string, state: "mirroring" | "present") => void;
  /** Receives a line per request, for --verbose. */
  log?: (line: string) => void;
}

/** The record of one mirrored module version: push's module record plus where it came from. */
export interface MirroredModuleRecord extends ModuleArtifactRecord {
  /** `HOST/NAMESPACE/NAME/SYSTEM`. */
  module: string;
  version: string;
  /** The package address the registry gave (a go-getter address or URL); absent when the tag was already there. */
  from?: string;
  /** True when the destination already had this version's tag, so nothing was fetched. */
  alreadyMirrored?: boolean;
}

/**
 * Mirrors module versions from a module registry (Module Registry Protocol: discovery
 * `modules.v1`, versions, download) into an OCI repository as module packages, one tag per
 * version. Each package is fetched (http(s) archive or git), repacked deterministically with
 * tofu-oci-pack's library and pushed with tofu-oci-push's. Versions whose tag exists are
 * skipped without fetching.
 * @throws TofuOciError with the exit code of design.md §2.2.
 */
export async function mirrorModules(options: MirrorModulesOptions, ctx: MirrorContext = {}): Promise<MirroredModuleRecord[]> {
  const request = parseModuleRequest(options.module);
  const destination = parseModuleDestination(options.to, options.toOciLayout ?? false, ctx);
  const http = new RegistryHttp({ plainHttp: options.sourcePlainHttp ?? false, ...(ctx.env ? { token: tokensFromEnv(ctx.env) } : {}), ...signalOf(ctx), ...(options.log ? { log: options.log } : {}) });
  try {
    const versions = await chooseVersions(new ModuleRegistryClient(http), request);
    return await withRegistryClient(options.clientOptions, async (client) => {
      const target = await openEndpoint(destination, { client, create: true });
      const records: MirroredModuleRecord[] = [];
      for (const version of versions) records.push(await mirrorVersion({ request, version, destination, target, http, options, ctx }));
      return records;
    });
  } finally {
    await http.close();
  }
}

function parseModuleDestination(to: string, ociLayout: boolean, ctx: MirrorContext): Endpoint {
  if (ociLayout) {
    const parsed = parseLayoutReference(to);
    if (parsed.tag || parsed.digest) throw usageError(`--to "${to}" names a tag or digest`, "Each version becomes a tag of its own; give the layout directory alone.");
    return { kind: "layout", registry: "", repository: resolve(ctx.cwd ?? ".", parsed.path) };
  }
  const parsed = parseReference(to);
  if (parsed.tag || parsed.digest || parsed.subdir) throw usageError(`--to "${to}" names more than a repository`, "Each version becomes a tag of its own: give HOST/REPO alone.");
  return { kind: "registry", registry: parsed.registry, repository: parsed.repository };
}

async function chooseVersions(registry: ModuleRegistryClient, request: ModuleRequest): Promise<string[]> {
  const available = await registry.versions(request.address);
  const chosen = selectVersions(available, request.constraint);
  if (chosen.length > 0) return chosen.reverse();
  const wanted = request.constraint ? `matches "${request.constraint.text}"` : "is a release (not a prerelease)";
  throw new TofuOciError("not-found", `no version of ${formatModuleAddress(request.address)} ${wanted}`, {
    hint: available.length > 0 ? `The registry has ${available.slice(0, 20).join(", ")}${available.length > 20 ? ", ..." : ""}.` : "The registry lists no versions.",
  });
}

interface VersionJob {
  request: ModuleRequest;
  version: string;
  destination: Endpoint;
  target: Target;
  http: RegistryHttp;
  options: MirrorModulesOptions;
  ctx: MirrorContext;
}

async function mirrorVersion(job: VersionJob): Promise<MirroredModuleRecord> {
  const tag = versionToTag(job.version);
  const present = await existing(job.target, tag, job.ctx);
  job.options.onVersion?.(job.version, present ? "present" : "mirroring");
  if (present) return presentRecord(job, tag, present);
  const workDir = await mkdtemp(join(tmpdir(), "tofu-oci-mirror-module-"));
  try {
    const location = await new ModuleRegistryClient(job.http).location(job.request.address, job.version);
    const fetched = await fetchPackage(location, workDir, { http: job.http, git: gitOptions(job) });
    const zip = await packModule(fetched.directory, { output: join(workDir, "module.zip"), ...signalOf(job.ctx) });
    const [pushed] = await push(pushOptions(job, tag, zip.file), { ...signalOf(job.ctx) });
    return moduleRecord(pushed as ModuleArtifactRecord, job, fetched.from);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function pushOptions(job: VersionJob, tag: string, zip: string) {
  const { options, destination } = job;
  return {
    reference: formatEndpoint(destination, { tag }),
    zip,
    ociLayout: destination.kind === "layout",
    concurrency: options.concurrency ?? 4,
    ...(options.clientOptions ? { clientOptions: options.clientOptions } : {}),
    ...(options.hooks ? { hooks: options.hooks } : {}),
  };
}

function gitOptions(job: VersionJob) {
  return { plainHttp: job.options.sourcePlainHttp ?? false, ...(job.ctx.env ? { env: job.ctx.env } : {}), ...signalOf(job.ctx), ...(job.options.log ? { log: job.options.log } : {}) };
}

/** What a tag already names at the destination, or undefined. */
async function existing(target: Target, tag: string, ctx: MirrorContext): Promise<Descriptor | undefined> {
  try {
    return await target.resolve(tag, signalOf(ctx));
  } catch (error) {
    if (error instanceof TofuOciError && error.code === "not-found") return undefined;
    throw error;
  }
}

function moduleRecord(pushed: ModuleArtifactRecord, job: VersionJob, from: string): MirroredModuleRecord {
  return { ...pushed, module: formatModuleAddress(job.request.address), version: job.version, from };
}

/** The record of a version the destination had: same fields, nothing transferred. */
function presentRecord(job: VersionJob, tag: string, descriptor: Descriptor): MirroredModuleRecord {
  const { destination } = job;
  const source = (selector: { digest: string } | { tag: string }) =>
    destination.kind === "layout" ? formatEndpoint(destination, selector) : formatReference({ registry: destination.registry, repository: destination.repository, ...selector }, "opentofu");
  return {
    kind: "artifact",
    type: "module",
    reference: formatEndpoint(destination, { digest: descriptor.digest }),
    registry: destination.registry,
    repository: destination.repository,
    tag,
    tags: [tag],
    digest: descriptor.digest,
    mediaType: descriptor.mediaType,
    artifactType: descriptor.artifactType ?? "",
    size: descriptor.size,
    source: source({ digest: descriptor.digest }),
    sourceByTag: source({ tag }),
    ...NOTHING_TRANSFERRED,
    referrers: [],
    module: formatModuleAddress(job.request.address),
    version: job.version,
    alreadyMirrored: true,
  };
}
