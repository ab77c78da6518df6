import { isTofuOciError, usageError } from "@tofu-oci/core";
import { hostnameForComparison } from "./hostname.js";
import { DEFAULT_PROVIDER_HOST, parseProviderAddress, type ProviderAddress } from "./provider-address.js";

/** A `provider_installation` `include`/`exclude` pattern: each part a name or the wildcard `*`. */
export type ProviderPattern = ProviderAddress;

/**
 * Parses `include`/`exclude` patterns as OpenTofu does
 * (internal/getproviders/multi_source.go:143 ParseMultiSourceMatchingPatterns): `[HOSTNAME/]NAMESPACE/TYPE`,
 * any part `*`; a missing host is registry.opentofu.org; a wildcard host needs wildcard namespace
 * and type, a wildcard namespace a wildcard type.
 * @throws TofuOciError "usage" (exit 2) naming the pattern.
 */
export function parseProviderPatterns(patterns: readonly string[]): ProviderPattern[] {
  return patterns.map(parsePattern);
}

function parsePattern(text: string): ProviderPattern {
  const parts = text.split("/");
  if (parts.length < 2 || parts.length > 3)
    throw badPattern(text, "must have either two or three slash-separated segments");
  const hostname = parts.length === 3 ? patternHost(parts[0]!, text) : DEFAULT_PROVIDER_HOST;
  const [namespace, type] = parts
    .slice(-2)
    .map((part, i) => patternPart(part, i === 0 ? "registry namespace" : "provider type", text)) as [string, string];
  if (hostname === "*" && (namespace !== "*" || type !== "*")) {
    throw badPattern(text, "hostname can be a wildcard only if both namespace and provider type are also wildcards");
  }
  if (namespace === "*" && type !== "*")
    throw badPattern(text, "namespace can be a wildcard only if the provider type is also a wildcard");
  return { hostname, namespace, type };
}

function patternHost(given: string, text: string): string {
  if (given === "*") return "*";
  const hostname = hostnameForComparison(given);
  if (typeof hostname !== "string") throw badPattern(text, `invalid hostname: ${hostname.problem}`);
  return hostname;
}

/** multi_source.go:239 normalizeProviderNameOrWildcard: `*` or a provider name part. */
function patternPart(given: string, what: string, text: string): string {
  if (given === "*") return given;
  try {
    return what === "provider type"
      ? parseProviderAddress(`example.com/x/${given}`, { form: "qualified" }).type
      : parseProviderAddress(`example.com/${given}/x`, { form: "qualified" }).namespace;
  } catch (error) {
    if (!isTofuOciError(error)) throw error;
    throw badPattern(text, `invalid ${what} "${given}": must either be the wildcard * or a ${what} name`);
  }
}

/** multi_source.go:217 MatchesProvider: some pattern matches every part. */
export function providerPatternsMatch(patterns: readonly ProviderPattern[], address: ProviderAddress): boolean {
  return patterns.some(
    (pattern) =>
      (pattern.hostname === "*" || pattern.hostname === address.hostname) &&
      (pattern.namespace === "*" || pattern.namespace === address.namespace) &&
      (pattern.type === "*" || pattern.type === address.type),
  );
}

/**
 * multi_source.go:204 CanHandleProvider: an installation method takes a provider unless an
 * `exclude` pattern matches it, and, when it has `include` patterns, only if one matches.
 */
export function methodHandlesProvider(
  method: { include: readonly ProviderPattern[]; exclude: readonly ProviderPattern[] },
  address: ProviderAddress,
): boolean {
  if (providerPatternsMatch(method.exclude, address)) return false;
  return method.include.length === 0 || providerPatternsMatch(method.include, address);
}

function badPattern(text: string, problem: string) {
  return usageError(
    `invalid provider matching pattern "${text}": ${problem}`,
    'Write patterns such as "registry.opentofu.org/hashicorp/*" or "example.com/*/*".',
  );
}
