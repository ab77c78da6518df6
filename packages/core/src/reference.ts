import { usageError } from "./errors.js";
import { moduleSourceAsOpenTofu } from "./go/go-getter/module-source.js";
import { validateOrasRegistry, validateOrasRepository, validateOrasTag } from "./go/oras-reference.js";

/**
 * A repository in a registry, optionally narrowed to a tag or digest.
 * `subdir` is the `//SUBDIR` part of an OpenTofu module source.
 */
export interface Reference {
  /** The registry host, with port when one is given. */
  registry: string;
  /** The repository path, e.g. `modules/vpc`. */
  repository: string;
  /** The tag, when one is given. */
  tag?: string;
  /** The digest, `sha256:<hex>`, when one is given. */
  digest?: string;
  /** The `//SUBDIR` of an `oci://` module source (go-getter's subdirectory syntax). */
  subdir?: string;
}

/** A place in an OCI image layout directory: `PATH[:TAG|@DIGEST]`. */
export interface LayoutReference {
  /** The layout directory. */
  path: string;
  /** The tag after `:`, when given. */
  tag?: string;
  /** The digest after `@`, when given. */
  digest?: string;
}

// tofu-oci's host grammar (stricter than ORAS's, which is applied as well): a name or IP, an optional port.
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]{1,5})?$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
const OCI_SCHEME = "oci://";
// An address OpenTofu hands to go-getter: any URL scheme, or a forced getter (go-getter get.go:60).
const GETTER_ADDRESS = /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/|[A-Za-z0-9]+::)/;

/** True for a valid OCI tag (up to 128 characters of `[A-Za-z0-9_.-]`, not starting with `.` or `-`). */
export function isValidTag(tag: string): boolean {
  return validateOrasTag(tag) === undefined;
}

/** True for a `sha256:` digest with 64 lowercase hex digits. */
export function isValidDigest(digest: string): boolean {
  return SHA256_DIGEST.test(digest);
}

/** Throws a usage error unless `tag` is a valid OCI tag. */
export function assertTag(tag: string, input = tag): string {
  if (isValidTag(tag)) return tag;
  const hint = tag.includes("+")
    ? `OCI tags cannot contain "+"; OpenTofu writes provider version ${tag} as the tag ${tag.replaceAll("+", "_")}.`
    : "A tag is 1-128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'.";
  throw invalidReference(input, `invalid tag "${tag}"`, hint);
}

/** Throws a usage error unless `digest` is `sha256:` and 64 lowercase hex digits. */
export function assertDigest(digest: string, input = digest): string {
  if (isValidDigest(digest)) return digest;
  throw invalidReference(
    input,
    `invalid digest "${digest}"`,
    "A digest is sha256: followed by 64 lowercase hex digits.",
  );
}

/**
 * Parses a registry reference in either form of docs/contract/design.md §2.1:
 * `HOST[:PORT]/REPO[:TAG|@sha256:HEX]` (ORAS) or
 * `oci://HOST[:PORT]/REPO[//SUBDIR][?tag=TAG|?digest=sha256:HEX]` (OpenTofu). The OpenTofu form
 * (any `SCHEME://` or `GETTER::` address) is read exactly as `tofu init` reads a module source,
 * through go-getter to OpenTofu's oci getter ({@link moduleSourceAsOpenTofu}): nothing is
 * trimmed, the scheme is case-insensitive, `OCI::`-forced and archive-suffixed addresses fail
 * as they fail there, and `subdir` is OpenTofu's cleaned subdirectory (it may name `..`: see
 * `ModuleSourceOutcome.bug`).
 * @throws TofuOciError with code "usage" saying what is wrong.
 */
export function parseReference(input: string): Reference {
  if (input === "") throw invalidReference(input, "the reference is empty");
  if (isModuleSourceAddress(input)) return parseOpenTofuSource(input);
  return parseOrasStyle(input);
}

/**
 * True when {@link parseReference} reads `input` as an OpenTofu module source (a `SCHEME://` or a
 * forced `GETTER::` address) rather than as `HOST/REPO[:TAG|@DIGEST]`.
 */
export function isModuleSourceAddress(input: string): boolean {
  return GETTER_ADDRESS.test(input);
}

function parseOrasStyle(input: string): Reference {
  const { registry, path } = splitRegistry(input, input);
  let rest = path;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = assertDigest(rest.slice(at + 1), input);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.indexOf(":");
  if (colon !== -1) {
    tag = assertTag(rest.slice(colon + 1), input);
    rest = rest.slice(0, colon);
  }
  const repository = assertRepository(rest, input);
  // Like oras-go, a digest wins over a tag given next to it.
  return digest ? { registry, repository, digest } : withTag({ registry, repository }, tag);
}

