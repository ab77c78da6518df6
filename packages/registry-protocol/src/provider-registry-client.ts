import { TofuOciError } from "@tofu-oci/core";
import { formatProviderAddress, type ProviderAddress } from "@tofu-oci/opentofu";
import { discoverProvidersApi } from "./provider-discovery.js";
import { statusError, type RegistryHttp } from "./registry-http.js";
import { invalidResponse, parseJsonObject } from "./service-discovery.js";

/** One entry of the `versions` endpoint. */
export interface AvailableVersion {
  /** The version as the registry lists it, e.g. `5.31.0`. */
  version: string;
  /** Plugin protocol versions the release supports, e.g. `5.0`. */
  protocols: string[];
  /** Platforms as `os_arch`; OpenTofu ignores this list, the mirror uses it for `--platform all`. */
  platforms: string[];
}

/** The optional v1.12+ `packages` entry of one platform (rfc/20251027-provider-registry-hashes.md). */
export interface RegistryPackageEntry {
  /** Lock-file hashes of the package (`h1:`, `zh:`...), as the registry claims them. */
  hashes: string[];
  /** The zip's size in bytes; 0 when the registry did not say. */
  packageSize: number;
}

/** A platform's download metadata (`.../{version}/download/{os}/{arch}`), URLs resolved. */
export interface PackageMetadata {
  /** The platform's operating system, e.g. `linux`. */
  os: string;
  /** The platform's architecture, e.g. `amd64`. */
  arch: string;
  /** Plugin protocol versions the package speaks, e.g. `5.0`. */
  protocols: string[];
  /** The zip's file name, `terraform-provider-TYPE_VERSION_OS_ARCH.zip`. */
  filename: string;
  /** Where the zip is, resolved against the endpoint's URL. */
  downloadUrl: URL;
  /** Lowercase hex sha256 of the zip, as the registry claims it. */
  shasum: string;
  /** Where the SHA256SUMS document listing the zip is. */
  shasumsUrl: URL;
  /** Where the detached GPG signature of the SHA256SUMS document is. */
  shasumsSignatureUrl: URL;
  /** ASCII-armored public keys from `signing_keys.gpg_public_keys[].ascii_armor`. */
  signingKeys: string[];
  /** Keyed by `os_arch`; undefined when the registry sent no `packages`. */
  packages?: Record<string, RegistryPackageEntry>;
}

const API_LIMIT = 4 * 1024 * 1024;

/**
 * A client for one provider of a Provider Registry Protocol host
 * (OpenTofu internal/getproviders/registry_client.go: :64 ProviderVersions, :156 PackageMeta).
 */
export class ProviderRegistryClient {
  /** Registry warnings from the versions endpoint, to show the user. */
  readonly warnings: string[] = [];

  private constructor(
    /** The HTTP client requests go through. */
    readonly http: RegistryHttp,
    /** The provider this client asks about. */
    readonly address: ProviderAddress,
    /** The host's `providers.v1` endpoint URL, from service discovery. */
    readonly base: URL,
  ) {}

  /** Discovers the host's `providers.v1` endpoint. */
  static async open(http: RegistryHttp, address: ProviderAddress): Promise<ProviderRegistryClient> {
    return new ProviderRegistryClient(http, address, await discoverProvidersApi(http, address.hostname));
  }

  /** The provider's versions. Entries whose version field is not a string are dropped. */
  async versions(): Promise<AvailableVersion[]> {
    const what = `the versions of ${formatProviderAddress(this.address)}`;
    const response = await this.http.api(this.#endpoint("versions"), API_LIMIT, what);
    if (response.status === 404) {
      throw new TofuOciError("not-found", `provider ${formatProviderAddress(this.address)} does not exist`, {
        hint: "Check the namespace and type; the registry does not know them.",
      });
    }
    if (response.status !== 200) throw await statusError(response, what);
    const body = parseJsonObject(response.body, what);
    if (!Array.isArray(body.versions)) throw invalidResponse(`${what}: "versions" is not a list`);
    if (Array.isArray(body.warnings))
      this.warnings.push(...body.warnings.filter((w): w is string => typeof w === "string"));
    return body.versions.flatMap((entry) => availableVersion(entry));
  }

  /**
   * One platform's download metadata, or undefined when the registry answers 404 (the platform
   * is not supported for this version).
   */
  async packageMetadata(version: string, os: string, arch: string): Promise<PackageMetadata | undefined> {
    const what = `the ${os}_${arch} download of ${formatProviderAddress(this.address)} ${version}`;
    const response = await this.http.api(
      this.#endpoint(`${version}/download/${os}/${arch}`),
      API_LIMIT,
      `metadata of ${what}`,
    );
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw await statusError(response, `metadata of ${what}`);
    const metadata = parsePackageMetadata(parseJsonObject(response.body, `metadata of ${what}`), response.url, what);
    if (metadata.os !== os || metadata.arch !== arch)
      throw invalidResponse(`the registry answered the request for ${what} with ${metadata.os}_${metadata.arch}`);
    return metadata;
  }

  #endpoint(path: string): URL {
    const { namespace, type } = this.address;
    return new URL(`${encodeURIComponent(namespace)}/${encodeURIComponent(type)}/${path}`, this.base);
  }
}

