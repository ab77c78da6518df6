import { TofuOciError, resolveIfExists, usageError, type OperationOptions, type Target } from "@tofu-oci/core";
import { providerGraph, tagToVersionAsOpenTofu, versionToTag, type ProviderGraph } from "@tofu-oci/opentofu";
import type { ProviderInput } from "./package-records.js";

/** Everything a provider push will store, computed before any network request. */
export interface ProviderPlan {
  type: "provider";
  input: ProviderInput;
  /** Config, release zips, one manifest per platform (in the input's order) and the index. */
  graph: ProviderGraph;
  /** The version tag (`+` -> `_`) first, then extra `--tag`s. */
  tags: string[];
  /** What the version tag named before the push; set by {@link checkProviderTag}. */
  previous?: string;
}

/** The per-platform manifests and the index of docs/contract/design.md §3 for a provider version. */
export function planProvider(
  input: ProviderInput,
  settings: { refTag?: string; tags: readonly string[]; annotations: Record<string, string> },
): ProviderPlan {
  const graph = providerGraph(input.platforms, { annotations: settings.annotations });
  return { type: "provider", input, graph, tags: providerTags(input.version, settings.refTag, settings.tags) };
}

/**
 * The version tag plus extra tags. REF's tag must be the version's tag; an extra tag that
 * OpenTofu would read as another version is refused too.
 * @throws TofuOciError "usage" (exit 2).
 */
export function providerTags(version: string, refTag: string | undefined, extra: readonly string[]): string[] {
  const versionTag = versionToTag(version);
  if (refTag !== undefined && refTag !== versionTag) {
    throw usageError(
      `the reference's tag "${refTag}" is not the provider version ${version}`,
      `Give the repository only (the tag is always ${versionTag}), or the tag ${versionTag}.`,
    );
  }
  for (const tag of extra) {
    if (tag === versionTag) continue;
    const outcome = tagToVersionAsOpenTofu(tag);
    if (outcome.kind === "version") {
      throw usageError(
        `--tag ${tag} looks like a version but the provider version is ${version}`,
        "OpenTofu reads version-like tags as provider versions; use another tag name.",
      );
    }
    if (outcome.kind === "crash") {
      throw usageError(
        `--tag ${tag} would make tofu init crash for every version of this provider (${outcome.reason})`,
        "OpenTofu parses every tag of the repository as a version; use another tag name.",
      );
    }
  }
  return [...new Set([versionTag, ...extra])];
}

/**
 * Provider versions are immutable for lock files: refuses (exit 1, before anything is sent) when
 * the version tag already names different content, unless `force`.
 */
export async function checkProviderTag(
  plan: ProviderPlan,
  target: Target,
  force: boolean,
  options: OperationOptions = {},
): Promise<void> {
  const tag = plan.tags[0]!;
  const current = (await resolveIfExists(target, tag, options))?.digest;
  if (current !== undefined) plan.previous = current;
  if (current === undefined || current === plan.graph.root.descriptor.digest || force) return;
  throw new TofuOciError(
    "verification-failed",
    `${target.name}:${tag} already holds different content (${current}); provider versions are immutable`,
    {
      hint: "Lock files pin the hashes of a published version. Publish a new version, or pass --force to replace it anyway.",
      reference: `${target.name}:${tag}`,
    },
  );
}
