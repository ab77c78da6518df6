import { fromByteString, goQuote, toByteString } from "../quote.js";
import { validateGoDigest, validateOrasRegistry, validateOrasRepository, validateOrasTag } from "../oras-reference.js";
import { detectRemote } from "./detect.js";
import { encodeGoValues, formatGoUrl, type GoUrl, type GoValues, parseGoQuery, parseGoUrl } from "../url.js";
import { isRegistryModuleAddress } from "./registry-address.js";
import { forcedGetter, goPathClean, sourceDirSubdir, splitPackageSubdir } from "./source.js";

/**
 * What OpenTofu does with a module `source` string, up to the point where its oci getter would
 * contact the registry:
 * - `oci`: the getter receives this registry, repository and tag (`latest` when none) or digest;
 *   OpenTofu then uses `subdir` inside the package (a Go glob; `subdirInPackage` is where
 *   `filepath.Join` puts it, `null` when it leaves the package).
 * - `other`: not an OCI source (local path, module registry, git, http, s3, ...).
 * - `error`: refused, at `config` (loading the configuration) or `install` (`tofu init`), with
 *   the diagnostic summary and detail OpenTofu prints; `possibleErrors` lists every message
 *   OpenTofu may give when Go's random map order decides which one.
 */
export type ModuleSourceOutcome =
  | {
      kind: "oci";
      registry: string;
      repository: string;
      tag?: string;
      digest?: string;
      /** The package address OpenTofu passes to go-getter (and prints). */
      packageAddress: string;
      subdir: string;
      subdirInPackage: string | null;
      /** Neither `tag` nor `digest` was given, so the oci getter asks for `latest`. */
      defaultTag?: true;
      /** Go's `url.ParseQuery` dropped part of the query (a `;`, a bad escape): its error. */
      droppedQuery?: string;
      /** What `tofu init` does that is surely not what was meant, if anything. */
      bug?: string;
    }
  | { kind: "other"; getter: string; packageAddress?: string }
  | {
      kind: "error";
      stage: "config" | "install";
      summary: string;
      detail: string;
      error: string;
      possibleErrors?: string[];
      /** Set when a go-getter detector rewrote the address: `error` is then the end of the message. */
      detectedBy?: string;
    };

/** Options: whether the module block also sets `version` (then only registry addresses are valid). */
export interface ModuleSourceOptions {
  /** The module block sets `version`, so only a registry address is valid. Default false. */
  hasVersion?: boolean;
  /** Used in the install-stage detail, as OpenTofu names the module block. */
  moduleName?: string;
}

const LOCAL_PREFIXES = ["./", "../", ".\\", "..\\"];
const GETTERS = new Set(["file", "gcs", "git", "hg", "http", "https", "oci", "s3"]);
const DECOMPRESSORS = ["bz2", "gz", "xz", "zip", "tar.bz2", "tar.tbz2", "tar.gz", "tgz", "tar.xz", "txz"];

/**
 * Follows a module source through OpenTofu v1.12.6 and go-getter v1.8.6: addrs.ParseModuleSource
 * (internal/addrs/module_source.go:73-114), parseModuleSourceRemote (:279-327), getter.Detect
 * with OpenTofu's detectors (internal/getmodules/package.go:42-74, getter.go:38-60), then at
 * install go-getter's Client.Get (client.go:105-327) with OpenTofu's getters and decompressors
 * (getter.go:64-110, :193-205) and the oci getter (internal/getmodules/oci_getter.go:69-324).
 */
export function moduleSourceAsOpenTofu(source: string, options: ModuleSourceOptions = {}): ModuleSourceOutcome {
  const raw = toByteString(source);
  if (options.hasVersion) return registryOnly(raw);
  if (LOCAL_PREFIXES.some((prefix) => raw.startsWith(prefix))) return { kind: "other", getter: "local" };
  if (isRegistryModuleAddress(raw).ok) return { kind: "other", getter: "registry" };
  const [packageInput, subdir] = splitPackageSubdir(raw);
  if (subdir.startsWith("../"))
    return configError(`subdirectory path ${goQuote(subdir, { bytes: true })} leads outside of the module package`);
  const detected = detect(packageInput);
  if ("kind" in detected) return detected;
  return install(detected.packageAddress, subdir, options);
}

