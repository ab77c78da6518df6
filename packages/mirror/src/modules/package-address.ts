import { TofuOciError } from "@tofu-oci/core";

/** Archive formats mirror unpacks: go-getter's zip and tar.gz decompressors. */
export type ArchiveFormat = "zip" | "tar.gz";

/** A module package source mirror can fetch. */
export type PackageSource =
  | { kind: "archive"; url: URL; format: ArchiveFormat; subdir?: string; checksum?: string }
  | { kind: "git"; url: string; ref?: string; depth?: number; subdir?: string };

const FORCED = /^([A-Za-z0-9]+)::(.+)$/s;
// The remote transports git may use for an address a registry supplies; file://, local paths and
// remote helpers (ext::, fd::) would read the mirroring machine's own files or run its commands.
const REMOTE_GIT_URL = /^(?:https?|ssh|git|git\+ssh|ssh\+git):\/\//i;
const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:/;
const SUPPORTED_ARCHIVES: Record<string, ArchiveFormat> = { zip: "zip", "tar.gz": "tar.gz", tgz: "tar.gz" };
// go-getter's other decompressors (internal/getmodules/getter.go), named so their failure is clear.
const OTHER_ARCHIVES = ["tar.bz2", "tbz2", "tar.xz", "txz", "bz2", "gz", "xz"];
const UNSUPPORTED_GETTERS: Record<string, string> = {
  s3: "Amazon S3",
  gcs: "Google Cloud Storage",
  hg: "Mercurial",
  file: "a local path",
  oci: "an OCI registry (copy it with tofu-oci-mirror copy instead)",
};

/**
 * Parses a go-getter package address as a module registry returns it (OpenTofu
 * internal/getmodules, go-getter `Detect`, `SourceDirSubdir`, `getForcedGetter`): a forced
 * `getter::`, `//subdir`, the GitHub and `git@host:path` shorthands, `?archive=`,
 * `?checksum=`, and for git `?ref=` and `?depth=`. http(s) addresses must name a zip or
 * tar.gz archive (by extension or `?archive=`). The address comes from a remote registry, so
 * anything that reaches this machine's own files is refused: `file://`, local paths, and git's
 * `file://`, local and remote-helper transports (OpenTofu itself would follow them).
 * @throws TofuOciError "invalid-input" (exit 6) naming what mirror cannot fetch.
 */
export function parsePackageAddress(address: string): PackageSource {
  const forced = FORCED.exec(address);
  const getterForced = forced?.[1]?.toLowerCase();
  const { source, subdir } = splitSubdir(forced ? forced[2]! : address);
  const detected = getterForced ? { getter: getterForced, source } : detect(source, address);
  const unsupported = UNSUPPORTED_GETTERS[detected.getter];
  if (unsupported) throw cannotFetch(address, `it is stored in ${unsupported}, which tofu-oci-mirror does not fetch`);
  const withSubdir = <T extends PackageSource>(result: T): T => (subdir ? { ...result, subdir } : result);
  if (detected.getter === "git") return withSubdir(gitSource(detected.source, address));
  if (detected.getter === "http" || detected.getter === "https")
    return withSubdir(archiveSource(detected.source, address));
  throw cannotFetch(address, `the "${detected.getter}" getter is not supported`);
}

/** go-getter SourceDirSubdir: `//` after the scheme's `://` splits off a subdirectory; the query stays with the source. */
export function splitSubdir(text: string): { source: string; subdir?: string } {
  const queryAt = text.indexOf("?");
  const stop = queryAt === -1 ? text.length : queryAt;
  const scheme = text.slice(0, stop).indexOf("://");
  const offset = scheme === -1 ? 0 : scheme + 3;
  const at = text.slice(offset, stop).indexOf("//");
  if (at === -1) return { source: text };
  const index = offset + at;
  let subdir = text.slice(index + 2);
  let source = text.slice(0, index);
  const query = subdir.indexOf("?");
  if (query !== -1) {
    source += subdir.slice(query);
    subdir = subdir.slice(0, query);
  }
  const cleaned = subdir.split("/").filter((part) => part !== "" && part !== ".");
  if (cleaned.includes("..")) throw cannotFetch(text, `the subdirectory "${subdir}" leaves the package`);
  return cleaned.length > 0 ? { source, subdir: cleaned.join("/") } : { source };
}