function availableVersion(entry: unknown): AvailableVersion[] {
  if (typeof entry !== "object" || entry === null) return [];
  const { version, protocols, platforms } = entry as Record<string, unknown>;
  if (typeof version !== "string") return [];
  return [
    {
      version,
      protocols: Array.isArray(protocols) ? protocols.filter((p): p is string => typeof p === "string") : [],
      platforms: Array.isArray(platforms) ? platforms.flatMap(platformKey) : [],
    },
  ];
}

function platformKey(value: unknown): string[] {
  if (typeof value !== "object" || value === null) return [];
  const { os, arch } = value as Record<string, unknown>;
  return typeof os === "string" && typeof arch === "string" ? [`${os}_${arch}`] : [];
}

/** Validates and normalizes a download response as OpenTofu's `PackageMeta` does (registry_client.go:156). */
export function parsePackageMetadata(body: Record<string, unknown>, responseUrl: URL, what: string): PackageMetadata {
  const text = (field: string): string => {
    const value = body[field];
    if (typeof value !== "string") throw invalidResponse(`${what}: "${field}" is missing or not a string`);
    return value;
  };
  const shasum = text("shasum");
  if (!/^[0-9a-fA-F]{64}$/.test(shasum))
    throw invalidResponse(`${what}: "shasum" is not 64 hex digits: ${JSON.stringify(shasum)}`);
  const metadata: PackageMetadata = {
    os: text("os"),
    arch: text("arch"),
    protocols: Array.isArray(body.protocols) ? body.protocols.map(String) : [],
    filename: text("filename"),
    downloadUrl: resolveUrl(text("download_url"), responseUrl, what, "download_url"),
    shasum: shasum.toLowerCase(),
    shasumsUrl: resolveUrl(text("shasums_url"), responseUrl, what, "shasums_url"),
    shasumsSignatureUrl: resolveUrl(text("shasums_signature_url"), responseUrl, what, "shasums_signature_url"),
    signingKeys: signingKeys(body.signing_keys),
  };
  const packages = packageEntries(body.packages, what);
  if (packages) metadata.packages = packages;
  return metadata;
}

function resolveUrl(raw: string, base: URL, what: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw invalidResponse(`${what}: "${field}" is not a URL: ${raw}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw invalidResponse(`${what}: "${field}" must use http or https`);
  return url;
}

function signingKeys(value: unknown): string[] {
  if (typeof value !== "object" || value === null) return [];
  const list = (value as Record<string, unknown>).gpg_public_keys;
  if (!Array.isArray(list)) return [];
  return list.flatMap((key) => {
    const armor = typeof key === "object" && key !== null ? (key as Record<string, unknown>).ascii_armor : undefined;
    return typeof armor === "string" ? [armor] : [];
  });
}

function packageEntries(value: unknown, what: string): Record<string, RegistryPackageEntry> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw invalidResponse(`${what}: "packages" is not an object`);
  const entries: Record<string, RegistryPackageEntry> = {};
  for (const [platform, raw] of Object.entries(value as Record<string, unknown>)) {
    if (!/^[a-z0-9]+_[a-z0-9]+$/.test(platform))
      throw invalidResponse(`${what}: invalid package platform ${JSON.stringify(platform)}`);
    const entry = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    const hashes = Array.isArray(entry.hashes) ? entry.hashes : [];
    for (const hash of hashes) {
      if (typeof hash !== "string" || !/^[a-z0-9]+:.+$/.test(hash))
        throw invalidResponse(`${what}: invalid package hash ${JSON.stringify(hash)}`);
    }
    entries[platform] = {
      hashes: hashes as string[],
      packageSize: typeof entry.package_size === "number" ? entry.package_size : 0,
    };
  }
  return entries;
}
