import { isTofuOciError } from "@tofu-oci/core";
import {
  canonicalConstraints,
  normalizeVersion,
  parseVersionConstraint,
  selectVersions,
  tagToVersion,
  versionToTag,
  type ProviderLock,
  type ProviderRequirement,
  type TemplateRepository,
  type VersionConstraint,
} from "@tofu-oci/opentofu";
import { verify, type PlatformResult } from "@tofu-oci/verify";
import type { LockedPlatform, ProviderLockRecord } from "../records.js";
import type { RegistrySession } from "../registry-session.js";

/** How one provider is locked. */
export interface ProviderLockSettings {
  session: RegistrySession;
  /** `os_arch`; empty: every platform of the mirror. */
  platforms: string[];
  /** Ignore the locked version and take the newest allowed one (`tofu init -upgrade`). */
  upgrade: boolean;
  /** Download every zip: verify all of it, and each h1: annotation against it. */
  download: boolean;
  tempDir?: string;
}

/** The outcome for one provider: its record, and its new entry when it was locked from the mirror. */
export interface ProviderOutcome {
  record: ProviderLockRecord;
  entry?: ProviderLock;
  notFound?: boolean;
}

/**
 * Locks one provider from the OCI mirror repositories that install it, as `tofu init` would
 * choose and `tofu providers lock` would record on every platform: the versions are the tags the
 * repositories list, read as OpenTofu reads them (oci_registry_mirror_source.go:183
 * AvailableVersions: `_` as `+`, tags that are no version skipped); the locked version stays
 * unless `upgrade` (internal/providercache/installer.go:318), else the newest the constraints
 * allow; the version is taken from the first repository that has its tag (multi_source.go:89).
 * The version must pass verify's OpenTofu rules on every platform; each platform adds its `zh:`
 * (the layer digest) and its `h1:` to the hashes locked before for the same version
 * (installer.go:713 priorHashes).
 */
export async function lockProvider(
  requirement: ProviderRequirement,
  repositories: TemplateRepository[],
  existing: ProviderLock | undefined,
  settings: ProviderLockSettings,
): Promise<ProviderOutcome> {
  const base = { kind: "provider-lock" as const, provider: requirement.address };
  const fail = (problem: string, extra: Partial<ProviderLockRecord> = {}, notFound = false): ProviderOutcome => ({
    record: { ...base, action: "failed", problem, ...extra, ...(notFound ? { notFound: true as const } : {}) },
    ...(notFound ? { notFound } : {}),
  });
  const constraints = configuredConstraints(requirement);
  if ("problem" in constraints) return fail(constraints.problem);
  const available = await availableVersions(settings.session, repositories);
  const chosen = chooseVersion(requirement, existing, constraints, available, settings.upgrade);
  if ("problem" in chosen) return fail(chosen.problem, {}, chosen.notFound);
  const { version, repository } = chosen;
  const reference = `${repository.registry}/${repository.repository}:${versionToTag(version)}`;
  const located = { version, reference, ...(constraints.text ? { constraints: constraints.text } : {}) };
  const [verdict] = await verify({
    reference,
    type: "provider",
    provider: requirement.address,
    platforms: settings.platforms,
    trustH1Annotation: !settings.download,
    ...(settings.tempDir ? { tempDir: settings.tempDir } : {}),
    ...(await settings.session.verifyAccess(repository.registry, repository.repository)),
  });
  if (!verdict!.ok) {
    const checks = verdict!.checks.filter((check) => !check.ok);
    return fail(`${reference} would not install with tofu init`, { ...located, checks }, verdict!.notFound === true);
  }
  return lockedOutcome(requirement, existing, located, verdict!.platforms as PlatformResult[]);
}

