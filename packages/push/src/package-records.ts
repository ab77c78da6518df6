import { resolve } from "node:path";
import {
  expectKind,
  invalidInput,
  isValidDigest,
  isValidTag,
  type AnyRecord,
  type ModulePackageRecord,
  type LocalFile,
  type PackageRecord,
  type ProviderPackageRecord,
} from "@tofu-oci/core";
import { h1OfUnpackedPackage, readPackageZip, versionToTag } from "@tofu-oci/opentofu";
import { assertZipFile } from "./local-file.js";

/** A module zip to push. */
export interface ModuleInput {
  type: "module";
  zip: LocalFile;
}

/** One platform's release zip of a provider version. */
export interface ProviderPlatformInput {
  os: string;
  arch: string;
  zip: LocalFile;
  /** The package's `h1:`: the record's (tofu-oci-pack computed it), else computed from the zip. */
  h1: string;
}

/** A provider version to push: one release zip per platform. */
export interface ProviderInput {
  type: "provider";
  provider: string;
  version: string;
  platforms: ProviderPlatformInput[];
}

export type PushInput = ModuleInput | ProviderInput;

const PROVIDER = /^[a-z0-9][a-z0-9.:-]*\/[a-z0-9][a-z0-9_-]*\/[a-z0-9][a-z0-9_-]*$/i;
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const PLATFORM_PART = /^[a-z0-9]+$/;

/**
 * Checks one record read from stdin (docs/contract/design.md §2.2 pack records) and the files it names,
 * without touching the network. Relative paths are resolved against `cwd`.
 * @throws TofuOciError "invalid-input" (exit 6) naming the record and the field.
 */
export async function toPushInput(typed: PackageRecord | AnyRecord, index: number, cwd?: string): Promise<PushInput> {
  // Typed records are checked like parsed ones: library callers in plain JavaScript get no compiler.
  const record = typed as AnyRecord;
  if (record.kind === "error") {
    throw invalidInput(
      `the command before tofu-oci-push failed: ${String(record.message ?? "unknown error")}`,
      "Fix that failure first; nothing was pushed.",
    );
  }
  const pkg = expectKind(record, ["package"], "tofu-oci-push");
  const where = `record ${index + 1}`;
  if (pkg.type === "module") return moduleInput(pkg as unknown as ModulePackageRecord, where, cwd);
  if (pkg.type === "provider") return providerInput(pkg as unknown as ProviderPackageRecord, where, cwd);
  throw invalidInput(
    `${where}: unknown package type ${JSON.stringify(pkg.type)}`,
    'Package records have "type": "module" or "provider".',
  );
}

async function moduleInput(record: ModulePackageRecord, where: string, cwd: string | undefined): Promise<ModuleInput> {
  if (record.mediaType !== "archive/zip") throw invalidInput(`${where}: "mediaType" must be "archive/zip"`);
  return { type: "module", zip: await blobOf(record, where, "the module zip", cwd) };
}

async function providerInput(
  record: ProviderPackageRecord,
  where: string,
  cwd: string | undefined,
): Promise<ProviderInput> {
  if (typeof record.provider !== "string" || !PROVIDER.test(record.provider)) {
    throw invalidInput(`${where}: "provider" must be HOST/NAMESPACE/TYPE, got ${JSON.stringify(record.provider)}`);
  }
  if (
    typeof record.version !== "string" ||
    !VERSION.test(record.version) ||
    !isValidTag(versionToTag(record.version))
  ) {
    throw invalidInput(`${where}: "version" must be a version like 1.2.3, got ${JSON.stringify(record.version)}`);
  }
  if (!Array.isArray(record.platforms) || record.platforms.length === 0)
    throw invalidInput(`${where}: "platforms" must be a non-empty list`);
  const seen = new Set<string>();
  const platforms: ProviderPlatformInput[] = [];
  for (const [i, platform] of record.platforms.entries()) {
    const at = `${where}, platform ${i + 1}`;
    if (
      typeof platform !== "object" ||
      platform === null ||
      !PLATFORM_PART.test(String(platform.os)) ||
      !PLATFORM_PART.test(String(platform.arch))
    ) {
      throw invalidInput(`${at}: "os" and "arch" must be lowercase names such as linux and amd64`);
    }
    const key = `${platform.os}_${platform.arch}`;
    if (seen.has(key)) throw invalidInput(`${where}: platform ${key} appears twice`);
    seen.add(key);
    const zip = await blobOf(platform, at, `the ${key} zip`, cwd);
    platforms.push({ os: platform.os, arch: platform.arch, zip, h1: await platformH1(platform.h1, zip, at) });
  }
  return { type: "provider", provider: record.provider, version: record.version, platforms };
}

const H1 = /^h1:[A-Za-z0-9+/]{43}=$/;

/** The record's `h1` when it has one, else the `h1:` of the zip's unpacked files (read locally, once). */
async function platformH1(given: unknown, zip: LocalFile, where: string): Promise<string> {
  if (given !== undefined) {
    if (typeof given !== "string" || !H1.test(given))
      throw invalidInput(`${where}: "h1" must be an h1: hash, got ${JSON.stringify(given)}`);
    return given;
  }
  return h1OfUnpackedPackage(await readPackageZip(zip.file));
}

async function blobOf(
  fields: { file?: unknown; digest?: unknown; size?: unknown },
  where: string,
  what: string,
  cwd: string | undefined,
): Promise<LocalFile> {
  if (typeof fields.file !== "string" || fields.file === "") throw invalidInput(`${where}: "file" must be a path`);
  if (typeof fields.digest !== "string" || !isValidDigest(fields.digest))
    throw invalidInput(`${where}: "digest" must be sha256: and 64 hex digits`);
  if (!Number.isSafeInteger(fields.size) || (fields.size as number) < 0)
    throw invalidInput(`${where}: "size" must be a byte count`);
  const path = cwd ? resolve(cwd, fields.file) : resolve(fields.file);
  const { file } = await assertZipFile(path, what, fields.size as number);
  return { file, digest: fields.digest, size: fields.size as number };
}
