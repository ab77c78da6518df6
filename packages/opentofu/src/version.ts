import { tagToVersion, tagToVersionAsOpenTofu, versionToTag } from "./go-versions/tags.js";
import { formatGoVersion, parseGoVersion } from "./go-versions/version.js";

export { tagToVersion, versionToTag };

/**
 * The normalized form of a provider version as OpenTofu's `versions.ParseVersion(...).String()`
 * writes it (apparentlymart/go-versions v1.0.3 versions/parse.go:15, modelled by
 * {@link parseGoVersion}: missing numbers become 0, leading zeros go, no `v` prefix), or
 * undefined when it does not parse, or when go-versions would panic on it.
 */
export function normalizeVersion(text: string): string | undefined {
  const parsed = parseGoVersion(text);
  return parsed.ok ? formatGoVersion(parsed.version) : undefined;
}

/** What OpenTofu makes of a tag in a provider repository. */
export type TagVerdict = { ok: true; version: string } | { ok: false; problem: string; version?: string; crash?: true };

/**
 * Mirrors OpenTofu's oci_mirror source ({@link tagToVersionAsOpenTofu}): AvailableVersions turns
 * `_` into `+` and keeps only tags that parse as versions (oci_registry_mirror_source.go:183);
 * PackageMeta then looks a version up under its normalized form with `+` written as `_` (:490).
 * A tag passes only when that round trip gives the tag back.
 */
export function judgeVersionTag(tag: string): TagVerdict {
  const outcome = tagToVersionAsOpenTofu(tag);
  if (outcome.kind === "crash") {
    return {
      ok: false,
      crash: true,
      problem: `go-versions panics on the tag "${tag}" (${outcome.reason}), so tofu init crashes while it lists the provider's versions; delete the tag`,
    };
  }
  if (outcome.kind === "skipped") {
    return {
      ok: false,
      problem: `the tag "${tag}" is not a version (go-versions: ${outcome.reason}), so OpenTofu never lists it as one (it expects e.g. 1.2.3, 1.2.3-beta1 or 1.2.3_build5 for 1.2.3+build5)`,
    };
  }
  if (!outcome.sameTag) {
    return {
      ok: false,
      version: outcome.text,
      problem: `OpenTofu reads the tag "${tag}" as version ${outcome.text} and then looks it up under the tag "${outcome.lookupTag}", which is not this one; tag the artifact ${outcome.lookupTag}`,
    };
  }
  return { ok: true, version: outcome.text };
}
