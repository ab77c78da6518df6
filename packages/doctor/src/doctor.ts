import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { commandCredentials, type AuthEffects } from "@tofu-oci/auth";
import { MediaType, formatLocator } from "@tofu-oci/core";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";
import { explainCredentials, type CredentialsOrigin } from "./credentials.js";
import { failFrom, skip, warnFrom } from "./probe.js";
import { probeAuthentication } from "./probes/authentication.js";
import { probeDelete } from "./probes/cleanup.js";
import { probeConnection } from "./probes/connection.js";
import { probeModule, probeProvider, type Installed } from "./probes/install.js";
import { probeMediaTypes } from "./probes/media-types.js";
import { probeMount } from "./probes/mount.js";
import { probeRateLimit } from "./probes/rate-limit.js";
import { probeReferrers, type ReferrersSubject } from "./probes/referrers.js";
import { probeArtifact, probeRead } from "./probes/repository.js";
import { probeChunked, probeMonolithic, probePush, probeStreamed, type UploadKnowledge } from "./probes/uploads.js";
import type { CredentialsInfo, DoctorRecord, Probe, ProbeId } from "./records.js";
import { Report, verdictOf } from "./report.js";
import { makeScratchArtifacts, type ScratchArtifacts } from "./scratch-artifacts.js";
import { DoctorSession } from "./session.js";
import { parseTarget } from "./target.js";

/** What to probe, and how to reach it. Only `reference` is required. */
export interface DoctorOptions {
  /** REF: `HOST`, `HOST/REPO[:TAG|@DIGEST]` or `oci://HOST/REPO[//SUBDIR][?tag=|?digest=]`; a tag or digest is verified too. */
  reference: string;
  /** Where the scratch module and provider go, a repository path on REF's registry. Default `REPO/tofu-oci-doctor`. */
  scratchRepository?: string;
  /** Skip every write: no scratch pushes, no upload, mount or delete probes. Default false. */
  readOnly?: boolean;
  /**
   * Transport and credentials (core's registry client options). Default: HTTPS, with the
   * credentials OpenTofu would use (`@tofu-oci/auth`).
   */
  clientOptions?: RegistryClientOptions;
  /**
   * Where `clientOptions.credentials` come from, for the report. Default: given (`flags`) when
   * `clientOptions.credentials` is set, else OpenTofu's search.
   */
  credentials?: CredentialsOrigin;
  /** Told about each probe as it finishes (progress). */
  onProbe?: (probe: Probe) => void;
}

/** The side effects of a run: auth's (environment, directory, signal) and where temp files go. */
export interface DoctorEffects extends AuthEffects {
  /** Where the scratch artifacts are made. Default: the OS temp directory. */
  tmpdir?: string;
}

/**
 * `tofu-oci doctor REF`: probes a registry and repository (connection and TLS, authentication and
 * where the credentials come from, read and push permission, upload modes and chunk limits,
 * cross-repository mounts, the referrers API, DELETE, OpenTofu's media types and OCI 1.1 fields,
 * rate limits) and proves that OpenTofu can install from it by pushing a scratch module and
 * provider, verifying them by OpenTofu's rules and deleting them again. Returns one record;
 * `ok` is true only when OpenTofu can install from here (with `readOnly`: read from here).
 * @throws TofuOciError "usage" (exit 2) for a malformed REF or scratch repository, before any
 *   request; CredentialsError (exit 6) for a CLI configuration `tofu init` would refuse.
 */
export async function doctor(options: DoctorOptions, effects: DoctorEffects): Promise<DoctorRecord> {
  const target = parseTarget(options.reference, options.scratchRepository);
  const readOnly = options.readOnly ?? false;
  const origin = options.credentials ?? { from: options.clientOptions?.credentials ? "flags" : "opentofu" };
  const credentials = await explainCredentials(target, origin, effects);
  const clientOptions = await withCredentials(options.clientOptions ?? {}, origin, effects);
  const run = new DoctorRun(
    new DoctorSession(target, clientOptions, effects.signal),
    new Report(options.onProbe),
    effects,
  );
  let left: string[] = [];
  try {
    left = readOnly ? await run.readOnly(credentials) : await run.readWrite(credentials);
  } finally {
    await run.close();
  }
  const probes = run.report.list(readOnly ? "--read-only: nothing is written" : "not run");
  const artifact = target.artifact ? formatLocator(target.artifact) : undefined;
  const outcome = verdictOf(probes, {
    repository: target.repository ? `${target.registry}/${target.repository}` : "",
    ...(readOnly ? {} : { scratch: target.scratchRepository }),
    ...(artifact ? { artifact } : {}),
  });
  return {
    kind: "doctor",
    ok: outcome.ok,
    verdict: outcome.verdict,
    reference: target.reference,
    registry: target.registry,
    repository: target.repository,
    ...(readOnly ? {} : { scratchRepository: target.scratchRepository }),
    readOnly,
    credentials,
    probes,
    left,
    ...(outcome.failure ? { failure: outcome.failure } : {}),
  };
}

/** The probes whose failure means OpenTofu cannot install from here; the others only inform. */
const INSTALL_NEEDS: ReadonlySet<ProbeId> = new Set([
  "connection",
  "authentication",
  "read",
  "artifact",
  "push",
  "upload-monolithic",
  "module",
  "provider",
  "media-types",
]);

/** The client options with OpenTofu's credentials when none are given. */
async function withCredentials(
  options: RegistryClientOptions,
  origin: CredentialsOrigin,
  effects: AuthEffects,
): Promise<RegistryClientOptions> {
  if (options.credentials) return options;
  return { ...options, credentials: await commandCredentials(effects)(origin.registryConfig) };
}