/** go-getter's detectors OpenTofu uses, for addresses without a forced getter. */
function detect(source: string, address: string): { getter: string; source: string } {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(source);
  if (scheme) return { getter: scheme[1]!.toLowerCase(), source };
  if (/^(?:\/|\.\.?\/|~|[A-Za-z]:[\\/])/.test(source))
    throw cannotFetch(
      address,
      "it is a path on this machine, which an address from a remote registry may not name",
      LOCAL_HINT,
    );
  if (/^github\.com\//.test(source)) return { getter: "git", source: githubUrl(source, address) };
  if (SCP_LIKE.test(source)) return { getter: "git", source };
  if (/^bitbucket\.org\//.test(source))
    throw cannotFetch(
      address,
      "Bitbucket shorthand addresses are not supported",
      "Have the registry return a git:: or https:// archive address.",
    );
  if (/\.amazonaws\.com\//.test(source) || /^s3[.-]/.test(source)) return { getter: "s3", source };
  if (/^www\.googleapis\.com\/storage\//.test(source)) return { getter: "gcs", source };
  throw cannotFetch(address, "it is not an address tofu-oci-mirror understands");
}

/** go-getter GitHubDetector: `github.com/ORG/REPO` is `https://github.com/ORG/REPO.git`. */
function githubUrl(source: string, address: string): string {
  const url = new URL(`https://${source}`);
  const parts = url.pathname.split("/").filter(Boolean);
  if (parts.length < 2) throw cannotFetch(address, "a GitHub address needs ORG/REPO");
  if (parts.length > 2)
    throw cannotFetch(
      address,
      "a GitHub address names a subdirectory without //",
      "Write github.com/ORG/REPO//SUBDIR.",
    );
  const repo = parts[1]!.endsWith(".git") ? parts[1] : `${parts[1]}.git`;
  return `https://github.com/${parts[0]}/${repo}${url.search}`;
}

function gitSource(source: string, address: string): PackageSource {
  const queryAt = source.indexOf("?");
  const base = queryAt === -1 ? source : source.slice(0, queryAt);
  const params = new URLSearchParams(queryAt === -1 ? "" : source.slice(queryAt + 1));
  const unknown = [...params.keys()].filter((key) => key !== "ref" && key !== "depth");
  if (unknown.length > 0)
    throw cannotFetch(
      address,
      `the git argument${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} ${unknown.length > 1 ? "are" : "is"} not supported`,
    );
  if (base.startsWith("-")) throw cannotFetch(address, "the repository URL starts with '-'");
  if (/^[a-z][a-z0-9+.-]*::/i.test(base) || /^ext::/i.test(base))
    throw cannotFetch(address, "git remote helpers are not allowed");
  if (!REMOTE_GIT_URL.test(base) && !SCP_LIKE.test(base)) {
    throw cannotFetch(
      address,
      "it names a repository on this machine (a file:// URL or a local path), which an address from a remote registry may not name",
      LOCAL_HINT,
    );
  }
  const result: PackageSource = { kind: "git", url: base };
  const ref = params.get("ref");
  if (ref !== null) {
    if (ref === "" || ref.startsWith("-")) throw cannotFetch(address, `"${ref}" is not a git ref`);
    result.ref = ref;
  }
  const depth = params.get("depth");
  if (depth !== null) {
    if (!/^\d+$/.test(depth) || Number(depth) < 1)
      throw cannotFetch(address, `depth "${depth}" is not a positive whole number`);
    result.depth = Number(depth);
  }
  return result;
}

/** go-getter Client.Get: `?archive=` wins, else the longest known extension of the path. */
function archiveSource(source: string, address: string): PackageSource {
  const url = new URL(source);
  const archiveParam = url.searchParams.get("archive");
  const checksum = url.searchParams.get("checksum");
  url.searchParams.delete("archive");
  url.searchParams.delete("checksum");
  const named = archiveParam ?? extensionOf(url.pathname);
  if (named === undefined || ["false", "0", "f", "F", "FALSE", "False"].includes(named)) {
    throw cannotFetch(
      address,
      "it is not a zip or tar.gz archive",
      "tofu-oci-mirror fetches http(s) archives (.zip, .tar.gz, .tgz, or ?archive=zip|tar.gz) and git:: repositories.",
    );
  }
  const format = SUPPORTED_ARCHIVES[named];
  if (!format)
    throw cannotFetch(
      address,
      `${named} archives are not supported`,
      "tofu-oci-mirror unpacks .zip, .tar.gz and .tgz archives.",
    );
  const result: PackageSource = { kind: "archive", url, format };
  if (checksum !== null) result.checksum = parseChecksum(checksum, address);
  return result;
}

function extensionOf(path: string): string | undefined {
  const names = [...Object.keys(SUPPORTED_ARCHIVES), ...OTHER_ARCHIVES];
  return names.filter((name) => path.endsWith(`.${name}`)).sort((a, b) => b.length - a.length)[0];
}

/** go-getter `?checksum=sha256:HEX` (or a bare 64-digit hex); other hash types are refused. */
function parseChecksum(value: string, address: string): string {
  const match = /^(?:sha256:)?([a-fA-F0-9]{64})$/.exec(value);
  if (!match) throw cannotFetch(address, `checksum "${value}" is not supported`, "Use ?checksum=sha256:HEX.");
  return `sha256:${match[1]!.toLowerCase()}`;
}

const LOCAL_HINT =
  "tofu-oci-mirror fetches only from remote hosts what a registry points at; mirror a local module with tofu-oci-pack and tofu-oci-push.";

/** The host (and port) a package is downloaded from, as an allow-list names it. */
export function downloadHost(source: PackageSource): string {
  if (source.kind === "archive") return source.url.host;
  return SCP_LIKE.test(source.url)
    ? source.url.slice(source.url.indexOf("@") + 1, source.url.indexOf(":"))
    : new URL(source.url).host;
}

function cannotFetch(address: string, problem: string, hint?: string): TofuOciError {
  return new TofuOciError("invalid-input", `cannot mirror the package at "${address}": ${problem}`, {
    hint: hint ?? "tofu-oci-mirror fetches http(s) archives (.zip, .tar.gz, .tgz) and git:: repositories.",
  });
}
