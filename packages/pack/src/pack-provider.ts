import { basename, resolve } from "node:path";
import {
  digestFile,
  digestHex,
  invalidInput,
  isTofuOciError,
  usageError,
  type ProviderPackageRecord,
  type ProviderPlatformPackage,
} from "@tofu-oci/core";
import { formatProviderAddress, parseProviderAddress } from "@tofu-oci/opentofu";
import { checkProviderZip } from "./provider-zip.js";
import { collectReleaseFiles, parseReleaseZipName, type ReleaseZipName } from "./release-files.js";
import { readShasums } from "./shasums.js";

/** The provider address, version and release zips to collect. */
export interface PackProviderOptions {
  /** `HOST/NAMESPACE/TYPE`, e.g. `registry.opentofu.org/hashicorp/null`. */
  provider: string;
  /** The version all zips must carry in their names, e.g. `3.2.1`. */
  version: string;
  /** Release zips and directories holding them (and a `*_SHA256SUMS` file). Default: `cwd`. */
  paths?: readonly string[] | undefined;
  /** Fail unless a `*_SHA256SUMS` file lists every zip. Default false. */
  requireShasums?: boolean | undefined;
  /** Relative paths are resolved against this. Default: the process's working directory. */
  cwd?: string | undefined;
  /** Told about things worth a warning, e.g. zips not checked against a SHA256SUMS file. */
  onWarning?: ((message: string) => void) | undefined;
  /** Aborts reading and hashing the zips. */
  signal?: AbortSignal | undefined;
}

interface ReleaseZip extends ReleaseZipName {
  file: string;
}

const VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/**
 * Collects a provider version's release zips, unchanged (so lock-file `zh:` hashes stay valid),
 * and returns the package record with each platform's digest (the lock file's `zh:`), size and
 * the `h1:` that `tofu init` writes into the lock file (the hash of the unpacked package).
 * Every zip is checked first: standard name with the given version, one zip per platform,
 * SHA256SUMS entry, a real zip with safe names and the provider executable at its root.
 */
export async function packProvider(options: PackProviderOptions): Promise<ProviderPackageRecord> {
  const { provider, type } = providerFlag(options.provider);
  if (!VERSION.test(options.version))
    throw usageError(
      `--version ${options.version} is not a version like 1.2.3`,
      "Give the version as in the release zips' names, without a leading v.",
    );
  const cwd = resolve(options.cwd ?? ".");
  const files = await collectReleaseFiles(options.paths?.length ? options.paths : ["."], cwd);
  const zips = namedZips(files.zips, type, options.version);
  if (files.shasums.length === 0) {
    if (options.requireShasums)
      throw invalidInput(
        "no *_SHA256SUMS file was given, and --require-shasums needs one",
        "Add the release's SHA256SUMS file to the PATHs.",
      );
    options.onWarning?.("no *_SHA256SUMS file was given; the zips were not checked against the release's checksums");
  }
  const sums = await readShasums(files.shasums);
  const platforms: ProviderPlatformPackage[] = [];
  for (const zip of zips) {
    options.signal?.throwIfAborted();
    platforms.push(await inspectZip(zip, type, files.shasums.length > 0 ? sums : undefined));
  }
  return { kind: "package", type: "provider", provider, version: options.version, platforms };
}

/** `--provider`: a fully qualified address, with OpenTofu's rules (`parseProviderAddress` of @tofu-oci/opentofu). */
function providerFlag(text: string): { provider: string; type: string } {
  try {
    const address = parseProviderAddress(text, { form: "qualified" });
    return { provider: formatProviderAddress(address), type: address.type };
  } catch (error) {
    if (!isTofuOciError(error)) throw error;
    const detail = error.message.replace(/^invalid provider address "[^"]*": /, "");
    throw usageError(
      `--provider ${text} is not HOST/NAMESPACE/TYPE: ${detail}`,
      "For example: --provider registry.opentofu.org/hashicorp/null",
    );
  }
}

function namedZips(files: readonly string[], type: string, version: string): ReleaseZip[] {
  const byPlatform = new Map<string, ReleaseZip>();
  for (const file of files) {
    const name = parseReleaseZipName(basename(file), type);
    if (!name)
      throw invalidInput(
        `${basename(file)} is not named terraform-provider-${type}_VERSION_OS_ARCH.zip`,
        "Give the release zips with their standard names; the platform is read from the name.",
      );
    if (name.version !== version)
      throw invalidInput(
        `${basename(file)} is version ${name.version}, not ${version}`,
        "Give only the zips of the version named by --version.",
      );
    const platform = `${name.os}_${name.arch}`;
    const other = byPlatform.get(platform);
    if (other)
      throw invalidInput(`two zips for ${platform}: ${other.file} and ${file}`, "Give one release zip per platform.");
    byPlatform.set(platform, { ...name, file });
  }
  return [...byPlatform.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, zip]) => zip);
}

async function inspectZip(
  zip: ReleaseZip,
  type: string,
  sums: Map<string, string> | undefined,
): Promise<ProviderPlatformPackage> {
  const name = basename(zip.file);
  const { digest, size } = await digestFile(zip.file);
  if (sums) {
    const expected = sums.get(name);
    if (expected === undefined)
      throw invalidInput(`${name} is not listed in the SHA256SUMS file`, "Give the SHA256SUMS file of this release.");
    if (expected !== digestHex(digest))
      throw invalidInput(
        `${name}: checksum mismatch, SHA256SUMS says ${expected}, the file is ${digestHex(digest)}`,
        "The zip is damaged or is not the one released; download it again.",
      );
  }
  const h1 = await checkProviderZip(zip.file, type, zip.os);
  return { os: zip.os, arch: zip.arch, file: zip.file, digest, size, h1 };
}
