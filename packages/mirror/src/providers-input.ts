import { resolve } from "node:path";
import { usageError, type Locator } from "@tofu-oci/core";
import {
  currentPlatform,
  formatPlatform,
  formatProviderAddress,
  parsePlatform,
  parseProviderAddress,
  parseRepositoryTemplate,
  parseVersionConstraint,
  readLockFile,
  renderTemplate,
  templateRepository,
  type ProviderAddress,
  type ProviderLock,
  type RepositoryTemplate,
  type VersionConstraint,
} from "@tofu-oci/opentofu";
import { parseProviderRequest } from "./provider-registry/address.js";
import { mirrorIncludePatterns } from "./providers-config.js";
import { assertShard, type Shard } from "./shard.js";

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
  /**
   * `[HOST/]NAMESPACE/TYPE[@CONSTRAINT]` each (host registry.opentofu.org); with `lockfile`, names without constraint
   * that select from the lock file.
   */
  providers?: readonly string[];
  /**
   * The repository template, e.g. `HOST/REPO/${namespace}/${type}`, or with `ociLayout` a directory template. Required;
   * `usage` error (exit 2) when missing.
   */
  to?: string;
  /** `os_arch` or `os/arch` values, or `all`. Default: the platform this runs on. */
  platforms?: readonly string[];
  /**
   * Path of a `.terraform.lock.hcl` (relative to the context's `cwd`): mirror its locked versions and check its hashes.
   */
  lockfile?: string;
  /** `to` names OCI image layout directories instead of registry repositories. Default false. */
  ociLayout?: boolean;
  /** Also return the `provider_installation` block for the template. Needs a registry template, not `ociLayout`. */
  printConfig?: boolean;
  /** Versions mirrored and blob transfers at once (a positive integer). Default 4. */
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
  if (!options.to)
    throw usageError(
      "--to TEMPLATE is required",
      "e.g. --to 'registry.example.com/opentofu-providers/${namespace}/${type}', or set mirrorTemplate in the tofu-oci config file.",
    );
  if (options.concurrency !== undefined && !(Number.isInteger(options.concurrency) && options.concurrency > 0))
    throw usageError("--concurrency must be a positive integer");
  if (options.shard) assertShard(options.shard);
  if (options.printConfig && options.ociLayout) {
    throw usageError(
      "--print-config needs a registry template, not --oci-layout",
      "OpenTofu installs providers from registries; copy the layout to a registry first (tofu-oci-mirror copy).",
    );
  }
  const platforms = parsePlatforms(options.platforms ?? []);
  const requested = await requestedProviders(options, cwd);
  // Checked as OpenTofu loads the oci_mirror block --print-config prints: include = exactly these providers.
  const include = mirrorIncludePatterns(requested.map((r) => r.address));
  const template = parseRepositoryTemplate(options.to, options.ociLayout ? { directory: true } : { include });
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
  if (args.length === 0)
    throw usageError(
      "name at least one provider",
      "e.g. tofu-oci-mirror providers hashicorp/aws@~>5.0 --to TEMPLATE, or give --lockfile.",
    );
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
    if (constraint !== undefined)
      throw usageError(
        `"${arg}": a constraint cannot be combined with --lockfile`,
        "The lock file pins the version; name the provider alone.",
      );
    return formatProviderAddress(address);
  });
  assertUnique(named);
  const locks = (await readLockFile(path)).providers;
  for (const name of named) {
    if (!locks.has(name))
      throw usageError(
        `${name} is not in the lock file ${path}`,
        `It locks: ${[...locks.keys()].join(", ") || "no providers"}.`,
      );
  }
  const selected = [...locks.values()].filter((lock) => named.length === 0 || named.includes(lock.address));
  if (selected.length === 0)
    throw usageError(
      `the lock file ${path} locks no providers`,
      "Run tofu init to write it, or name providers instead of --lockfile.",
    );
  return selected.map((lock) => ({
    address: parseProviderAddress(lock.address, { form: "normalized" }),
    pinned: lock,
  }));
}

/**
 * The destination of one provider: the template's repository (`templateRepository` of
 * @tofu-oci/opentofu), or with `ociLayout` the template's output as a directory under `cwd`.
 * @throws TofuOciError "usage" (exit 2) when the output is not a valid repository address.
 */
export function destinationFor(
  template: RepositoryTemplate,
  address: ProviderAddress,
  options: { ociLayout?: boolean; cwd?: string } = {},
): Locator {
  if (options.ociLayout)
    return { kind: "layout", registry: "", repository: resolve(options.cwd ?? ".", renderTemplate(template, address)) };
  return { kind: "registry", ...templateRepository(template, address) };
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
  if (values.length === 0) return { all: false, keys: [formatPlatform(currentPlatform())] };
  const keys = values.map((value) => formatPlatform(parsePlatform(value)));
  return { all: false, keys: [...new Set(keys)] };
}

function assertUnique(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name))
      throw usageError(
        `the provider ${name} is given twice`,
        'Combine the constraints with a comma: NS/TYPE@">= 1.0, < 2.0".',
      );
    seen.add(name);
  }
}
