// Validation rules of oras-go's registry.ParseReference, which OpenTofu uses for address
// prefixes (spec §6.1).

// The separator `-+`, not ORAS's `[-]*`: the same language, no exponential backtracking in JavaScript.
const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const REPOSITORY = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST_LENGTHS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
// ASCII characters Go's URL parser accepts in a host (net/url shouldEscape with encodeHost).
const HOST_ASCII = /^[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"]$/;

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
  if (registry === "" || /[/?@#%]/.test(registry)) return false;
  let port: string;
  if (registry.startsWith("[")) {
    const close = registry.lastIndexOf("]");
    if (close === -1) return false;
    port = registry.slice(close + 1);
  } else {
    const colon = registry.lastIndexOf(":");
    port = colon === -1 ? "" : registry.slice(colon);
  }
  if (port !== "" && !/^:\d*$/.test(port)) return false;
  return [...registry].every((char) => char.codePointAt(0)! >= 0x80 || HOST_ASCII.test(char));
}

/**
 * Parses an `oci_credentials` label or an `auths` key that contains a `/` (spec §6.1):
 * registry, then repository, then an optional `:tag` or `@digest` that must be empty.
 * @throws InvalidPrefixError
 */
export function parseRepositoryPrefix(prefix: string): PrefixParts {
  if (!prefix.includes("/")) {
    if (!isValidOrasRegistry(prefix)) throw invalid(`invalid registry ${goQuote(prefix)}`);
    return { registry: prefix, repository: "" };
  }
  const slash = prefix.indexOf("/");
  const registry = prefix.slice(0, slash);
  const { repository, reference, isTag } = splitReference(prefix.slice(slash + 1));
  if (!isValidOrasRegistry(registry)) throw invalid(`invalid registry ${goQuote(registry)}`);
  if (!REPOSITORY.test(repository)) throw invalid(`invalid repository ${goQuote(repository)}`);
  if (reference !== "") {
    if (isTag && !TAG.test(reference)) throw invalid(`invalid tag ${goQuote(reference)}`);
    if (!isTag && !isDigest(reference)) throw invalid(`invalid digest ${goQuote(reference)}: invalid checksum digest format`);
    throw invalid("artifact tag or digest not allowed");
  }
  return { registry, repository };
}

function splitReference(path: string): { repository: string; reference: string; isTag: boolean } {
  const at = path.indexOf("@");
  if (at !== -1) {
    const repository = path.slice(0, at);
    const colon = repository.indexOf(":");
    return { repository: colon === -1 ? repository : repository.slice(0, colon), reference: path.slice(at + 1), isTag: false };
  }
  const colon = path.indexOf(":");
  if (colon !== -1) return { repository: path.slice(0, colon), reference: path.slice(colon + 1), isTag: true };
  return { repository: path, reference: "", isTag: false };
}

function isDigest(reference: string): boolean {
  const [algorithm, encoded] = reference.split(":", 2);
  const length = algorithm ? DIGEST_LENGTHS[algorithm] : undefined;
  return length !== undefined && encoded !== undefined && new RegExp(`^[a-f0-9]{${length}}$`).test(encoded);
}

function invalid(detail: string): InvalidPrefixError {
  return new InvalidPrefixError(`invalid reference: ${detail}`);
}

/** Go's `%q` for the strings we quote: JSON string syntax is close enough for printable text. */
export function goQuote(text: string): string {
  return JSON.stringify(text);
}
