import { posix } from "node:path";
import { usageError } from "./errors.js";

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

// Grammars from oras-go registry/reference.go, which OpenTofu uses to validate addresses.
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]{1,5})?$/;
const OCI_SCHEME = "oci://";

/** True for a valid OCI tag (up to 128 characters of `[A-Za-z0-9_.-]`, not starting with `.` or `-`). */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
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
  throw invalidReference(input, `invalid digest "${digest}"`, "A digest is sha256: followed by 64 lowercase hex digits.");
}

/**
 * Parses a registry reference in either form of design.md §2.1:
 * `HOST[:PORT]/REPO[:TAG|@sha256:HEX]` (ORAS) or
 * `oci://HOST[:PORT]/REPO[//SUBDIR][?tag=TAG|?digest=sha256:HEX]` (OpenTofu).
 * @throws TofuOciError with code "usage" saying what is wrong.
 */
export function parseReference(input: string): Reference {
  const text = input.trim();
  if (text === "") throw invalidReference(input, "the reference is empty");
  if (text.startsWith(OCI_SCHEME)) return parseOpenTofuSource(input, text.slice(OCI_SCHEME.length));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw invalidReference(input, "only oci:// addresses are supported", "Write HOST/REPO[:TAG] or oci://HOST/REPO[?tag=TAG].");
  }
  return parseOrasReference(input, text);
}

function parseOrasReference(input: string, text: string): Reference {
  const { registry, path } = splitRegistry(input, text);
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

function parseOpenTofuSource(input: string, text: string): Reference {
  const queryStart = text.indexOf("?");
  const location = queryStart === -1 ? text : text.slice(0, queryStart);
  const query = queryStart === -1 ? "" : text.slice(queryStart + 1);
  const { registry, path } = splitRegistry(input, location);
  const subdirStart = path.indexOf("//");
  const repositoryPath = subdirStart === -1 ? path : path.slice(0, subdirStart);
  const subdir = subdirStart === -1 ? undefined : normalizeSubdir(path.slice(subdirStart + 2), input);
  const repository = assertRepository(repositoryPath, input);
  const selector = parseSourceQuery(query, input);
  const ref: Reference = { registry, repository, ...selector };
  if (subdir !== undefined) ref.subdir = subdir;
  return ref;
}

/** The `?tag=` / `?digest=` arguments, with the rules of OpenTofu's oci getter. */
function parseSourceQuery(query: string, input: string): Pick<Reference, "tag" | "digest"> {
  if (query === "") return {};
  const params = new URLSearchParams(query);
  const names = [...new Set(params.keys())];
  const unsupported = names.filter((name) => name !== "tag" && name !== "digest");
  if (unsupported.length > 0) {
    throw invalidReference(input, `unsupported argument${unsupported.length > 1 ? "s" : ""} ${unsupported.map((n) => `"${n}"`).join(", ")}`, "OpenTofu accepts only ?tag=TAG or ?digest=sha256:HEX.");
  }
  for (const name of names) {
    if (params.getAll(name).length > 1) throw invalidReference(input, `too many "${name}" arguments`);
  }
  const tag = params.get("tag");
  const digest = params.get("digest");
  if (tag !== null && digest !== null) throw invalidReference(input, 'cannot set both "tag" and "digest" arguments');
  if (tag === "" || digest === "") throw invalidReference(input, `the ${tag === "" ? "tag" : "digest"} argument must not be empty`);
  if (tag !== null) return { tag: assertTag(tag, input) };
  if (digest !== null) return { digest: assertDigest(digest, input) };
  return {};
}

function splitRegistry(input: string, text: string): { registry: string; path: string } {
  const slash = text.indexOf("/");
  if (slash <= 0) {
    throw invalidReference(input, "a reference needs a registry host and a repository", "Write it as HOST[:PORT]/REPOSITORY, e.g. registry.example.com/modules/vpc:1.0.0.");
  }
  const registry = text.slice(0, slash);
  if (!HOST.test(registry) || !validPort(registry)) {
    throw invalidReference(input, `invalid registry host "${registry}"`, "The registry is a host name or IP address with an optional :PORT.");
  }
  return { registry: registry.toLowerCase(), path: text.slice(slash + 1) };
}

function validPort(registry: string): boolean {
  const match = /:(\d+)$/.exec(registry);
  return !match || (Number(match[1]) > 0 && Number(match[1]) < 65536);
}

function assertRepository(repository: string, input: string): string {
  if (repository === "") throw invalidReference(input, "the repository name is missing");
  if (REPOSITORY.test(repository)) return repository;
  const hint = /[A-Z]/.test(repository)
    ? "Repository names must be lowercase."
    : "A repository is lowercase letters and digits, separated by '/', '.', '_', '__' or '-'.";
  throw invalidReference(input, `invalid repository name "${repository}"`, hint);
}

/** Cleans `//SUBDIR` as OpenTofu does (path.Clean); it may not leave the package. */
function normalizeSubdir(subdir: string, input: string): string {
  const cleaned = posix.normalize(subdir).replace(/^\/+|\/+$/g, "");
  if (cleaned === ".." || cleaned.startsWith("../")) throw invalidReference(input, `the subdirectory "${subdir}" leaves the package`);
  if (cleaned === "" || cleaned === ".") throw invalidReference(input, "the //subdirectory part is empty");
  return cleaned;
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