/** An OpenTofu module source: what the oci getter would fetch, or OpenTofu's own error. */
function parseOpenTofuSource(input: string): Reference {
  const outcome = moduleSourceAsOpenTofu(input);
  if (outcome.kind === "error") {
    const when = outcome.stage === "config" ? "when it loads the configuration" : "in tofu init";
    const others = outcome.possibleErrors
      ? ` (or, as Go's map order decides: ${outcome.possibleErrors.slice(1).join("; ")})`
      : "";
    const hint = `OpenTofu fails the same way ${when}: "${outcome.summary}"${others}. Write oci://HOST/REPO[//SUBDIR][?tag=TAG|?digest=sha256:HEX].`;
    throw invalidReference(input, outcome.error, hint);
  }
  if (outcome.kind === "other") {
    throw invalidReference(
      input,
      `only oci:// addresses are supported; OpenTofu installs this one with its ${outcome.getter} getter, not from an OCI registry`,
      "Write HOST/REPO[:TAG] or oci://HOST/REPO[?tag=TAG].",
    );
  }
  const { registry: host, repository, tag, digest, defaultTag, subdir } = outcome;
  const registry = assertHost(host, input);
  const ref: Reference = digest
    ? { registry, repository, digest: assertDigest(digest, input) }
    : withTag({ registry, repository }, defaultTag ? undefined : tag);
  if (subdir !== "") ref.subdir = subdir;
  return ref;
}

function splitRegistry(input: string, text: string): { registry: string; path: string } {
  const slash = text.indexOf("/");
  if (slash <= 0) {
    throw invalidReference(
      input,
      "a reference needs a registry host and a repository",
      "Write it as HOST[:PORT]/REPOSITORY, e.g. registry.example.com/modules/vpc:1.0.0.",
    );
  }
  return { registry: assertHost(text.slice(0, slash), input), path: text.slice(slash + 1) };
}

/** A registry host valid for ORAS (Go's URL parser, so no `[IPv4]`) and for tofu-oci; lowercased. */
function assertHost(registry: string, input: string): string {
  if (!HOST.test(registry) || !validPort(registry) || validateOrasRegistry(registry) !== undefined) {
    throw invalidReference(
      input,
      `invalid registry host "${registry}"`,
      "The registry is a host name or IP address with an optional :PORT.",
    );
  }
  return registry.toLowerCase();
}

function validPort(registry: string): boolean {
  const match = /:(\d+)$/.exec(registry);
  return !match || (Number(match[1]) > 0 && Number(match[1]) < 65536);
}

function assertRepository(repository: string, input: string): string {
  if (repository === "") throw invalidReference(input, "the repository name is missing");
  if (validateOrasRepository(repository) === undefined) return repository;
  const hint = /[A-Z]/.test(repository)
    ? "Repository names must be lowercase."
    : "A repository is lowercase letters and digits, separated by '/', '.', '_', '__' or '-'.";
  throw invalidReference(input, `invalid repository name "${repository}"`, hint);
}

function withTag(ref: Reference, tag: string | undefined): Reference {
  return tag === undefined ? ref : { ...ref, tag };
}

function invalidReference(input: string, problem: string, hint?: string) {
  return usageError(`invalid reference "${input}": ${problem}`, hint);
}

/**
 * Formats a reference. "oras" gives `HOST/REPO[:TAG|@DIGEST]`; "opentofu" gives the module
 * source string `oci://HOST/REPO[//SUBDIR][?digest=...|?tag=...]` to paste into a module block.
 */
export function formatReference(ref: Reference, style: "oras" | "opentofu" = "oras"): string {
  const repository = `${ref.registry}/${ref.repository}`;
  if (style === "oras") {
    if (ref.digest) return `${repository}@${ref.digest}`;
    return ref.tag ? `${repository}:${ref.tag}` : repository;
  }
  const subdir = ref.subdir ? `//${ref.subdir}` : "";
  const query = ref.digest ? `?digest=${ref.digest}` : ref.tag ? `?tag=${ref.tag}` : "";
  return `${OCI_SCHEME}${repository}${subdir}${query}`;
}

/**
 * Parses `PATH[:TAG|@DIGEST]` for an OCI image layout. A colon that is followed by a
 * path separator or is not followed by a valid tag stays part of the path.
 */
export function parseLayoutReference(input: string): LayoutReference {
  const text = input.trim();
  if (text === "") throw usageError("the OCI layout path is empty", "Give a directory, e.g. ./oci-layout:1.0.0.");
  const at = text.lastIndexOf("@");
  if (at > 0 && text.slice(at + 1).includes(":")) {
    return { path: text.slice(0, at), digest: assertDigest(text.slice(at + 1), input) };
  }
  const colon = text.lastIndexOf(":");
  const candidate = colon === -1 ? "" : text.slice(colon + 1);
  if (colon > 0 && !candidate.includes("/") && !candidate.includes("\\") && !isWindowsDrive(text, colon)) {
    return { path: text.slice(0, colon), tag: assertTag(candidate, input) };
  }
  return { path: text };
}

function isWindowsDrive(text: string, colon: number): boolean {
  return colon === 1 && /^[a-zA-Z]$/.test(text.slice(0, 1));
}

/** Formats an OCI layout reference as `PATH[:TAG|@DIGEST]`. */
export function formatLayoutReference(ref: LayoutReference): string {
  if (ref.digest) return `${ref.path}@${ref.digest}`;
  return ref.tag ? `${ref.path}:${ref.tag}` : ref.path;
}
