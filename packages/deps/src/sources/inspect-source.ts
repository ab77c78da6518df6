import { isTofuOciError } from "@tofu-oci/core";
import {
  parseVersion,
  parseVersionConstraint,
  selectVersions,
  tagToVersion,
  type VersionConstraint,
} from "@tofu-oci/opentofu";
import type { RegistrySession } from "../registry-session.js";
import type { ModuleSource } from "./module-sources.js";

/** What a module source pins and what its repository offers now. */
export interface SourceStatus {
  source: ModuleSource;
  /**
   * The tag it pins: `?tag=`, OpenTofu's default `latest` without one, or the `tag=` of its
   * comment beside `?digest=`.
   */
  tag?: string;
  /** The digest it pins (`?digest=`). */
  digest?: string;
  /** The constraint that applies: the line's `# tofu-oci:` comment, else `--constraint`. */
  constraint?: string;
  /** The newest version tag that is not a prerelease. */
  latest?: string;
  /** The newest version tag the constraint allows (`latest` without one). */
  wanted?: string;
  /** What `tag` names now. */
  tagDigest?: string;
  /** A digest pin whose tag names another digest now. */
  tagMoved?: boolean;
  /** The tag pinned without a digest is not in the repository's tag list: tofu init would fail. */
  tagMissing?: boolean;
  /** A newer allowed version exists (or, where the version is unknown, the wanted tag names other content). */
  outdated: boolean;
  /** Why the source could not be inspected; nothing is changed for it. */
  problem?: string;
  /** Set with `problem` when the repository or tag does not exist. */
  notFound?: boolean;
}

/** The tag OpenTofu's oci getter uses when a source has neither tag nor digest (internal/getmodules/oci_getter.go). */
const DEFAULT_TAG = "latest";

/**
 * Compares a source with its repository: lists the tags (versions are tags read as semantic
 * versions, `_` as `+` as OpenTofu reads provider tags, a leading `v` allowed), picks the newest
 * and the newest the constraint allows, and resolves the pinned tag.
 */
export async function inspectSource(
  source: ModuleSource,
  session: RegistrySession,
  defaultConstraint: string | undefined,
): Promise<SourceStatus> {
  const { locator } = source;
  if (!locator) return { source, outdated: false, problem: source.problem ?? "not an oci:// source" };
  const status: SourceStatus = { source, outdated: false, ...pinned(source) };
  const constraintText = source.directive.constraint ?? defaultConstraint;
  let constraint: VersionConstraint | undefined;
  try {
    constraint = constraintText === undefined ? undefined : parseVersionConstraint(constraintText);
  } catch (error) {
    if (!isTofuOciError(error)) throw error;
    return { ...status, problem: error.message };
  }
  if (constraintText !== undefined) status.constraint = constraintText;
  const tags = await session.tags(locator.registry, locator.repository);
  if (tags === undefined)
    return {
      ...status,
      problem: `the repository ${locator.registry}/${locator.repository} does not exist`,
      notFound: true,
    };
  Object.assign(status, newestTags(tags, constraint));
  if (status.digest === undefined && status.tag !== undefined && !tags.includes(status.tag)) status.tagMissing = true;
  if (status.tag !== undefined && status.digest !== undefined) {
    status.tagDigest = (await session.resolve(locator.registry, locator.repository, status.tag))?.digest;
    status.tagMoved = status.tagDigest !== status.digest;
  }
  status.outdated = await isOutdated(status, session);
  return status;
}

function pinned(source: ModuleSource): { tag?: string; digest?: string } {
  const { tag, digest } = source.locator!;
  if (digest) return { digest, ...(source.directive.tag ? { tag: source.directive.tag } : {}) };
  return { tag: tag ?? DEFAULT_TAG };
}

/** The newest version tag, and the newest the constraint allows (OpenTofu's selection: prereleases only by name). */
export function newestTags(
  tags: readonly string[],
  constraint: VersionConstraint | undefined,
): { latest?: string; wanted?: string } {
  const byVersion = new Map<string, string>();
  for (const tag of [...tags].sort()) {
    const version = tagToVersion(tag);
    if (parseVersion(version) && !byVersion.has(version)) byVersion.set(version, tag);
  }
  const latest = selectVersions(byVersion.keys())[0];
  const wanted = constraint ? selectVersions(byVersion.keys(), constraint)[0] : latest;
  return {
    ...(latest ? { latest: byVersion.get(latest)! } : {}),
    ...(wanted ? { wanted: byVersion.get(wanted)! } : {}),
  };
}

async function isOutdated(status: SourceStatus, session: RegistrySession): Promise<boolean> {
  const { wanted, tag } = status;
  if (wanted === undefined || wanted === tag) return false;
  const current = tag === undefined ? undefined : parseVersion(tagToVersion(tag));
  const next = parseVersion(tagToVersion(wanted))!;
  if (current) return next.compare(current) > 0;
  // No version to compare (a digest alone, or a tag like "latest"): outdated when the wanted tag names other content.
  const { locator } = status.source;
  const wantedDigest = (await session.resolve(locator!.registry, locator!.repository, wanted))?.digest;
  const currentDigest =
    status.digest ?? status.tagDigest ?? (await session.resolve(locator!.registry, locator!.repository, tag!))?.digest;
  return wantedDigest !== undefined && wantedDigest !== currentDigest;
}
