import type { CheckResult } from "@tofu-oci/core";
import { zhOf } from "@tofu-oci/opentofu";
import type { PackageMetadata } from "./provider-registry-client.js";
import type { DownloadedFile } from "./registry-http.js";

/** The ids of the package checks, as they appear in records and messages. */
export const PackageCheckId = {
  protocol: "protocol",
  registryPackages: "registry-packages",
  sha256sums: "sha256sums",
  signature: "signature",
  zipSha256: "zip-sha256",
} as const;

const CheckId = PackageCheckId;

/** Plugin protocols OpenTofu supports: `>= 5, < 7` (internal/getproviders/registry_client.go:34). */
const SUPPORTED_PROTOCOL_MAJORS = new Set([5, 6]);

/**
 * The checks that need no download (internal/getproviders/package_authentication.go:426
 * registryPackageAuthentication, :365 matchingChecksumAuthentication, and the protocol check of
 * registry_client.go:257 PackageMeta).
 */
export function metadataChecks(metadata: PackageMetadata, sha256sums: Uint8Array): CheckResult[] {
  return [protocolCheck(metadata), registryPackagesCheck(metadata), sha256sumsCheck(metadata, sha256sums)];
}

/**
 * The checks of the downloaded zip: its sha256 (package_authentication.go:315
 * archiveHashAuthentication) and the announced v1.12+ package size (:426).
 */
export function zipChecks(metadata: PackageMetadata, zip: DownloadedFile): CheckResult[] {
  const checks: CheckResult[] = [];
  const entry = metadata.packages?.[`${metadata.os}_${metadata.arch}`];
  if (entry) {
    const ok = entry.packageSize === zip.size;
    checks.push(
      checkResult(
        CheckId.registryPackages,
        ok,
        ok
          ? `package_size ${zip.size} matches`
          : `the zip is ${zip.size} bytes but "packages" says ${entry.packageSize}`,
      ),
    );
  }
  const ok = zip.sha256 === metadata.shasum;
  checks.push(
    checkResult(
      CheckId.zipSha256,
      ok,
      ok
        ? `sha256 of ${metadata.filename} matches shasum`
        : `sha256 of ${metadata.filename} is ${zip.sha256}, but the registry's shasum is ${metadata.shasum}`,
    ),
  );
  return checks;
}

function protocolCheck(metadata: PackageMetadata): CheckResult {
  if (metadata.protocols.length === 0) return checkResult(CheckId.protocol, true, "no protocols listed");
  const ok = metadata.protocols.some((protocol) => SUPPORTED_PROTOCOL_MAJORS.has(Number.parseInt(protocol, 10)));
  return checkResult(
    CheckId.protocol,
    ok,
    ok
      ? `plugin protocol ${metadata.protocols.join(", ")}`
      : `plugin protocols ${metadata.protocols.join(", ")} are not supported by OpenTofu (needs 5 or 6)`,
  );
}

/** The v1.12+ `packages` rules: when present, the platform's entry exists, has a size, and every `zh:` equals `shasum`. */
function registryPackagesCheck(metadata: PackageMetadata): CheckResult {
  const platform = `${metadata.os}_${metadata.arch}`;
  if (!metadata.packages || Object.keys(metadata.packages).length === 0)
    return checkResult(CheckId.registryPackages, true, 'no "packages" metadata');
  const entry = metadata.packages[platform];
  if (!entry) return checkResult(CheckId.registryPackages, false, `"packages" has no entry for ${platform}`);
  if (!(entry.packageSize > 0))
    return checkResult(
      CheckId.registryPackages,
      false,
      `"packages" gives ${platform} an invalid package_size ${entry.packageSize}`,
    );
  const zh = entry.hashes.filter((hash) => hash.startsWith("zh:"));
  if (zh.length === 0)
    return checkResult(CheckId.registryPackages, false, `"packages" has no zh: hash for ${platform}`);
  const expected = zhOf(metadata.shasum);
  const wrong = zh.find((hash) => hash !== expected);
  if (wrong)
    return checkResult(
      CheckId.registryPackages,
      false,
      `"packages" lists ${wrong} for ${platform}, not the shasum ${metadata.shasum}`,
    );
  return checkResult(CheckId.registryPackages, true, `"packages" agrees with shasum`);
}

/** The line of SHA256SUMS naming `filename` must carry `shasum` (fields split on whitespace). */
function sha256sumsCheck(metadata: PackageMetadata, document: Uint8Array): CheckResult {
  const line = sha256sumsEntry(document, metadata.filename);
  if (line === undefined)
    return checkResult(CheckId.sha256sums, false, `SHA256SUMS has no line for ${metadata.filename}`);
  if (!/^[0-9a-fA-F]{64}$/.test(line))
    return checkResult(CheckId.sha256sums, false, `SHA256SUMS has an invalid hash for ${metadata.filename}: ${line}`);
  const ok = line.toLowerCase() === metadata.shasum;
  return checkResult(
    CheckId.sha256sums,
    ok,
    ok
      ? `SHA256SUMS lists ${metadata.filename} with shasum`
      : `SHA256SUMS lists ${metadata.filename} as ${line.toLowerCase()}, but the registry's shasum is ${metadata.shasum}`,
  );
}

/** The hash SHA256SUMS gives for `filename`: the first field of the first line whose second field is it. */
export function sha256sumsEntry(document: Uint8Array, filename: string): string | undefined {
  for (const line of Buffer.from(document).toString("latin1").split("\n")) {
    const fields = line.split(/[ \t\r\v\f]+/).filter((field) => field !== "");
    if (fields.length > 1 && fields[1] === filename) return fields[0];
  }
  return undefined;
}

/** A check result `{ id, ok, message }`. */
export function checkResult(id: string, ok: boolean, message: string): CheckResult {
  return { id, ok, message };
}
