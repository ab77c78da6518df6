import { mkdtemp, rm } from "node:fs/promises";
import { openShared } from "./mirror-context.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Semaphore,
  TofuOciError,
  isTofuOciError,
  mapConcurrent,
  safeRemoteText,
  type DownloadHooks,
  type Target,
  type TransferHooks,
} from "@tofu-oci/core";
import type { RegistryClient, RegistryClientOptions } from "@tofu-oci/core/remote";
import { selectVersions } from "@tofu-oci/opentofu";
import { ProviderRegistryClient, RegistryHttp, SignedSumsCache, tokensFromEnv } from "@tofu-oci/registry-protocol";
import type { Dispatcher } from "undici";
import type {
  AttachedSbom,
  ProviderFailureRecord,
  ProviderMirrorRecord,
  ProviderPlanRecord,
  ProvidersRecord,
} from "./provider-mirror/records.js";
import { mirrorVersion, type VersionRun } from "./provider-mirror/version-job.js";
import { cliConfigRecord, type CliConfigRecord } from "./providers-config.js";
import {
  validateProvidersInput,
  type PlatformSelection,
  type ProviderJob,
  type ProvidersInputOptions,
} from "./providers-input.js";
import { inShard } from "./shard.js";

/** Progress and messages of a providers run: downloads, uploads (core's copy hooks); libraries never draw. */
export interface ProvidersHooks extends DownloadHooks, TransferHooks {
  /** A warning to show the user, e.g. one the provider registry sent (at most 10 per provider). */
  onWarning?(message: string): void;
  /** Requests and decisions, for --verbose. */
  onLog?(message: string): void;
}

/** Options of {@link mirrorProviders}; the CLI flags of `tofu-oci-mirror providers`. */
export interface ProvidersOptions extends ProvidersInputOptions {
  /** Attach a CycloneDX SBOM of each platform's executable. Default false. */
  sbom?: boolean;
  /** Check and report what would be mirrored; download and push nothing. Default false. */
  dryRun?: boolean;
  /** Allow http for a loopback provider registry (tests). Default false. */
  sourcePlainHttp?: boolean;
  /** The most one zip download may write, whatever size the registry announces. Default 1 GiB. */
  maxDownloadSize?: number;
  /** The destination registry client (TLS, credentials). */
  clientOptions?: RegistryClientOptions;
  /** The provider registry side's undici dispatcher. Default: an own pool. */
  sourceDispatcher?: Dispatcher;
  /** Names the tool in SBOMs. Default tofu-oci-mirror 0.0.0. */
  tool?: { name: string; version: string };
  /** Of the versions a constraint matches, mirror only the newest (what `tofu init` picks). Default false: every match. */
  latest?: boolean;
  /** Download, upload and message callbacks. Default: none. */
  hooks?: ProvidersHooks;
}

/** Side effects of a run. */
export interface ProvidersContext {
  /** Base for the lock file and layout paths. Default ".". */
  cwd?: string;
  /** TF_TOKEN_<host> credentials and the OPENTOFU_ENFORCE_GPG_* switches. */
  env?: Record<string, string | undefined>;
  /** Aborts the run: downloads and uploads stop, nothing partial is tagged. */
  signal?: AbortSignal;
  /** The clock for signing-key expiry checks of `SHA256SUMS` signatures. Default: the system clock. */
  now?: () => Date;
  /** Where downloads are kept until pushed. Default the OS temp directory. */
  tempDir?: string;
}

/** Everything a run reports. */
export interface ProvidersResult {
  /** One record per version: mirrored, failed a check, or planned (`dryRun`). */
  records: ProvidersRecord[];
  /** With --print-config. */
  config?: CliConfigRecord;
  /** Versions that failed a check or could not be mirrored, and providers that could not be listed. */
  failures: TofuOciError[];
}

/**
 * Mirrors provider versions from their Provider Registry Protocol host into OCI repositories
 * (or layouts) named by an `oci_mirror` repository template: every zip is checked against the
 * registry's `shasum`, its signed SHA256SUMS line and the OpenPGP signature (and the lock file)
 * before anything of its version is pushed; versions the mirror already has byte for byte are
 * neither downloaded nor uploaded. A failing version does not stop the others.
 * @throws TofuOciError for invalid input (before any request) and for failures of the run as a
 * whole; per-version failures are returned in `failures`.
 */
