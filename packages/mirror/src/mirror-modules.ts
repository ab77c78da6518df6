import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  NO_TRANSFER,
  TofuOciError,
  moduleArtifactRecord,
  parseLocator,
  pushGraph,
  resolveIfExists,
  usageError,
  type Descriptor,
  type Locator,
  type ModuleArtifactRecord,
  type Target,
  type TransferHooks,
} from "@tofu-oci/core";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";
import { moduleGraph, selectVersions, versionToTag } from "@tofu-oci/opentofu";
import { packModule } from "@tofu-oci/pack";
import { openShared, signalOf, withRegistryClient, type MirrorContext } from "./mirror-context.js";
import { ModuleRegistryClient, RegistryHttp, tokensFromEnv } from "@tofu-oci/registry-protocol";
import { checkDownloadHost } from "./modules/download-host.js";
import { fetchPackage } from "./modules/fetch-package.js";
import { formatModuleAddress, parseModuleRequest, type ModuleRequest } from "./modules/module-address.js";

/** Options of {@link mirrorModules}. */
export interface MirrorModulesOptions {
  /** `[HOST/]NAMESPACE/NAME/SYSTEM[@CONSTRAINT]`; host registry.opentofu.org, default the newest version. */
  module: string;
  /** The repository, `HOST/REPO` (one tag per version), or with `toOciLayout` a layout directory. */
  to: string;
  /** `to` is an OCI image layout directory, not a registry repository. Default false. */
  toOciLayout?: boolean;
  /** Allow http to a loopback module registry and its archives (tests). Default false. */
  sourcePlainHttp?: boolean;
  /**
   * Hosts (with port, as in a URL) that may serve packages besides the registry's own host.
   * Default: none listed, so any remote host may (each one named through `onNote`).
   */
  allowDownloadHosts?: readonly string[];
  /** The most one package download may write. Default 1 GiB. */
  maxDownloadSize?: number;
  /** Blob transfers at once. Default 4. */
  concurrency?: number;
  /** Registry client settings (TLS, credentials, plain http) of the destination. */
  clientOptions?: RegistryClientOptions;
  /** Upload progress (core's copy hooks). */
  hooks?: TransferHooks;
  /** Called before each version is fetched. */
  onVersion?: (version: string, state: "mirroring" | "present") => void;
  /** Things worth knowing that are not failures, e.g. a package served by another host than the registry. */
  onNote?: (message: string) => void;
  /** Receives a line per request, for --verbose. */
  log?: (line: string) => void;
}

