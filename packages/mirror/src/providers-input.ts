import { arch as hostArch, platform as hostPlatform } from "node:os";
import { resolve } from "node:path";
import { usageError, type Locator } from "@tofu-oci/core";
import type { ProviderLock } from "@tofu-oci/verify";
import { formatProviderAddress, parseProviderAddress, parseProviderRequest, type ProviderAddress } from "./provider-registry/address.js";
import { assertRegistryTemplate, destinationFor, parseRepositoryTemplate, type RepositoryTemplate } from "./repository-template.js";
import { assertShard, type Shard } from "./shard.js";
import { parseVersionConstraint, type VersionConstraint } from "./version-constraints.js";

/** The platforms to mirror: every one the registry lists, or these `os_arch` keys. */
export type PlatformSelection = { all: true } | { all: false; keys: string[] };

/** One provider to mirror, with where it goes and which versions. */
export interface ProviderJob {
  address: ProviderAddress;
  /** `HOST/NAMESPACE/TYPE`. */
  name: string;
  constraint?: VersionConstraint;
  /** With --lockfile: the pinned version and its hashes. */
  pinned?: ProviderLock;
  destination: Locator;
}

/** Everything `providers` needs, checked before the first network request. */
export interface ProvidersInput {
  jobs: ProviderJob[];
  platforms: PlatformSelection;
  template: RepositoryTemplate;
}

/** The arguments `validateProvidersInput` reads. */
export interface ProvidersInputOptions {
  providers?: readonly string[];
  to?: string;
  platforms?: readonly string[];
  lockfile?: string;
  ociLayout?: boolean;
  printConfig?: boolean;
  concurrency?: number;
  /**
   * Mirror only this share of the versions (`--shard K/N`, split by provider and version), so N
   * machines together mirror each version once. Default: every version.
   */
  shard?: Shard;
}

/**
 * Parses and checks all local input: provider addresses and constraints, the template (as
 * OpenTofu would load it for these providers), platforms and the lock file.
 * @throws TofuOciError "usage" (exit 2) or, for a bad lock file, "invalid-input" (exit 6).
 */
export async function validateProvidersInput(options: ProvidersInputOptions, cwd = "."): Promise<ProvidersInput> {
  if (!options.to) throw usageError("--to TEMPLATE is required", "e.g. --to 'registry.example.com/opentofu-providers/${namespace}/${type}', or set mirrorTemplate in the tofu-oci config file.");
  if (options.concurrency !== undefined && !(Number.isInteger(options.concurrency) && options.concurrency > 0)) throw usageError("--concurrency must be a positive integer");
  if (options.shard) assertShard(options.shard);
  if (options.printConfig && options.ociLayout) {
    throw usageError("--print-config needs a registry template, not --oci-layout", "OpenTofu installs providers from registries; copy the layout to a registry first (tofu-oci-mirror copy).");
  }
  const template = parseRepositoryTemplate(options.to);
  const platforms = parsePlatforms(options.platforms ?? []);
  const requested = await requestedProviders(options, cwd);
  if (!options.ociLayout) assertRegistryTemplate(template, requested.map((r) => r.address));
  const jobs = requested.map((request) => ({
    ...request,
    name: formatProviderAddress(request.address),
    destination: destinationFor(template, request.address, { ociLayout: options.ociLayout ?? false, cwd }),
  }));
  return { jobs, platforms, template };
}

type Requested = Omit<ProviderJob, "destination" | "name">;

async function requestedProviders(options: ProvidersInputOptions, cwd: string): Promise<Requested[]> {
  const args = options.providers ?? [];
  if (options.lockfile !== undefined) return lockedProviders(args, resolve(cwd, options.lockfile));
  if (args.length === 0) throw usageError("name at least one provider", "e.g. tofu-oci-mirror providers hashicorp/aws@~>5.0 --to TEMPLATE, or give --lockfile.");
  const jobs = args.map((arg): Requested => {
    const { address, constraint } = parseProviderRequest(arg);
    return constraint === undefined ? { address } : { address, constraint: parseVersionConstraint(constraint) };
  });
  assertUnique(jobs.map((job) => formatProviderAddress(job.address)));
  return jobs;
}

/** The lock file's providers (all, or those named), each pinned to its locked version. */
async function lockedProviders(args: readonly string[], path: string): Promise<Requested[]> {
  const named = args.map((arg) => {
    const { address, constraint } = parseProviderRequest(arg);
    if (constraint !== undefined) throw usageError(`"${arg}": a constraint cannot be combined with --lockfile`, "The lock file pins the version; name the provider alone.");
    return formatProviderAddress(address);
  });
  assertUnique(named);
  // Loaded only for --lockfile: the verify library and its HCL parser take a while to load.
  const { readLockFile } = await import("@tofu-oci/verify");
  const locks = (await readLockFile(path)).providers;
  for (const name of named) {
    if (!locks.has(name)) throw usageError(`${name} is not in the lock file ${path}`, `It locks: ${[...locks.keys()].join(", ") || "no providers"}.`);
  }
  const selected = [...locks.values()].filter((lock) => named.length === 0 || named.includes(lock.address));
  if (selected.length === 0) throw usageError(`the lock file ${path} locks no providers`, "Run tofu init to write it, or name providers instead of --lockfile.");
  return selected.map((lock) => ({ address: parseProviderAddress(lock.address), pinned: lock }));
}

/**
 * `--platform` values: `os_arch` or `os/arch`, or `all`. None means the platform this runs on.
 * @throws TofuOciError "usage".
 */
export function parsePlatforms(values: readonly string[]): PlatformSelection {
  if (values.includes("all")) {
    if (values.length > 1) throw usageError("--platform all cannot be combined with other platforms");
    return { all: true };
  }
  if (values.length === 0) return { all: false, keys: [currentPlatform()] };
  const keys = values.map((value) => {
    const match = /^([a-z0-9]+)[_/]([a-z0-9]+)$/.exec(value);
    if (!match) throw usageError(`invalid platform "${value}"`, "Write OS_ARCH such as linux_amd64 or darwin/arm64, or all.");
    return `${match[1]}_${match[2]}`;
  });
  return { all: false, keys: [...new Set(keys)] };
}

/** The Go `GOOS_GOARCH` of the machine this runs on. */
export function currentPlatform(): string {
  const os = { win32: "windows", sunos: "solaris" }[hostPlatform() as string] ?? hostPlatform();
  const arch = { x64: "amd64", ia32: "386", arm: "arm", arm64: "arm64", ppc64: "ppc64le", s390x: "s390x" }[hostArch() as string] ?? hostArch();
  return `${os}_${arch}`;
}

function assertUnique(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw usageError(`the provider ${name} is given twice`, "Combine the constraints with a comma: NS/TYPE@\">= 1.0, < 2.0\".");
    seen.add(name);
  }
}