function registryOnly(raw: string): ModuleSourceOutcome {
  const problem = LOCAL_PREFIXES.some((prefix) => raw.startsWith(prefix))
    ? `can't use local directory ${goQuote(raw, { bytes: true })} as a module registry address`
    : isRegistryModuleAddress(raw).error;
  if (!problem) return { kind: "other", getter: "registry" };
  const error = fromByteString(problem);
  return {
    kind: "error",
    stage: "config",
    summary: "Invalid registry module source address",
    detail: `Failed to parse module registry address: ${error}.\n\nOpenTofu assumed that you intended a module registry source address because you also set the argument "version", which applies only to registry modules.`,
    error,
  };
}

/** `getter.Detect` (detect.go:47-109) with OpenTofu's detectors: a URL with a scheme is kept as written. */
function detect(given: string): { packageAddress: string } | ModuleSourceOutcome {
  const [force, withoutForce] = forcedGetter(given);
  const [getSrc] = sourceDirSubdir(withoutForce);
  const parsed = parseGoUrl(getSrc);
  if (parsed.ok && parsed.url.scheme !== "") return { packageAddress: given };
  const remote = detectRemote(getSrc);
  if (remote.kind === "relative") {
    const addr = fromByteString(remote.addr);
    return {
      kind: "error",
      stage: "config",
      summary: "Invalid module source address",
      detail: `OpenTofu failed to determine your intended installation method for remote module package ${goQuote(addr)}.\n\nIf you intended this as a path relative to the current module, use "./${addr}" instead. The "./" prefix indicates that the address is a relative filesystem path.`,
      error: `OpenTofu cannot detect a supported external module source type for ${addr}`,
    };
  }
  if (remote.kind === "none") return configError(`invalid source string: ${given}`);
  if (remote.kind === "error") return configError(remote.error);
  // The detected address is an https, ssh or file URL, which the forced oci getter refuses (after "error downloading '<URL>': ").
  if (force === "oci") {
    const outcome = installError(given, "oci source type only supports oci URL scheme");
    return outcome.kind === "error" ? { ...outcome, detectedBy: remote.getter } : outcome;
  }
  return { kind: "other", getter: remote.getter };
}

/** go-getter's `Client.Get` in `ClientModeDir`, then the oci getter's own checks. */
function install(packageAddress: string, subdir: string, options: ModuleSourceOptions): ModuleSourceOutcome {
  const [force, withoutForce] = forcedGetter(packageAddress);
  const [src] = sourceDirSubdir(withoutForce);
  const parsed = parseGoUrl(src);
  if (!parsed.ok) return installError(packageAddress, parsed.error, options);
  const url = parsed.url;
  const getter = force || url.scheme;
  if (!GETTERS.has(getter))
    return installError(packageAddress, `download not supported for scheme '${getter}'`, options);
  if (getter !== "oci") return { kind: "other", getter, packageAddress: fromByteString(packageAddress) };
  const { values: query, error: droppedQuery } = parseGoQuery(url.rawQuery);
  const decompressor = archiveArgument(url, query);
  const checksum = checksumArgument(url);
  if (checksum.problem) return installError(packageAddress, checksum.problem, options);
  query.delete("checksum");
  url.rawQuery = encodeGoValues(query);
  const alternatives = checksum.file ? [`invalid checksum: Error downloading checksum file: ...`] : [];
  if (decompressor) return installError(packageAddress, ARCHIVE_REFUSED, options, alternatives);
  if (checksum.given)
    return installError(packageAddress, "checksum cannot be specified for directory download", options, alternatives);
  const outcome = ociGetter(url, packageAddress, subdir, options);
  return outcome.kind === "oci" && droppedQuery !== undefined ? { ...outcome, droppedQuery } : outcome;
}

/**
 * The `archive` argument (client.go:169-195): removed when not empty, `false` (any spelling
 * `strconv.ParseBool` reads as false) means none; otherwise the longest decompressor key the
 * path ends with picks one. Returns whether a decompressor applies.
 */
function archiveArgument(url: GoUrl, query: GoValues): boolean {
  let archive = query.get("archive")?.[0] ?? "";
  if (archive !== "") {
    query.delete("archive");
    url.rawQuery = encodeGoValues(query);
    if (["0", "f", "F", "false", "FALSE", "False"].includes(archive)) archive = "-";
  } else {
    let longest = 0;
    for (const key of DECOMPRESSORS) {
      if (url.path.endsWith(`.${key}`) && key.length > longest) {
        archive = key;
        longest = key.length;
      }
    }
  }
  return DECOMPRESSORS.includes(archive);
}

