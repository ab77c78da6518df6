import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import {
  NO_TRANSFER,
  TofuOciError,
  addCounts,
  formatLocator,
  providerArtifactRecord,
  transferFields,
  type CheckResult,
  type DownloadHooks,
  type ProviderArtifactRecord,
  type Semaphore,
  type Target,
  type TransferHooks,
} from "@tofu-oci/core";
import { h1OfZipEntries, pushedPlatform, readPackageZip, versionToTag, zhOf } from "@tofu-oci/opentofu";
import {
  metadataChecks,
  zipChecks,
  type PackageMetadata,
  type ProviderRegistryClient,
  type RegistryHttp,
  type SignedSumsCache,
} from "@tofu-oci/registry-protocol";
import type { ProviderJob } from "../providers-input.js";
import { MirrorCheckId, checkResult } from "./check-ids.js";
import { checkLockHashes } from "./lock-check.js";
import { readMirroredVersion, type MirroredPlatform, type MirroredVersion } from "./mirror-state.js";
import { hasSbom, publishVersion, type PlatformZip, type PublishOptions } from "./publish.js";
import { failureRecord, type ProviderMirrorRecord, type ProvidersRecord } from "./records.js";
import { sourceAnnotations, unchangedSinceMirrored } from "./unchanged-version.js";
import { attachSboms } from "./version-sboms.js";
import { downloadZip, fetchMirroredZip, type LocalZip } from "./zip-files.js";

/** What mirroring one version needs from the run. */
export interface VersionRun {
  job: ProviderJob;
  client: ProviderRegistryClient;
  http: RegistryHttp;
  sums: SignedSumsCache;
  target: Target;
  /** Scratch space; the version's files go in a subdirectory removed afterwards. */
  workDir: string;
  /** Bounds concurrent downloads across versions. */
  slots: Semaphore;
  sbom: boolean;
  dryRun: boolean;
  concurrency: number;
  tool: { name: string; version: string };
  hooks: DownloadHooks & TransferHooks & { onWarning?(message: string): void };
  signal?: AbortSignal;
}

/** One platform's metadata and the verdicts of the checks that need no download. */
interface PlatformState {
  key: string;
  metadata: PackageMetadata;
  /** The SHA256SUMS document its metadata names, as fetched (undefined when missing). */
  sums: Uint8Array | undefined;
  checks: CheckResult[];
  mirrored?: MirroredPlatform;
  zip?: LocalZip;
}

/**
 * Mirrors one provider version: download metadata and signed SHA256SUMS for each platform, the
 * checks that need no download, a comparison with what the mirror holds (equal layer digests
 * mean nothing is downloaded or uploaded), then downloads, zip and lock checks, and only when
 * every platform passed, the push and the SBOMs. A failed check yields a failure record and
 * pushes nothing. `listed` are the platforms the registry's versions list names for the version:
 * one of them without download metadata (404) is the registry's fault, not a platform to skip.
 */
