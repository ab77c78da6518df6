import { readFile } from "node:fs/promises";
import { TofuOciError, invalidInput, isTofuOciError } from "@tofu-oci/core";
import { literalString, parseHcl } from "./hcl.js";
import { isBuiltInProvider, parseProviderAddress, type ProviderAddress } from "./provider-address.js";
import { normalizeVersion } from "./version.js";

/** One `provider` block of `.terraform.lock.hcl`. */
export interface ProviderLock {
  /** The normalized `HOST/NAMESPACE/TYPE`. */
  address: string;
  /** The locked version, e.g. `5.31.0`. */
  version: string;
  /** The `constraints` string as written, when the block has one. */
  constraints?: string;
  /** The hashes in file order, every scheme (only `h1:` and `zh:` are ever used). */
  hashes: string[];
}

/** A dependency lock file: its provider blocks by address. */
export interface LockFile {
  /** The provider blocks, by normalized address, in file order. */
  providers: Map<string, ProviderLock>;
}

const LOCK_HINT = "Fix the file, or delete it and run tofu init to write it again.";

/**
 * Parses `.terraform.lock.hcl` text with the rules of OpenTofu's loader
 * (internal/depsfile/locks_file.go:182 decodeLocksFromHCL, :252 decodeProviderLockFromHCL): only `provider "HOST/NS/TYPE"` and
 * `module` blocks, normalized addresses, no duplicates, a normalized `version`, an optional
 * `constraints` string and a non-empty `hashes` list of `scheme:value` strings.
 * Not checked: that `constraints` is in OpenTofu's normalized form.
 * @throws TofuOciError "invalid-input" (exit 6) listing every problem, as `tofu init` refuses it.
 */
export async function parseLockFile(text: string, filename = ".terraform.lock.hcl"): Promise<LockFile> {
  const root = await parseHcl(filename, text);
  const problems: string[] = [];
  const providers = new Map<string, ProviderLock>();
  for (const [key, value] of Object.entries(root)) {
    if (key === "provider") decodeProviderBlocks(value, providers, problems);
    else if (key !== "module" || !isLabelledBlocks(value))
      problems.push(`unsupported ${key === "module" ? "module block" : `argument or block "${key}"`}`);
  }
  if (problems.length > 0) {
    throw invalidInput(`${filename} is not a valid dependency lock file: ${problems.join("; ")}`, LOCK_HINT);
  }
  return { providers };
}

/**
 * Reads and parses a lock file; a missing or unreadable file is invalid input (exit 6), as a
 * malformed one is (CONTRIBUTING's exit-code rule: a named file that is not usable is bad input).
 */
export async function readLockFile(path: string): Promise<LockFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new TofuOciError(
      "invalid-input",
      `cannot read the lock file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      {
        hint: "Give the path of a .terraform.lock.hcl file with --lockfile.",
      },
    );
  }
  return parseLockFile(text, path);
}

function decodeProviderBlocks(value: unknown, providers: Map<string, ProviderLock>, problems: string[]): void {
  if (!isLabelledBlocks(value)) {
    problems.push(
      'a provider block needs exactly one label, its source address: provider "HOST/NAMESPACE/TYPE" { ... }',
    );
    return;
  }
  for (const [label, bodies] of Object.entries(value)) {
    const problem = lockableAddressProblem(label);
    if (problem) {
      problems.push(`invalid provider source address: ${problem}`);
      continue;
    }
    if (bodies.length > 1 || providers.has(label)) problems.push(`duplicate provider lock for ${label}`);
    const lock = decodeProviderBody(label, bodies[0]!, problems);
    if (lock && !providers.has(label)) providers.set(label, lock);
  }
}

/** locks_file.go:256-308: a normalized, fully-qualified address of a provider that is not built in. */
function lockableAddressProblem(label: string): string | undefined {
  let address: ProviderAddress;
  try {
    address = parseProviderAddress(label, { form: "normalized" });
  } catch (error) {
    if (!isTofuOciError(error)) throw error;
    return error.message.replace(/^invalid provider address /, "");
  }
  return isBuiltInProvider(address) ? `${label} is a built-in provider, which is never locked` : undefined;
}

function decodeProviderBody(
  address: string,
  body: Record<string, unknown>,
  problems: string[],
): ProviderLock | undefined {
  const before = problems.length;
  const unknown = Object.keys(body).filter((key) => !["version", "constraints", "hashes"].includes(key));
  for (const key of unknown) problems.push(`provider ${address}: unsupported argument or block "${key}"`);
  const version = decodeVersion(address, body.version, problems);
  const constraints =
    body.constraints === undefined ? undefined : decodeString(address, "constraints", body.constraints, problems);
  const hashes = body.hashes === undefined ? [] : decodeHashes(address, body.hashes, problems);
  if (problems.length > before || version === undefined) return undefined;
  return { address, version, hashes, ...(constraints === undefined ? {} : { constraints }) };
}

function decodeVersion(address: string, value: unknown, problems: string[]): string | undefined {
  if (value === undefined) {
    problems.push(`provider ${address}: missing required argument "version"`);
    return undefined;
  }
  const raw = decodeString(address, "version", value, problems);
  if (raw === undefined) return undefined;
  const normalized = normalizeVersion(raw);
  if (normalized === undefined) problems.push(`provider ${address}: invalid version number "${raw}"`);
  else if (normalized !== raw)
    problems.push(`provider ${address}: the version must be written in normalized form "${normalized}"`);
  return normalized === raw ? raw : undefined;
}

function decodeHashes(address: string, value: unknown, problems: string[]): string[] {
  if (!Array.isArray(value)) {
    problems.push(`provider ${address}: "hashes" must be a list of strings`);
    return [];
  }
  if (value.length === 0)
    problems.push(`provider ${address}: "hashes" must either be omitted or contain at least one hash`);
  const hashes: string[] = [];
  for (const item of value) {
    const hash = decodeString(address, "hashes", item, problems);
    if (hash === undefined) continue;
    // getproviders.ParseHash: a scheme of at least one character, then a colon.
    if (hash.indexOf(":") < 1)
      problems.push(
        `provider ${address}: cannot interpret "${hash}" as a provider hash (it needs a scheme, like h1: or zh:)`,
      );
    else hashes.push(hash);
  }
  return hashes;
}

// gohcl.DecodeExpression into a string: HCL converts numbers and bools to strings, but a lock
// file value that is not a literal string is never valid (a version or hash needs text that a
// number or bool cannot give), so anything else is reported here.
function decodeString(address: string, name: string, value: unknown, problems: string[]): string | undefined {
  const literal = typeof value === "string" ? literalString(value) : undefined;
  if (literal === undefined)
    problems.push(`provider ${address}: "${name}" must be a literal string, got ${JSON.stringify(value)}`);
  return literal;
}

function isLabelledBlocks(value: unknown): value is Record<string, Array<Record<string, unknown>>> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (bodies) =>
      Array.isArray(bodies) &&
      bodies.every((body) => typeof body === "object" && body !== null && !Array.isArray(body)),
  );
}
