import { parseRepositoryPrefix, type PrefixParts } from "./oras-reference.js";
import { DOMAIN, NO_MATCH, repositorySpecificity, type Specificity } from "./specificity.js";

/**
 * How an address prefix (an `auths` key or `oci_credentials` label) matches the repository
 * `repository` in the registry `registry` (docs/contract/auth/spec.md §6.2): the domain must be equal exactly
 * (case and port included); a path prefix must match whole segments. Unparsable prefixes
 * never match.
 */
export function matchPrefix(prefix: string, registry: string, repository: string): Specificity {
  const parts = prefixParts(prefix);
  if (!parts || parts.registry !== registry) return NO_MATCH;
  if (parts.repository === "") return DOMAIN;
  const want = repository.split("/");
  const got = parts.repository.split("/");
  if (got.length > want.length) return NO_MATCH;
  return got.every((segment, index) => segment === want[index]) ? repositorySpecificity(got.length) : NO_MATCH;
}

function prefixParts(prefix: string): PrefixParts | undefined {
  if (prefix === "") return undefined;
  if (!prefix.includes("/")) return { registry: prefix, repository: "" };
  try {
    return parseRepositoryPrefix(prefix);
  } catch {
    return undefined;
  }
}