export async function mirrorVersion(
  run: VersionRun,
  version: string,
  platformKeys: readonly string[],
  listed: readonly string[] = [],
): Promise<ProvidersRecord | undefined> {
  const tag = versionToTag(version);
  const early = shortcutAllowed(run, platformKeys) ? await readMirroredVersion(run.target, tag, run.signal) : undefined;
  const unchanged =
    early &&
    (await unchangedSinceMirrored(run.job.name, early, platformKeys, (url, limit, what) =>
      run.http.document(url, limit, what),
    ));
  if (early && unchanged) return mirrorRecord(run, version, unchanged, early, undefined, 0);
  const platforms = await describePlatforms(run, version, platformKeys, listed);
  if (platforms.length === 0) {
    run.hooks.onWarning?.(`${run.job.name} ${version} has none of the platforms ${platformKeys.join(", ")}; skipped`);
    return undefined;
  }
  const fail = (checks: CheckResult[]) =>
    failureRecord(run.job.name, version, formatLocator(run.job.destination, { tag }), checks);
  const failed = platforms.flatMap((p) => p.checks.filter((c) => !c.ok));
  if (failed.length > 0) return fail(failed);
  const state = early ?? (await readMirroredVersion(run.target, tag, run.signal));
  const conflicts = compareWithMirror(state, platforms);
  if (conflicts.length > 0) return fail(conflicts);
  const dir = join(run.workDir, `${run.job.address.namespace}-${run.job.address.type}-${tag}`);
  await mkdir(dir, { recursive: true });
  try {
    return await completeVersion(run, version, platforms, state, dir, fail);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A re-run's shortcut (issue 19, {@link unchangedSinceMirrored}): when the mirror's index records
 * the SHA256SUMS it was mirrored from and the registry still serves that document unchanged, the
 * version is unchanged without the per-platform metadata, SHA256SUMS and signature requests of a
 * first run (one request to the provider registry instead of two per platform plus two). Not
 * taken when SBOMs are wanted (they are looked up per platform), with a lock file (its hashes are
 * checked per platform) or on a dry run.
 */
function shortcutAllowed(run: VersionRun, keys: readonly string[]): boolean {
  return !run.sbom && !run.dryRun && !run.job.pinned && keys.length > 0;
}

async function completeVersion(
  run: VersionRun,
  version: string,
  platforms: PlatformState[],
  state: MirroredVersion,
  dir: string,
  fail: (checks: CheckResult[]) => ProvidersRecord,
): Promise<ProvidersRecord> {
  const missing = platforms.filter((p) => !p.mirrored);
  const needSbom = run.sbom ? await platformsWithoutSbom(run, platforms) : [];
  const lockNeedsZip = platforms.filter((p) => p.mirrored && lockWantsH1(run, p)).map((p) => p.key);
  if (run.dryRun)
    return planRecord(
      run,
      version,
      platforms,
      missing.length === 0 ? "unchanged" : state.kind === "absent" ? "mirror" : "add-platforms",
    );
  const { mirroredZips, bytesDownloaded } = await acquireZips(
    run,
    state,
    platforms,
    missing,
    [...needSbom, ...lockNeedsZip],
    dir,
  );
  await lockChecks(run, platforms, mirroredZips);
  const failed = platforms.flatMap((p) => p.checks.filter((c) => !c.ok));
  if (failed.length > 0) return fail(failed);
  const options = publishOptions(run);
  const replaced = state.kind === "provider" ? { replaced: state.descriptor.digest } : {};
  const annotations = sourceAnnotations(
    run.job.name,
    platforms.map((p) => ({ url: p.metadata.shasumsUrl, document: p.sums })),
  );
  const publish = { ...options, ...replaced, ...(annotations ? { annotations } : {}) };
  const pushed =
    missing.length > 0
      ? await publishVersion(run.job.name, version, allZips(state, platforms, mirroredZips), publish)
      : undefined;
  const record = mirrorRecord(
    run,
    version,
    platforms.flatMap((p) => p.checks),
    state,
    pushed,
    bytesDownloaded,
  );
  if (!run.sbom) return record;
  const wanted = new Set([...missing.map((p) => p.key), ...needSbom]);
  const zipOf = (key: string) => platforms.find((p) => p.key === key)?.zip ?? mirroredZips.get(key);
  const attached = await attachSboms(
    run,
    version,
    record.platforms.filter((p) => wanted.has(`${p.os}_${p.arch}`)),
    zipOf,
    dir,
    options,
  );
  record.sboms = attached.sboms;
  return Object.assign(record, transferFields(addCounts(record, attached.counts)));
}

/**
 * Downloads the missing platforms from the registry (in parallel, bounded by the run's slots)
 * and checks each zip; takes the zips the mirror holds from the mirror when the index is
 * rebuilt, or for SBOMs and lock checks.
 */
async function acquireZips(
  run: VersionRun,
  state: MirroredVersion,
  platforms: PlatformState[],
  missing: PlatformState[],
  alsoFromMirror: string[],
  dir: string,
): Promise<{ mirroredZips: Map<string, LocalZip>; bytesDownloaded: number }> {
  await Promise.all(
    missing.map(async (p) => {
      p.zip = await downloadZip(run.http, p.metadata, dir, run.slots, run.hooks);
      p.checks.push(...zipChecks(p.metadata, p.zip));
    }),
  );
  const mirroredZips = await fetchFromMirror(run, state, missing.length > 0 ? "all" : alsoFromMirror, platforms, dir);
  const sizes = [...missing.map((p) => p.zip!.size), ...[...mirroredZips.values()].map((zip) => zip.size)];
  return { mirroredZips, bytesDownloaded: sizes.reduce((sum, size) => sum + size, 0) };
}

/** Metadata, SHA256SUMS and signature of each platform the registry has for the version. */
async function describePlatforms(
  run: VersionRun,
  version: string,
  keys: readonly string[],
  listed: readonly string[],
): Promise<PlatformState[]> {
  const described = await Promise.all(
    keys.map(async (key): Promise<PlatformState | undefined> => {
      const [os, arch] = key.split("_") as [string, string];
      const metadata = await run.client.packageMetadata(version, os, arch);
      if (!metadata && listed.includes(key)) {
        throw new TofuOciError(
          "network",
          `${run.job.name} ${version}: the registry lists ${key} for this version but has no download for it (HTTP 404)`,
          {
            hint: "The provider registry contradicts itself; mirror the platforms it can serve with --platform, or ask its operator.",
          },
        );
      }
      if (!metadata) return undefined;
      const sums = await run.sums.get(metadata);
      if (sums.warning) run.hooks.onWarning?.(`${run.job.name} ${version}: ${sums.warning}`);
      const checks = [sums.signature, ...(sums.document ? metadataChecks(metadata, sums.document) : [])];
      return {
        key,
        metadata,
        sums: sums.document,
        checks: checks.map((c) => ({ ...c, message: `${key}: ${c.message}` })),
      };
    }),
  );
  const present = described.filter((p): p is PlatformState => p !== undefined);
  const absent = keys.filter((key) => !present.some((p) => p.key === key));
  if (present.length > 0 && absent.length > 0)
    run.hooks.onWarning?.(`${run.job.name} ${version} has no package for ${absent.join(", ")}; mirrored without`);
  return present;
}

/** Mirrored zips must be the signed ones: a different layer digest is a conflict, never overwritten. */
function compareWithMirror(state: MirroredVersion, platforms: PlatformState[]): CheckResult[] {
  if (state.kind === "absent") return [];
  if (state.kind === "foreign") return [checkResult(MirrorCheckId.mirror, false, state.problem)];
  const conflicts: CheckResult[] = [];
  for (const p of platforms) {
    const mirrored = state.platforms.get(p.key);
    if (!mirrored) continue;
    if (mirrored.layer.digest !== `sha256:${p.metadata.shasum}`) {
      conflicts.push(
        checkResult(
          MirrorCheckId.mirror,
          false,
          `${p.key}: the mirror holds ${mirrored.layer.digest}, but the registry's signed SHA256SUMS says sha256:${p.metadata.shasum}; provider versions are immutable, so it was left alone`,
        ),
      );
    } else {
      p.mirrored = mirrored;
      p.checks.push(
        checkResult(MirrorCheckId.mirror, true, `${p.key}: the mirror already holds ${mirrored.layer.digest}`),
      );
    }
  }
  return conflicts;
}

async function platformsWithoutSbom(run: VersionRun, platforms: PlatformState[]): Promise<string[]> {
  const checked = await Promise.all(
    platforms.map(async (p) =>
      p.mirrored && !(await hasSbom(run.target, p.mirrored.manifest, run.signal)) ? [p.key] : [],
    ),
  );
  return checked.flat();
}

/** With a lock entry whose hashes lack the zip's `zh:`, only the `h1:` of the zip can tell. */
function lockWantsH1(run: VersionRun, p: PlatformState): boolean {
  const hashes = run.job.pinned?.hashes ?? [];
  return hashes.some((h) => h.startsWith("h1:") || h.startsWith("zh:")) && !hashes.includes(zhOf(p.metadata.shasum));
}

/** Zips the mirror holds, fetched when the index is rebuilt ("all") or for SBOMs and lock checks. */
async function fetchFromMirror(
  run: VersionRun,
  state: MirroredVersion,
  which: "all" | string[],
  platforms: PlatformState[],
  dir: string,
): Promise<Map<string, LocalZip>> {
  const zips = new Map<string, LocalZip>();
  if (state.kind !== "provider") return zips;
  const wanted = [...state.platforms.entries()].filter(([key]) => which === "all" || which.includes(key));
  await Promise.all(
    wanted.map(async ([key, mirrored]) => {
      const name = platforms.find((p) => p.key === key)?.metadata.filename ?? `${key}.zip`;
      zips.set(
        key,
        await fetchMirroredZip(run.target, mirrored.layer, name, dir, run.slots, {
          ...(run.signal ? { signal: run.signal } : {}),
          hooks: run.hooks,
        }),
      );
    }),
  );
  return zips;
}

async function lockChecks(
  run: VersionRun,
  platforms: PlatformState[],
  mirroredZips: Map<string, LocalZip>,
): Promise<void> {
  const lock = run.job.pinned;
  if (!lock) return;
  for (const p of platforms) {
    const zip = p.zip ?? mirroredZips.get(p.key);
    const h1 = async () => (zip ? h1OfZipEntries(await readPackageZip(zip.file)) : "h1:(not downloaded)");
    const verdict = await checkLockHashes(lock, `sha256:${p.metadata.shasum}`, p.key, h1);
    if (!verdict) continue;
    p.checks.push(verdict.check);
    if (verdict.warning) run.hooks.onWarning?.(verdict.warning);
  }
}

/** Every platform of the new index: the verified downloads plus what the mirror had. */
function allZips(
  state: MirroredVersion,
  platforms: PlatformState[],
  mirroredZips: Map<string, LocalZip>,
): PlatformZip[] {
  const zips = new Map<string, PlatformZip>();
  if (state.kind === "provider") {
    for (const [key, mirrored] of state.platforms) {
      const zip = mirroredZips.get(key);
      if (zip) zips.set(key, { os: mirrored.os, arch: mirrored.arch, zip });
    }
  }
  for (const p of platforms) if (p.zip) zips.set(p.key, { os: p.metadata.os, arch: p.metadata.arch, zip: p.zip });
  return [...zips.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, zip]) => zip);
}

