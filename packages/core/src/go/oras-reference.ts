import { parseGoRequestUri } from "./url.js";
import { goQuote } from "./quote.js";

/**
 * oras-go v2.6.1 `registry.Reference` validation (registry/reference.go), which OpenTofu borrows
 * to check module sources (internal/getmodules/oci_getter.go:208-216) and `oci_mirror`
 * repository templates (internal/command/cliconfig/ociauthconfig/repository_addr.go:27-62).
 * Strings are byte strings (see `toByteString`); messages are ORAS's, `invalid reference: ...`.
 */
export interface OrasReference {
  /** The registry host, with its port when given. */
  registry: string;
  /** The repository path. */
  repository: string;
  /** The tag or digest after the repository; "" when none. */
  reference: string;
}

// ORAS's `[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*` per component (reference.go:45), with the empty
// separator `[-]*` allows left out: the same language, but without it a backtracking (JavaScript)
// engine takes exponential time on a near miss such as "example-namespace/example-type ".
const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const REPOSITORY = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^\w[\w.-]{0,127}$/;

/** `ValidateRegistry` (reference.go:194-199): `dummy://REGISTRY` must parse with exactly that host. */
export function validateOrasRegistry(registry: string): string | undefined {
  const parsed = parseGoRequestUri(`dummy://${registry}`);
  if (!parsed.ok || parsed.url.host === "" || parsed.url.host !== registry) {
    return `invalid reference: invalid registry ${goQuote(registry, { bytes: true })}`;
  }
  return undefined;
}

/** `ValidateRepository` (reference.go:202-207). */
export function validateOrasRepository(repository: string): string | undefined {
  return REPOSITORY.test(repository)
    ? undefined
    : `invalid reference: invalid repository ${goQuote(repository, { bytes: true })}`;
}

/** `ValidateReferenceAsTag` (reference.go:210-215). */
export function validateOrasTag(tag: string): string | undefined {
  return TAG.test(tag) ? undefined : `invalid reference: invalid tag ${goQuote(tag, { bytes: true })}`;
}

/** `ValidateReferenceAsDigest` (reference.go:218-223). */
export function validateOrasDigest(digest: string): string | undefined {
  const problem = validateGoDigest(digest);
  return problem ? `invalid reference: invalid digest ${goQuote(digest, { bytes: true })}: ${problem}` : undefined;
}

/** `ParseReference` (reference.go:119-177): `REGISTRY/REPOSITORY[:TAG|@DIGEST]`. */
export function parseOrasReference(
  artifact: string,
): { ok: true; reference: OrasReference } | { ok: false; error: string } {
  const slash = artifact.indexOf("/");
  if (slash === -1) return { ok: false, error: "invalid reference: missing registry or repository" };
  const registry = artifact.slice(0, slash);
  const path = artifact.slice(slash + 1);
  let repository = path;
  let reference = "";
  let isTag = false;
  const at = path.indexOf("@");
  if (at !== -1) {
    repository = path.slice(0, at);
    reference = path.slice(at + 1);
    const colon = repository.indexOf(":");
    if (colon !== -1) repository = repository.slice(0, colon);
  } else if (path.includes(":")) {
    isTag = true;
    repository = path.slice(0, path.indexOf(":"));
    reference = path.slice(path.indexOf(":") + 1);
  }
  const problem =
    validateOrasRegistry(registry) ??
    validateOrasRepository(repository) ??
    (reference === "" ? undefined : isTag ? validateOrasTag(reference) : validateOrasDigest(reference));
  return problem ? { ok: false, error: problem } : { ok: true, reference: { registry, repository, reference } };
}

/**
 * OpenTofu's `ociauthconfig.ParseRepositoryAddressPrefix` (repository_addr.go:27-62), over a byte
 * string: with a `/`, ORAS `ParseReference` with no tag or digest; without one, a bare registry.
 * Used for `oci_credentials` labels, `auths` keys and `oci_mirror` repository templates.
 */
export function parseRepositoryAddressPrefix(
  addr: string,
): { registry: string; repository: string } | { error: string } {
  if (addr.includes("/")) {
    const parsed = parseOrasReference(addr);
    if (!parsed.ok) return { error: parsed.error };
    if (parsed.reference.reference !== "") return { error: "invalid reference: artifact tag or digest not allowed" };
    return { registry: parsed.reference.registry, repository: parsed.reference.repository };
  }
  const problem = validateOrasRegistry(addr);
  return problem ? { error: problem } : { registry: addr, repository: "" };
}

const ALGORITHMS = new Map([
  ["sha256", 64],
  ["sha384", 96],
  ["sha512", 128],
]);
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/**
 * go-digest v1.0.0 `Digest.Validate` (digest.go:104-120, algorithm.go:179-193): the error text,
 * or undefined for a valid digest. sha256, sha384 and sha512 are available.
 */
export function validateGoDigest(digest: string): string | undefined {
  const colon = digest.indexOf(":");
  if (colon <= 0 || colon + 1 === digest.length) return "invalid checksum digest format";
  const length = ALGORITHMS.get(digest.slice(0, colon));
  if (length === undefined)
    return DIGEST.test(digest) ? "unsupported digest algorithm" : "invalid checksum digest format";
  const encoded = digest.slice(colon + 1);
  if (encoded.length !== length) return "invalid checksum digest length";
  return /^[a-f0-9]+$/.test(encoded) ? undefined : "invalid checksum digest format";
}