export async function mirrorProviders(options: ProvidersOptions, ctx: ProvidersContext = {}): Promise<ProvidersResult> {
  const input = await validateProvidersInput(options, ctx.cwd);
  const env = ctx.env ?? {};
  const config = options.printConfig
    ? cliConfigRecord(
        input.template,
        input.jobs.map((job) => job.address),
      )
    : undefined;
  const http = new RegistryHttp({
    plainHttp: options.sourcePlainHttp ?? false,
    token: tokensFromEnv(env),
    ...(options.sourceDispatcher ? { dispatcher: options.sourceDispatcher } : {}),
    ...(options.hooks?.onLog ? { log: options.hooks.onLog } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(options.maxDownloadSize ? { maxDownloadSize: options.maxDownloadSize } : {}),
  });
  const run = new ProvidersRun(options, ctx, http);
  try {
    for (const job of input.jobs) await run.provider(job, input.platforms);
  } finally {
    await run.close();
  }
  return { records: run.records, failures: run.failures, ...(config ? { config } : {}) };
}

/** The state of one run: open targets, scratch space, records and failures. */
class ProvidersRun {
  readonly records: ProvidersRecord[] = [];
  readonly failures: TofuOciError[] = [];
  readonly #targets = new Map<string, Promise<Target>>();
  readonly #slots: Semaphore;
  #client: Promise<RegistryClient> | undefined;
  #workDir: Promise<string> | undefined;

  constructor(
    readonly options: ProvidersOptions,
    readonly ctx: ProvidersContext,
    readonly http: RegistryHttp,
  ) {
    this.#slots = new Semaphore(options.concurrency ?? 4);
  }

  /** Lists, selects and mirrors the versions of one provider; its failures are recorded. */
  async provider(job: ProviderJob, platforms: PlatformSelection): Promise<void> {
    try {
      const client = await ProviderRegistryClient.open(this.http, job.address);
      const available = await client.versions();
      // The registry's own text: escaped and cut, so it cannot drive the terminal or forge lines.
      for (const warning of client.warnings.slice(0, 10))
        this.options.hooks?.onWarning?.(`${job.name}: ${safeRemoteText(warning)}`);
      const versions = this.#select(
        job,
        available.map((v) => v.version),
      ).filter((version) => inShard(this.options.shard, `${job.name} ${version}`));
      // Another shard's share: nothing to do here.
      if (versions.length === 0) return;
      const run = await this.#versionRun(job, client);
      const failuresBefore = this.failures.length;
      const records = await mapConcurrent(versions, this.options.concurrency ?? 4, (version) => {
        const listed = available.find((v) => v.version === version)?.platforms ?? [];
        return this.#version(run, version, platforms.all ? listed : platforms.keys, listed);
      });
      // Records in the order the versions were selected, whatever order they finished in.
      for (const record of records) if (record) this.records.push(record);
      // A version without the platforms is skipped with a warning; none at all is "not found".
      if (
        !platforms.all &&
        records.every((record) => record === undefined) &&
        this.failures.length === failuresBefore
      ) {
        throw new TofuOciError(
          "not-found",
          `${job.name} has no ${platforms.keys.join(" or ")} package in ${versions.length === 1 ? `version ${versions[0]}` : `any of the versions ${versions.join(", ")}`}`,
          {
            hint: "Name platforms the provider publishes (its registry page lists them), or --platform all.",
          },
        );
      }
    } catch (error) {
      this.#failed(error, job.name);
    }
  }

  async #version(
    run: VersionRun,
    version: string,
    keys: readonly string[],
    listed: readonly string[],
  ): Promise<ProvidersRecord | undefined> {
    try {
      if (keys.length === 0)
        throw new TofuOciError("not-found", `${run.job.name} ${version}: the registry lists no platforms for it`, {
          hint: "Name the platforms with --platform OS_ARCH.",
        });
      const record = await mirrorVersion(run, version, keys, listed);
      if (record?.kind === "verification") this.failures.push(checkFailure(record));
      return record;
    } catch (error) {
      this.#failed(error, `${run.job.name} ${version}`);
      return undefined;
    }
  }

  /** The versions to mirror: the pinned one, those meeting the constraint, or the newest release. */
  #select(job: ProviderJob, available: string[]): string[] {
    if (job.pinned) {
      if (available.includes(job.pinned.version)) return [job.pinned.version];
      throw new TofuOciError(
        "not-found",
        `${job.name} ${job.pinned.version} (pinned by the lock file) is not in the registry`,
        { hint: "Run tofu init -upgrade to move the lock file to an available version." },
      );
    }
    const selected = selectVersions(available, job.constraint);
    // Newest first, so the newest match is the first.
    if (selected.length > 0) return this.options.latest ? selected.slice(0, 1) : selected;
    const wanted = job.constraint ? `matches "${job.constraint.text}"` : "is a release (not a prerelease)";
    throw new TofuOciError("not-found", `no version of ${job.name} ${wanted}`, {
      hint: `Available: ${available.slice(0, 20).join(", ") || "none"}.`,
    });
  }

  async #versionRun(job: ProviderJob, client: ProviderRegistryClient): Promise<VersionRun> {
    const env = this.ctx.env ?? {};
    const sums = new SignedSumsCache(this.http, {
      hostname: job.address.hostname,
      enforceValidation: env.OPENTOFU_ENFORCE_GPG_VALIDATION === "true",
      enforceExpiration: env.OPENTOFU_ENFORCE_GPG_EXPIRATION === "true",
      ...(this.ctx.now ? { now: this.ctx.now() } : {}),
    });
    const hooks = this.options.hooks ?? {};
    return {
      job,
      client,
      http: this.http,
      sums,
      target: await this.#target(job),
      workDir: await this.#scratch(),
      slots: this.#slots,
      sbom: this.options.sbom ?? false,
      dryRun: this.options.dryRun ?? false,
      concurrency: this.options.concurrency ?? 4,
      tool: this.options.tool ?? { name: "tofu-oci-mirror", version: "0.0.0" },
      hooks,
      ...(this.ctx.signal ? { signal: this.ctx.signal } : {}),
    };
  }

  /** One target per destination; registry targets share one client (connections, tokens). */
  #target(job: ProviderJob): Promise<Target> {
    const key = `${job.destination.kind}:${job.destination.registry}/${job.destination.repository}`;
    let target = this.#targets.get(key);
    if (!target) {
      target = this.#registryClient().then((client) => this.#open(job, client));
      this.#targets.set(key, target);
    }
    return target;
  }

  /** A dry run creates no layout: a missing one reads as an empty target. */
  async #open(job: ProviderJob, client: RegistryClient): Promise<Target> {
    if (!this.options.dryRun || job.destination.kind !== "layout")
      return openShared(job.destination, { client, create: true });
    try {
      return await openShared(job.destination, { client });
    } catch {
      const { MemoryTarget } = await import("@tofu-oci/core/memory");
      return new MemoryTarget();
    }
  }

  #registryClient(): Promise<RegistryClient> {
    this.#client ??= import("@tofu-oci/core/remote").then(
      ({ RegistryClient }) => new RegistryClient(this.options.clientOptions),
    );
    return this.#client;
  }

  #scratch(): Promise<string> {
    this.#workDir ??= mkdtemp(join(this.ctx.tempDir ?? tmpdir(), "tofu-oci-mirror-"));
    return this.#workDir;
  }

  #failed(error: unknown, what: string): void {
    if (!isTofuOciError(error)) throw error;
    this.failures.push(
      error.message.includes(what)
        ? error
        : new TofuOciError(error.code, `${what}: ${error.message}`, {
            cause: error,
            ...(error.hint ? { hint: error.hint } : {}),
          }),
    );
  }

  async close(): Promise<void> {
    await this.http.close();
    if (this.#client) await (await this.#client).close();
    // biome-ignore lint/nursery/noMisusedPromises: the promise's presence says a scratch directory was made.
    if (this.#workDir) await rm(await this.#workDir, { recursive: true, force: true });
  }
}

/** The error a failed version contributes to the exit code: verification failed (exit 1). */
function checkFailure(record: ProviderFailureRecord): TofuOciError {
  const failed = record.checks.filter((check) => !check.ok);
  return new TofuOciError(
    "verification-failed",
    `${record.provider} ${record.version}: ${failed.map((c) => `${c.id} check failed (${c.message})`).join("; ")}; nothing was pushed for this version`,
    {
      reference: record.reference,
    },
  );
}

export type { AttachedSbom, ProviderFailureRecord, ProviderMirrorRecord, ProviderPlanRecord, ProvidersRecord };