const ARCHIVE_REFUSED =
  'the "archive" argument is not allowed for OCI sources, because the archive format is detected automatically from the image manifest';

/**
 * `extractChecksum` (checksum.go:103-129) on the query as it is after `archive` was removed: an
 * empty `checksum` is only removed; a value that does not parse fails with "invalid checksum:
 * ..."; a valid one fails the directory download later (client.go:315-318). A `file:` checksum is
 * downloaded first, so its failure may be reported instead.
 */
function checksumArgument(url: GoUrl): { problem?: string; given: boolean; file?: boolean } {
  const value = parseGoQuery(url.rawQuery).values.get("checksum")?.[0] ?? "";
  if (value === "") return { given: false };
  const colon = value.indexOf(":");
  if (colon !== -1 && value.slice(0, colon) === "file") return { given: true, file: true };
  let problem: string | undefined;
  if (colon === -1) {
    problem =
      hexProblem(value) ??
      ([16, 20, 32, 64].includes(value.length / 2) ? undefined : `unknown type for checksum ${value}`);
  } else {
    const type = value.slice(0, colon);
    problem =
      hexProblem(value.slice(colon + 1)) ??
      (["md5", "sha1", "sha256", "sha512"].includes(type.toLowerCase())
        ? undefined
        : `unsupported checksum type: ${type}`);
  }
  return problem ? { problem: `invalid checksum: ${problem}`, given: true } : { given: true };
}

/** `hex.DecodeString` errors as `newChecksum` wraps them (checksum.go:131-141). */
function hexProblem(text: string): string | undefined {
  const bad = [...text].findIndex((char) => !/[0-9a-fA-F]/.test(char));
  if (bad !== -1) return `invalid checksum: encoding/hex: invalid byte: ${formatRuneU(text.charCodeAt(bad))}`;
  return text.length % 2 === 1 ? "invalid checksum: encoding/hex: odd length hex string" : undefined;
}

/** Go's `%#U` of a byte: `U+0041 'A'`, without the character when it is not printable. */
function formatRuneU(byte: number): string {
  const code = `U+${byte.toString(16).toUpperCase().padStart(4, "0")}`;
  const char = String.fromCharCode(byte);
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(char) ? `${code} '${char}'` : code;
}

/** The oci getter: `resolveRepositoryRef` (oci_getter.go:178-218) and the query checks of `resolveManifestDescriptor` (:234-276). */
function ociGetter(
  url: GoUrl,
  packageAddress: string,
  subdir: string,
  options: ModuleSourceOptions,
): ModuleSourceOutcome {
  const fail = (error: string, others: string[] = []) => {
    const prefix = `error downloading '${redact(url)}': `;
    return installError(
      packageAddress,
      prefix + error,
      options,
      others.map((other) => prefix + other),
    );
  };
  if (url.scheme === "") return fail("oci source type requires an absolute URL");
  if (url.scheme !== "oci") return fail("oci source type only supports oci URL scheme");
  const registry = url.host;
  const repository = url.path.startsWith("/") ? url.path.slice(1) : url.path;
  const refProblem = validateOrasRegistry(registry) ?? validateOrasRepository(repository);
  if (refProblem) return fail(refProblem);
  const selected = selectManifest(parseGoQuery(url.rawQuery).values);
  if ("errors" in selected) return fail(selected.errors[0]!, selected.errors.slice(1));
  const subdirInPackage = subdirWithinPackage(subdir);
  const outcome: ModuleSourceOutcome = {
    kind: "oci",
    registry: fromByteString(registry),
    repository,
    ...selected,
    packageAddress: fromByteString(packageAddress),
    subdir: fromByteString(subdir),
    subdirInPackage,
  };
  if (subdirInPackage === null) {
    outcome.bug = `the subdirectory ${goQuote(fromByteString(subdir))} is the parent of the package directory (.terraform/modules), which tofu init loads as an empty module`;
  }
  return outcome;
}

/**
 * Checks the arguments in Go's random map order: a repeated argument or a bad `tag`/`digest`
 * returns at once, so when several are wrong any of them may be reported.
 */
