import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { invalidInput, writeFileAtomic } from "@tofu-oci/core";
import type { ProviderInstallationMethod } from "@tofu-oci/auth";
import {
  formatLockFile,
  formatPlatform,
  parseLockFile,
  parsePlatform,
  readProviderRequirements,
  type LockFile,
  type ProviderLock,
} from "@tofu-oci/opentofu";
import type { DepsContext } from "./context.js";
import { Installation } from "./lock/installation.js";
import { lockProvider, type ProviderOutcome } from "./lock/lock-provider.js";
import type { LockFileRecord, ProviderLockRecord } from "./records.js";
import { RegistrySession, type RegistryAccess } from "./registry-session.js";

/** What `deps lock` locks, and how. */
export interface LockOptions extends RegistryAccess {
  /** The configuration directory (the root module); its `.terraform.lock.hcl` is written. Default: `ctx.cwd`. */
  dir?: string;
  /**
   * Platforms to lock, `os_arch` or `os/arch`, as `tofu providers lock -platform`. Default: every
   * platform in the mirror.
   */
  platforms?: string[];
  /** Take the newest allowed versions instead of the locked ones (`tofu init -upgrade`). Default false. */
  upgrade?: boolean;
  /**
   * Download every zip: all of verify's OpenTofu rules run, and each manifest's h1: annotation is
   * checked against the content. Default false: a platform whose manifest records its h1: is not
   * downloaded (its zh: is the layer digest); one without is downloaded to compute it.
   */
  download?: boolean;
  /** Report what would change without writing the file. Default false. */
  dryRun?: boolean;
  /** These installation methods instead of the CLI configuration's `provider_installation` block (library use). */
  installation?: ProviderInstallationMethod[];
  /** Where zips are downloaded. Default: the OS temp directory. */
  tempDir?: string;
  /** Called with each record as soon as it is made. */
  onRecord?: (record: ProviderLockRecord | LockFileRecord) => void;
  /** Told about things worth a warning (modules that could not be read). */
  onWarning?: (message: string) => void;
}

/** What `deps lock` did. */
export interface LockResult {
  /** One record per provider, then the lock file's. */
  records: Array<ProviderLockRecord | LockFileRecord>;
  /** The providers that could not be locked (left as they were). */
  failed: ProviderLockRecord[];
  /** Some failure was a missing repository, tag, version or platform. */
  notFound: boolean;
}

const LOCK_FILE = ".terraform.lock.hcl";

/**
 * Writes `.terraform.lock.hcl` for the providers a configuration requires
 * (`readProviderRequirements`) that OpenTofu installs from an OCI mirror (the `oci_mirror` blocks
 * of its CLI configuration: `repository_template`, `include`, `exclude`), with a `zh:` and an
 * `h1:` for every platform in the mirror, byte for byte as `tofu init` writes the file, so that
 * `tofu init` afterwards changes nothing on any platform. Versions are chosen as `tofu init`
 * chooses them, honouring those already locked; every version passes verify's OpenTofu rules
 * first. Entries of providers installed some other way are left as they are; entries of
 * providers the configuration no longer requires are removed, as `tofu init` removes them (kept
 * when a module could not be read). A provider that fails is reported and its entry left as it was.
 * @throws TofuOciError "usage" (exit 2) for a bad platform; "invalid-input" (exit 6) for a bad
 *   configuration, lock file or CLI configuration; registry failures (exit 4, 5).
 */
export async function lock(options: LockOptions = {}, ctx: DepsContext = {}): Promise<LockResult> {
  const dir = resolve(ctx.cwd ?? ".", options.dir ?? ".");
  const platforms = [...new Set((options.platforms ?? []).map((text) => formatPlatform(parsePlatform(text))))];
  const configuration = await readProviderRequirements(dir);
  const file = join(dir, LOCK_FILE);
  const before = await readExisting(file);
  const installation = await Installation.load(options.installation, { ...ctx, cwd: ctx.cwd ?? dir });
  for (const module of configuration.unresolved)
    options.onWarning?.(
      `module.${module.key} (${module.source}) is not installed, so its providers are not known; run tofu init first`,
    );
  const session = new RegistrySession(options, ctx.signal);
  const result: LockResult = { records: [], failed: [], notFound: false };
  const emit = (record: ProviderLockRecord | LockFileRecord) => {
    options.onRecord?.(record);
    result.records.push(record);
  };
  const after: LockFile = { providers: new Map(before.lock.providers) };
  try {
    const settings = {
      session,
      platforms,
      upgrade: options.upgrade ?? false,
      download: options.download ?? false,
      ...(options.tempDir ? { tempDir: options.tempDir } : {}),
    };
    for (const requirement of [...configuration.providers.values()].sort((a, b) => (a.address < b.address ? -1 : 1))) {
      const existing = before.lock.providers.get(requirement.address);
      const plan = installation.plan(requirement.provider);
      const outcome: ProviderOutcome =
        plan.kind === "oci"
          ? await lockProvider(requirement, plan.repositories, existing, settings)
          : {
              record: {
                kind: "provider-lock",
                provider: requirement.address,
                action: "kept",
                problem: `not installed from an OCI mirror: ${plan.reason}`,
                ...(existing ? { version: existing.version } : {}),
              },
            };
      if (outcome.entry) after.providers.set(requirement.address, outcome.entry);
      if (outcome.record.action === "failed") result.failed.push(outcome.record);
      if (outcome.notFound) result.notFound = true;
      emit(outcome.record);
    }
  } finally {
    await session.close();
  }
  if (configuration.unresolved.length === 0) removeUnrequired(after, configuration.providers, emit);
  emit(await writeLock(file, before, after, options.dryRun ?? false));
  return result;
}

async function readExisting(file: string): Promise<{ text?: string; lock: LockFile }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { lock: { providers: new Map() } };
    throw invalidInput(
      `cannot read the lock file ${file}: ${code ?? (error as Error).message}`,
      "Make it a readable file, or delete it to have it written anew.",
    );
  }
  return { text, lock: await parseLockFile(text, file) };
}

/** installer.go:255: entries of providers the configuration does not require go. */
function removeUnrequired(
  after: LockFile,
  required: ReadonlyMap<string, unknown>,
  emit: (record: ProviderLockRecord) => void,
): void {
  for (const [address, entry] of [...after.providers]) {
    if (required.has(address)) continue;
    after.providers.delete(address);
    emit({
      kind: "provider-lock",
      provider: address,
      action: "removed",
      version: (entry as ProviderLock).version,
      problem: "the configuration no longer requires it",
    });
  }
}

/** Written only when the bytes change; a lock file with no providers is not created (init.go:975). */
async function writeLock(
  file: string,
  before: { text?: string; lock: LockFile },
  after: LockFile,
  dryRun: boolean,
): Promise<LockFileRecord> {
  const text = formatLockFile(after);
  const changed = before.text === undefined ? after.providers.size > 0 : text !== before.text;
  if (changed && !dryRun) await writeFileAtomic(file, text);
  return { kind: "lock-file", file, changed, providers: after.providers.size };
}
