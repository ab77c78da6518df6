// Validation rules of oras-go's registry.ParseReference, which OpenTofu uses for address
// prefixes (docs/contract/auth/spec.md §6.1): the one implementation in @tofu-oci/core/go, on the UTF-8 bytes.
import { fromByteString, parseRepositoryAddressPrefix, toByteString, validateOrasRegistry } from "@tofu-oci/core/go";

/** A registry[/repository] split of an address prefix. */
export interface PrefixParts {
  registry: string;
  repository: string;
}

/** An address prefix ORAS cannot parse; the message is ORAS's, e.g. `invalid reference: invalid registry "x"`. */
export class InvalidPrefixError extends Error {
  override readonly name = "InvalidPrefixError";
}

/**
 * ORAS registry validation: `dummy://<s>` must parse as a URL whose host is exactly `s`.
 * Accepts `Example.COM`, `host:`, `host:99999`, `[::1]:5000`, IDN hosts; rejects spaces,
 * non-numeric ports and anything Go's URL parser would move out of the host.
 */
export function isValidOrasRegistry(registry: string): boolean {
  return registry !== "" && validateOrasRegistry(toByteString(registry)) === undefined;
}

/**
 * Parses an `oci_credentials` label or an `auths` key that contains a `/` (docs/contract/auth/spec.md §6.1):
 * registry, then repository, then an optional `:tag` or `@digest` that must be empty.
 * @throws InvalidPrefixError
 */
export function parseRepositoryPrefix(prefix: string): PrefixParts {
  const parsed = parseRepositoryAddressPrefix(toByteString(prefix));
  if ("error" in parsed) throw new InvalidPrefixError(fromByteString(parsed.error));
  return { registry: fromByteString(parsed.registry), repository: fromByteString(parsed.repository) };
}
