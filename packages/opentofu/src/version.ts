// go-versions' exact-version grammar (versions/constraints/raw_scan.rl): up to three numbers,
// then optional -prerelease and +metadata made of letters, digits, "." and "-".
const EXACT_VERSION = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * The normalized form of a provider version as OpenTofu's `versions.ParseVersion(...).String()`
 * writes it (apparentlymart/go-versions versions/parse.go:15; missing numbers become 0, leading
 * zeros go, no `v` prefix), or undefined when it does not parse.
 */
export function normalizeVersion(text: string): string | undefined {
  const match = EXACT_VERSION.exec(text);
  if (!match) return undefined;
  const numbers = [match[1], match[2] ?? "0", match[3] ?? "0"].map((n) => BigInt(n!));
  if (numbers.some((n) => n > UINT64_MAX)) return undefined;
  const [pre, meta] = [match[4], match[5]];
  return `${numbers.join(".")}${pre ? `-${pre}` : ""}${meta ? `+${meta}` : ""}`;
}

/**
 * OpenTofu's OCI tag for a provider version: `+` becomes `_`, because OCI tags cannot hold `+`
 * (internal/getproviders/oci_registry_mirror_source.go:490 fetchOCIDescriptorForVersion).
 */
export function versionToTag(version: string): string {
  return version.replaceAll("+", "_");
}

/**
 * The inverse of {@link versionToTag}, as OpenTofu reads tags when it lists a provider's
 * versions (oci_registry_mirror_source.go:183 AvailableVersions).
 */
export function tagToVersion(tag: string): string {
  return tag.replaceAll("_", "+");
}

/** What OpenTofu makes of a tag in a provider repository. */
export type TagVerdict = { ok: true; version: string } | { ok: false; problem: string; version?: string };

/**
 * Mirrors OpenTofu's oci_mirror source: AvailableVersions turns `_` into `+` and keeps only tags
 * that parse as versions (oci_registry_mirror_source.go:183); PackageMeta then looks a version up
 * under its normalized form with `+` written as `_` (:490). A tag passes only when that round
 * trip gives the tag back.
 */
export function judgeVersionTag(tag: string): TagVerdict {
  const version = normalizeVersion(tagToVersion(tag));
  if (version === undefined) {
    return {
      ok: false,
      problem: `the tag "${tag}" is not a version, so OpenTofu never lists it as one (it expects e.g. 1.2.3, 1.2.3-beta1 or 1.2.3_build5 for 1.2.3+build5)`,
    };
  }
  const expected = versionToTag(version);
  if (expected !== tag) {
    return {
      ok: false,
      version,
      problem: `OpenTofu reads the tag "${tag}" as version ${version} and then looks it up under the tag "${expected}", which is not this one; tag the artifact ${expected}`,
    };
  }
  return { ok: true, version };
}