/** The configuration's constraints, merged and written as the lock file writes them. */
function configuredConstraints(
  requirement: ProviderRequirement,
): { text: string; constraint?: VersionConstraint } | { problem: string } {
  if (requirement.constraints.length === 0) return { text: "" };
  try {
    const text = canonicalConstraints(requirement.constraints);
    return { text, constraint: parseVersionConstraint(requirement.constraints.join(", ")) };
  } catch (error) {
    if (!isTofuOciError(error)) throw error;
    return { problem: `the configuration's version constraints are invalid: ${error.message}` };
  }
}

/** Every version the repositories list, with the repositories that hold its exact tag, in order. */
async function availableVersions(
  session: RegistrySession,
  repositories: TemplateRepository[],
): Promise<Map<string, TemplateRepository[]>> {
  const available = new Map<string, TemplateRepository[]>();
  for (const repository of repositories) {
    const tags = await session.tags(repository.registry, repository.repository);
    for (const tag of tags ?? []) {
      const version = normalizeVersion(tagToVersion(tag));
      if (version === undefined) continue;
      const holders = available.get(version) ?? [];
      if (versionToTag(version) === tag) holders.push(repository);
      available.set(version, holders);
    }
  }
  return available;
}

type Choice = { version: string; repository: TemplateRepository } | { problem: string; notFound?: boolean };

function chooseVersion(
  requirement: ProviderRequirement,
  existing: ProviderLock | undefined,
  constraints: { text: string; constraint?: VersionConstraint },
  available: Map<string, TemplateRepository[]>,
  upgrade: boolean,
): Choice {
  let version: string | undefined;
  if (existing && !upgrade) {
    // installer.go:323: the locked version wins, and must still meet the constraints.
    if (constraints.constraint && !constraints.constraint.matches(existing.version)) {
      return {
        problem: `locked provider ${requirement.address} ${existing.version} does not match configured version constraint ${constraints.text}; use --upgrade (as tofu init -upgrade) to allow selection of new versions`,
      };
    }
    version = existing.version;
  } else {
    version = selectVersions(available.keys(), constraints.constraint)[0];
    if (version === undefined) {
      const allowed = constraints.text ? ` matching "${constraints.text}"` : "";
      return {
        problem: `the OCI mirror has no version of ${requirement.address}${allowed} (tags: ${available.size === 0 ? "none that are versions" : [...available.keys()].join(", ")})`,
        notFound: true,
      };
    }
  }
  const repository = available.get(version)?.[0];
  if (!repository)
    return {
      problem: `the OCI mirror has no tag ${versionToTag(version)} for ${requirement.address} ${version}`,
      notFound: true,
    };
  return { version, repository };
}

function lockedOutcome(
  requirement: ProviderRequirement,
  existing: ProviderLock | undefined,
  located: { version: string; reference: string; constraints?: string },
  results: PlatformResult[],
): ProviderOutcome {
  const prior = existing?.version === located.version ? existing.hashes : [];
  const platforms: LockedPlatform[] = results.map((result) => ({
    platform: result.platform,
    zh: result.zh!,
    h1: result.h1!,
    h1From: result.h1From ?? "content",
    added: !prior.includes(result.zh!) && !prior.includes(result.h1!),
  }));
  const hashes = [...new Set([...prior, ...platforms.flatMap((p) => [p.zh, p.h1])])].sort();
  const entry: ProviderLock = {
    address: requirement.address,
    version: located.version,
    hashes,
    ...(located.constraints ? { constraints: located.constraints } : {}),
  };
  const action = !existing ? "added" : sameEntry(existing, entry) ? "unchanged" : "updated";
  return {
    record: {
      kind: "provider-lock",
      provider: requirement.address,
      action,
      ...located,
      platforms,
      hashes: hashes.length,
    },
    entry,
  };
}

function sameEntry(a: ProviderLock, b: ProviderLock): boolean {
  const canonical = (lock: ProviderLock) =>
    JSON.stringify([lock.version, lock.constraints ?? "", [...new Set(lock.hashes)].sort()]);
  return canonical(a) === canonical(b);
}
