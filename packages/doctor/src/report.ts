import { TofuOciError } from "@tofu-oci/core";
import { skip } from "./probe.js";
import { PROBE_IDS, type DoctorFailure, type DoctorRecord, type Probe, type ProbeId } from "./records.js";

/** The probes of one run as they come in, and why the rest did not run. */
export class Report {
  readonly #probes = new Map<ProbeId, Probe>();
  readonly #onProbe: ((probe: Probe) => void) | undefined;
  #stopped: string | undefined;

  constructor(onProbe?: (probe: Probe) => void) {
    this.#onProbe = onProbe;
  }

  /** Records a probe's result and tells the listener. */
  add(probe: Probe): Probe {
    this.#probes.set(probe.id, probe);
    this.#onProbe?.(probe);
    return probe;
  }

  /** Whether a probe failed. */
  failed(id: ProbeId): boolean {
    return this.#probes.get(id)?.status === "fail";
  }

  /** No further probe runs; they are listed as skipped for this reason. */
  stop(reason: string): void {
    this.#stopped = reason;
  }

  /** Every probe in run order; the ones that did not run are skipped with the stop reason or `otherwise`. */
  list(otherwise: string): Probe[] {
    return PROBE_IDS.map((id) => this.#probes.get(id) ?? skip(id, this.#stopped ?? otherwise));
  }
}

/** Whether OpenTofu can install from here, in a sentence, and the failure that decides it when not. */
export function verdictOf(
  probes: Probe[],
  names: { repository: string; scratch?: string; artifact?: string },
): Pick<DoctorRecord, "ok" | "verdict"> & { failure?: DoctorFailure } {
  const failed = probes.find((probe) => probe.status === "fail");
  const where = names.repository || "this registry";
  if (failed) {
    const words = failed.words && !failed.summary.includes(failed.words) ? ` (${failed.words})` : "";
    const failure: DoctorFailure = {
      probe: failed.id,
      code: failed.code ?? "verification-failed",
      message: `${failed.id}: ${failed.summary}${words}`,
    };
    if (failed.hint) failure.hint = failed.hint;
    const verdict = names.scratch
      ? `OpenTofu cannot install modules and providers from ${where}: ${failure.message}`
      : `OpenTofu cannot read from ${where}: ${failure.message}`;
    return { ok: false, verdict, failure };
  }
  if (names.scratch)
    return {
      ok: true,
      verdict: `OpenTofu can install modules and providers from here: a scratch module and provider pushed to ${names.scratch} install by OpenTofu's rules`,
    };
  if (!names.repository)
    return {
      ok: true,
      verdict:
        "the registry answers and takes the credentials (read-only, and REF names no repository: nothing was read)",
    };
  const proven = names.artifact
    ? `OpenTofu can install ${names.artifact} from here`
    : `OpenTofu can read from ${where}`;
  return {
    ok: true,
    verdict: `${proven} (read-only: nothing was pushed, so installing what gets pushed here is not proven)`,
  };
}

/**
 * The error a failed run exits with: the deciding probe's code (1 a failed check, 3 not found,
 * 4 authentication, 5 network), its message and what to do; undefined when the run is ok.
 */
export function doctorFailure(record: DoctorRecord): TofuOciError | undefined {
  if (!record.failure) return undefined;
  const { code, message, hint } = record.failure;
  return new TofuOciError(
    code,
    `OpenTofu cannot ${record.readOnly ? "read from" : "install from"} ${record.registry}${record.repository ? `/${record.repository}` : ""}: ${message}`,
    {
      reference: record.reference,
      ...(hint ? { hint } : {}),
    },
  );
}
