import { formatGoVersion, type GoVersion, parseGoVersion } from "./version.js";

/**
 * What OpenTofu makes of one tag of a provider repository in an `oci_mirror`
 * (internal/getproviders/oci_registry_mirror_source.go:177-190, AvailableVersions):
 * - `version`: listed as a version. OpenTofu later asks for the tag it computes from the
 *   version (`fetchOCIDescriptorForVersion`, :490), `lookupTag`; when that differs from the tag
 *   itself (`1.0`, `01.2.3`, `1.0.0-`), the listed version cannot be installed from this tag.
 * - `skipped`: not a version; OpenTofu ignores the tag.
 * - `crash`: go-versions panics (a number over 2^64-1), so `tofu init` crashes for every version
 *   of the provider, since all tags are parsed before one is chosen.
 */
export type TagOutcome =
  | { kind: "version"; version: GoVersion; text: string; lookupTag: string; sameTag: boolean }
  | { kind: "skipped"; reason: string }
  | { kind: "crash"; reason: string };

/**
 * OpenTofu's OCI tag for a provider version text: `+` becomes `_`, because OCI tags cannot hold
 * `+` (internal/getproviders/oci_registry_mirror_source.go:490 fetchOCIDescriptorForVersion).
 */
export function versionToTag(version: string): string {
  return version.replaceAll("+", "_");
}

/** The inverse of {@link versionToTag}, as `AvailableVersions` reads tags (oci_registry_mirror_source.go:183). */
export function tagToVersion(tag: string): string {
  return tag.replaceAll("_", "+");
}

/** Classifies a tag exactly as OpenTofu's `AvailableVersions` does (`_` read as `+`). */
export function tagToVersionAsOpenTofu(tag: string): TagOutcome {
  const parsed = parseGoVersion(tagToVersion(tag));
  if (parsed.ok) {
    const text = formatGoVersion(parsed.version);
    const lookupTag = versionToTagAsOpenTofu(parsed.version);
    return { kind: "version", version: parsed.version, text, lookupTag, sameTag: lookupTag === tag };
  }
  return parsed.panic ? { kind: "crash", reason: `panic: ${parsed.error}` } : { kind: "skipped", reason: parsed.error };
}

/** The tag OpenTofu resolves for a version: its canonical text with `+` written as `_` (:490). */
export function versionToTagAsOpenTofu(version: GoVersion): string {
  return versionToTag(formatGoVersion(version));
}

/** A tag OpenTofu lists as a version but fetches under another tag. */
export interface MisreadTag {
  /** The tag in the repository. */
  tag: string;
  /** The version OpenTofu lists for it. */
  version: string;
  /** The tag OpenTofu resolves for that version. */
  lookupTag: string;
  /** Whether the repository has `lookupTag` too (then the version installs from there). */
  lookupExists: boolean;
}

/** Every tag of a provider repository as `AvailableVersions` lists them. */
export interface ProviderTagListing {
  /** Tags that make go-versions panic, with the panic: `tofu init` crashes for every version. */
  crashes: Array<{ tag: string; reason: string }>;
  /** The versions OpenTofu lists, newest first (go-versions order), each once. */
  versions: string[];
  /** Tags listed as a version whose canonical tag is another one. */
  misread: MisreadTag[];
}

/**
 * Lists a provider repository's tags as OpenTofu's `AvailableVersions` does
 * (oci_registry_mirror_source.go:161-217): each tag with `_` read as `+` through
 * `versions.ParseVersion`; non-versions are skipped; a number over 2^64-1 panics
 * (go-versions versions/constraints/raw.go:53-58) before any version is chosen.
 */
export function listProviderTags(tags: Iterable<string>): ProviderTagListing {
  const all = new Set(tags);
  const listing: ProviderTagListing = { crashes: [], versions: [], misread: [] };
  const versions = new Map<string, GoVersion>();
  for (const tag of all) {
    const outcome = tagToVersionAsOpenTofu(tag);
    if (outcome.kind === "crash") listing.crashes.push({ tag, reason: outcome.reason });
    if (outcome.kind !== "version") continue;
    versions.set(outcome.text, outcome.version);
    if (!outcome.sameTag)
      listing.misread.push({
        tag,
        version: outcome.text,
        lookupTag: outcome.lookupTag,
        lookupExists: all.has(outcome.lookupTag),
      });
  }
  listing.versions = [...versions.entries()].sort(([, a], [, b]) => compareGoVersions(b, a)).map(([text]) => text);
  return listing;
}

/**
 * go-versions' ordering as `List.Sort` uses it (`Version.LessThan`, versions/version.go): numbers,
 * then a release above its prereleases, then prereleases part by part where a part list that ends
 * first is lower whatever the parts say (`beta` < `alpha.1`), numeric parts below alphanumeric
 * ones. Metadata is ignored. Returns -1, 0 or 1.
 */
export function compareGoVersions(a: GoVersion, b: GoVersion): -1 | 0 | 1 {
  if (versionLessThan(a, b)) return -1;
  return versionLessThan(b, a) ? 1 : 0;
}

function versionLessThan(a: GoVersion, b: GoVersion): boolean {
  for (const key of ["major", "minor", "patch"] as const) {
    if (a[key] !== b[key]) return a[key] < b[key];
  }
  if (a.prerelease === b.prerelease || a.prerelease === "") return false;
  return b.prerelease === "" || extraLessThan(a.prerelease, b.prerelease);
}

function extraLessThan(first: string, second: string): boolean {
  let s1 = first;
  let s2 = second;
  for (;;) {
    const d1 = s1.indexOf(".");
    const d2 = s2.indexOf(".");
    if (d1 === -1 && d2 !== -1) return true;
    if (d2 === -1 && d1 !== -1) return false;
    if (d1 === -1) return partLessThan(s1, s2);
    const p1 = s1.slice(0, d1);
    const p2 = s2.slice(0, d2);
    if (p1 !== p2) return partLessThan(p1, p2);
    s1 = s1.slice(d1 + 1);
    s2 = s2.slice(d2 + 1);
  }
}

function partLessThan(s1: string, s2: string): boolean {
  const n1 = /^[0-9]*$/.test(s1);
  const n2 = /^[0-9]*$/.test(s2);
  if (n1 !== n2) return n1;
  if (n1 && s1.length !== s2.length) return s1.length < s2.length;
  return Buffer.compare(Buffer.from(s1), Buffer.from(s2)) < 0;
}