/** The record of one mirrored module version: the module record of push plus where it came from. */
export interface MirroredModuleRecord extends ModuleArtifactRecord {
  /** `HOST/NAMESPACE/NAME/SYSTEM`. */
  module: string;
  /** The module version mirrored, e.g. `1.2.0` (the tag). */
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
 * tofu-oci-pack's library and copied in by core's engine. Versions whose tag exists are skipped
 * without fetching.
 * @throws TofuOciError with the exit code of docs/contract/design.md §2.2.
 */
export async function mirrorModules(
  options: MirrorModulesOptions,
  ctx: MirrorContext = {},
): Promise<MirroredModuleRecord[]> {
  const request = parseModuleRequest(options.module);
  const destination = parseModuleDestination(options.to, options.toOciLayout ?? false, ctx);
  const http = new RegistryHttp({
    plainHttp: options.sourcePlainHttp ?? false,
    ...(ctx.env ? { token: tokensFromEnv(ctx.env) } : {}),
    ...signalOf(ctx),
    ...(options.log ? { log: options.log } : {}),
    ...(options.maxDownloadSize ? { maxDownloadSize: options.maxDownloadSize } : {}),
  });
  try {
    const versions = await chooseVersions(new ModuleRegistryClient(http), request);
    return await withRegistryClient(options.clientOptions, async (client) => {
      const target = await openShared(destination, { client, create: true });
      const records: MirroredModuleRecord[] = [];
      for (const version of versions)
        records.push(await mirrorVersion({ request, version, destination, target, http, options, ctx }));
      return records;
    });
  } finally {
    await http.close();
  }
}

function parseModuleDestination(to: string, ociLayout: boolean, ctx: MirrorContext): Locator {
  const locator = parseLocator(to, { ociLayout, ...(ctx.cwd ? { cwd: ctx.cwd } : {}) });
  if (ociLayout && (locator.tag || locator.digest))
    throw usageError(
      `--to "${to}" names a tag or digest`,
      "Each version becomes a tag of its own; give the layout directory alone.",
    );
  if (locator.tag || locator.digest || locator.subdir)
    throw usageError(
      `--to "${to}" names more than a repository`,
      "Each version becomes a tag of its own: give HOST/REPO alone.",
    );
  return locator;
}

async function chooseVersions(registry: ModuleRegistryClient, request: ModuleRequest): Promise<string[]> {
  const available = await registry.versions(request.address);
  const chosen = selectVersions(available, request.constraint);
  if (chosen.length > 0) return chosen.reverse();
  const wanted = request.constraint ? `matches "${request.constraint.text}"` : "is a release (not a prerelease)";
  throw new TofuOciError("not-found", `no version of ${formatModuleAddress(request.address)} ${wanted}`, {
    hint:
      available.length > 0
        ? `The registry has ${available.slice(0, 20).join(", ")}${available.length > 20 ? ", ..." : ""}.`
        : "The registry lists no versions.",
  });
}

interface VersionJob {
  request: ModuleRequest;
  version: string;
  destination: Locator;
  target: Target;
  http: RegistryHttp;
  options: MirrorModulesOptions;
  ctx: MirrorContext;
}

async function mirrorVersion(job: VersionJob): Promise<MirroredModuleRecord> {
  const tag = versionToTag(job.version);
  const present = await resolveIfExists(job.target, tag, signalOf(job.ctx));
  job.options.onVersion?.(job.version, present ? "present" : "mirroring");
  if (present) return presentRecord(job, tag, present);
  const workDir = await mkdtemp(join(tmpdir(), "tofu-oci-mirror-module-"));
  try {
    const location = await new ModuleRegistryClient(job.http).location(job.request.address, job.version);
    const { hostname } = job.request.address;
    const elsewhere = checkDownloadHost(location, hostname, job.options.allowDownloadHosts ?? []);
    if (elsewhere)
      job.options.onNote?.(
        `${job.version}: the package is downloaded from ${elsewhere}, not from the registry ${hostname}`,
      );
    const fetched = await fetchPackage(location, workDir, { http: job.http, git: gitOptions(job) });
    const zip = await packModule(fetched.directory, { output: join(workDir, "module.zip"), ...signalOf(job.ctx) });
    const { options } = job;
    const pushed = await pushGraph(job.target, moduleGraph(zip), [tag], {
      concurrency: options.concurrency ?? 4,
      ...options.hooks,
      ...signalOf(job.ctx),
    });
    return {
      ...moduleArtifactRecord(job.destination, pushed.descriptor, [tag], pushed),
      ...moduleFields(job),
      from: fetched.from,
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function gitOptions(job: VersionJob) {
  return {
    plainHttp: job.options.sourcePlainHttp ?? false,
    ...(job.ctx.env ? { env: job.ctx.env } : {}),
    ...signalOf(job.ctx),
    ...(job.options.log ? { log: job.options.log } : {}),
  };
}

function moduleFields(job: VersionJob): Pick<MirroredModuleRecord, "module" | "version"> {
  return { module: formatModuleAddress(job.request.address), version: job.version };
}

/** The record of a version the destination had: same fields, nothing transferred. */
function presentRecord(job: VersionJob, tag: string, descriptor: Descriptor): MirroredModuleRecord {
  return {
    ...moduleArtifactRecord(job.destination, descriptor, [tag], NO_TRANSFER),
    ...moduleFields(job),
    alreadyMirrored: true,
  };
}