/** One run's probes in order; a failure that leaves nothing to probe stops the rest. */
class DoctorRun {
  readonly session: DoctorSession;
  readonly report: Report;
  readonly #effects: DoctorEffects;
  #artifacts: ScratchArtifacts | undefined;

  constructor(session: DoctorSession, report: Report, effects: DoctorEffects) {
    this.session = session;
    this.report = report;
    this.#effects = effects;
  }

  /** Connection, authentication, read, REF's artifact, its referrers and the rate limits. */
  async readOnly(credentials: CredentialsInfo): Promise<string[]> {
    if (!(await this.#reach(credentials))) return [];
    await this.#probe("read", () => probeRead(this.session, true));
    const artifact = await this.#artifact();
    const subject: ReferrersSubject | undefined = artifact
      ? {
          repository: this.session.target.repository,
          descriptor: { mediaType: MediaType.imageManifest, digest: artifact, size: 0 },
        }
      : undefined;
    await this.#probe("referrers", async () => (await probeReferrers(this.session, subject, undefined)).probe);
    this.report.add(probeRateLimit(this.session));
    return [];
  }

  /** Everything: the read-only probes, then the writes, the proof and the clean-up. */
  async readWrite(credentials: CredentialsInfo): Promise<string[]> {
    if (!(await this.#reach(credentials))) return [];
    const { session } = this;
    await this.#probe("read", () => probeRead(session, false));
    await this.#artifact();
    const knowledge: UploadKnowledge = {};
    if ((await this.#probe("push", () => probePush(session, knowledge))).status === "fail") {
      this.report.stop("needs push permission on the scratch repository");
      return [];
    }
    await this.#probe("upload-monolithic", () => probeMonolithic(session));
    await this.#probe("upload-streamed", () => probeStreamed(session, knowledge));
    await this.#probe("upload-chunked", () => probeChunked(session, knowledge));
    const artifacts = await makeScratchArtifacts(this.#effects.tmpdir ?? tmpdir());
    this.#artifacts = artifacts;
    const module = await this.#install("module", () => probeModule(session, artifacts, this.#effects.cwd));
    const provider = await this.#install("provider", () => probeProvider(session, artifacts, this.#effects.cwd));
    const zip = module.pushed
      ? { mediaType: MediaType.zip, digest: artifacts.module.digest, size: artifacts.module.size }
      : undefined;
    await this.#probe("mount", () => probeMount(session, zip));
    const subject: ReferrersSubject | undefined = module.pushed
      ? {
          repository: session.target.scratchRepository,
          descriptor: {
            mediaType: MediaType.imageManifest,
            digest: module.pushed.digest,
            size: Number(module.pushed.size),
          },
        }
      : undefined;
    let subjectAccepted: boolean | null = null;
    await this.#probe("referrers", async () => {
      const found = await probeReferrers(session, subject, artifacts.sbom);
      subjectAccepted = found.subjectAccepted;
      return found.probe;
    });
    this.report.add(probeMediaTypes(module, provider, subjectAccepted));
    let left: string[] = [];
    await this.#probe("delete", async () => {
      const deleted = await probeDelete(session);
      left = deleted.left;
      return deleted.probe;
    });
    this.report.add(probeRateLimit(session));
    return left;
  }

  async close(): Promise<void> {
    await this.session.close();
    if (this.#artifacts) await rm(this.#artifacts.dir, { recursive: true, force: true });
  }

  /** Connection and authentication; false (and the rest stopped) when either failed. */
  async #reach(credentials: CredentialsInfo): Promise<boolean> {
    const { probe, ping } = await probeConnection(this.session);
    this.report.add(probe);
    if (!ping) {
      this.report.stop("needs a connection to the registry");
      return false;
    }
    const auth = await this.#probe("authentication", () => probeAuthentication(this.session, ping, credentials));
    if (auth.status === "fail") this.report.stop("needs credentials the registry accepts");
    return auth.status !== "fail";
  }

  /** REF's artifact verified; its digest when it installs. */
  async #artifact(): Promise<string | undefined> {
    let digest: string | undefined;
    await this.#probe("artifact", async () => {
      const verified = await probeArtifact(this.session, this.#effects.cwd);
      digest = verified.digest;
      return verified.probe;
    });
    return digest;
  }

  /** Pushes and verifies a scratch artifact as the probe `id`. */
  async #install(id: "module" | "provider", install: () => Promise<Installed>): Promise<Installed> {
    let installed: Installed = { probe: skip(id, "not run"), refusedTypes: [] };
    const probe = await this.#probe(id, async () => {
      installed = await install();
      return installed.probe;
    });
    return { ...installed, probe };
  }

  /**
   * Runs a probe; an unexpected error becomes its failure, or a warning for a probe installing
   * does not depend on (cancellation still stops the run).
   */
  async #probe(id: ProbeId, probe: () => Promise<Probe>): Promise<Probe> {
    this.session.signal?.throwIfAborted();
    try {
      const found = await probe();
      // A probe reports what failed; a cancelled run stops, whatever it reported.
      this.session.signal?.throwIfAborted();
      return this.report.add(found);
    } catch (error) {
      if (this.session.signal?.aborted) throw error;
      const what = `the ${id} probe failed`;
      return this.report.add(INSTALL_NEEDS.has(id) ? failFrom(id, what, error) : warnFrom(id, what, error));
    }
  }
}