function publishOptions(run: VersionRun): PublishOptions {
  return {
    destination: run.job.destination,
    target: run.target,
    concurrency: run.concurrency,
    hooks: run.hooks,
    ...(run.signal ? { signal: run.signal } : {}),
  };
}

function planRecord(
  run: VersionRun,
  version: string,
  platforms: PlatformState[],
  action: "mirror" | "add-platforms" | "unchanged",
): ProvidersRecord {
  return {
    kind: "plan",
    type: "provider",
    provider: run.job.name,
    version,
    reference: formatLocator(run.job.destination, { tag: versionToTag(version) }),
    platforms: platforms.map((p) => p.key),
    action,
    checks: platforms.flatMap((p) => p.checks),
  };
}

/** The record of a pushed version, or of one the mirror already had (built from the mirror's index). */
function mirrorRecord(
  run: VersionRun,
  version: string,
  checks: CheckResult[],
  state: MirroredVersion,
  pushed: ProviderArtifactRecord | undefined,
  bytesDownloaded: number,
): ProviderMirrorRecord {
  if (pushed) return { ...pushed, bytesDownloaded, checks, sboms: [] };
  if (state.kind !== "provider") throw new Error("a version that was not pushed must be in the mirror");
  const mirrored = [...state.platforms.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, p]) => pushedPlatform(p.os, p.arch, p.manifest.digest, p.layer));
  const index = { ...state.descriptor, artifactType: state.index.artifactType ?? "" };
  const record = providerArtifactRecord(
    run.job.destination,
    { provider: run.job.name, version, index, tags: [versionToTag(version)], platforms: mirrored },
    NO_TRANSFER,
  );
  return { ...record, bytesDownloaded, checks, sboms: [] };
}