function selectManifest(
  query: GoValues,
): { tag: string; defaultTag?: true } | { digest: string } | { errors: string[] } {
  const immediate: string[] = [];
  const unsupported: string[] = [];
  for (const [name, values] of query) {
    if (values.length > 1) immediate.push(`too many ${goQuote(name, { bytes: true })} arguments`);
    else if (name === "tag") {
      const problem = values[0] === "" ? "tag argument must not be empty" : validateOrasTag(values[0]!);
      if (problem) immediate.push(problem);
    } else if (name === "digest") {
      const problem = values[0] === "" ? "digest argument must not be empty" : validateGoDigest(values[0]!);
      if (problem) immediate.push(values[0] === "" ? problem : `invalid digest: ${problem}`);
    } else unsupported.push(name);
  }
  if (immediate.length > 0) return { errors: immediate };
  if (unsupported.length === 1)
    return { errors: [`unsupported argument ${goQuote(unsupported[0]!, { bytes: true })}`] };
  if (unsupported.length > 1)
    return { errors: orders(unsupported).map((names) => `unsupported arguments: ${names.join(", ")}`) };
  const tag = query.get("tag")?.[0];
  const digest = query.get("digest")?.[0];
  if (tag && digest) return { errors: ['cannot set both "tag" and "digest" arguments'] };
  if (digest) return { digest };
  return tag ? { tag } : { tag: "latest", defaultTag: true };
}

/** Every order of up to four names (Go lists them in map order, which varies); more are given as seen. */
function orders(names: string[]): string[][] {
  if (names.length > 4 || names.length < 2) return [names];
  return names.flatMap((name, i) =>
    orders([...names.slice(0, i), ...names.slice(i + 1)]).map((rest) => [name, ...rest]),
  );
}

/**
 * Where `getter.SubdirGlob` (source.go:63-80) looks, relative to the package: `filepath.Join(instDir,
 * subDir)`, so a rooted subdirectory stays inside and `..` is the directory holding every module
 * package (then null). "" is the package itself. `subdir` is text, as a `Reference` holds it.
 */
export function subdirInPackage(subdir: string): string | null {
  return subdirWithinPackage(toByteString(subdir));
}

function subdirWithinPackage(subdir: string): string | null {
  if (subdir === "") return "";
  const cleaned = goPathClean(subdir.startsWith("/") ? subdir : `./${subdir}`);
  if (cleaned === ".." || cleaned.startsWith("../")) return null;
  const inside = cleaned.replace(/^\/+/, "");
  return fromByteString(inside === "." ? "" : inside);
}

/** go-getter `RedactURL` (url.go:24-48): password and a few credential query values hidden. */
function redact(url: GoUrl): string {
  const copy: GoUrl = { ...url, user: url.user ? { ...url.user } : undefined };
  if (copy.user?.password !== undefined) copy.user.password = "redacted";
  const query = parseGoQuery(copy.rawQuery).values;
  let modified = false;
  for (const name of ["sshkey", "aws_access_key_id", "aws_access_key_secret", "aws_access_token"]) {
    const values = query.get(name);
    if (values) {
      query.set(
        name,
        values.map(() => "redacted"),
      );
      modified = true;
    }
  }
  if (modified) copy.rawQuery = encodeGoValues(query);
  return fromByteString(formatGoUrl(copy));
}

function configError(error: string): ModuleSourceOutcome {
  const text = fromByteString(error);
  return {
    kind: "error",
    stage: "config",
    summary: "Invalid module source address",
    detail: `Failed to parse module source address: ${text}.`,
    error: text,
  };
}

function installError(
  packageAddress: string,
  error: string,
  options: ModuleSourceOptions = {},
  alternatives: string[] = [],
): ModuleSourceOutcome {
  const text = fromByteString(error);
  const name = options.moduleName ?? "NAME";
  const outcome: ModuleSourceOutcome = {
    kind: "error",
    stage: "install",
    summary: "Failed to download module",
    detail: `Could not download module ${goQuote(name)} (FILE:LINE) source code from ${goQuote(fromByteString(packageAddress))}: ${text}`,
    error: text,
  };
  if (alternatives.length > 0) outcome.possibleErrors = [text, ...alternatives.map(fromByteString)];
  return outcome;
}
