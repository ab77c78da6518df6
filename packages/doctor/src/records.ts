import type { ErrorCode } from "@tofu-oci/core";

/** The probes of a doctor run, in the order they run and are listed. */
export const PROBE_IDS = [
  "connection",
  "authentication",
  "read",
  "artifact",
  "push",
  "upload-monolithic",
  "upload-streamed",
  "upload-chunked",
  "module",
  "provider",
  "media-types",
  "mount",
  "referrers",
  "delete",
  "rate-limit",
] as const;

/** One probe's name (see the package README for what each checks). */
export type ProbeId = (typeof PROBE_IDS)[number];

/**
 * `ok`: works; `warn`: missing or limited, and tofu-oci copes (or the user should know);
 * `fail`: OpenTofu cannot install from here because of it; `skip`: not run, and why.
 */
export type ProbeStatus = "ok" | "warn" | "fail" | "skip";

/** Machine-readable findings of a probe: numbers, flags, names and lists of them. */
export type Facts = Record<string, string | number | boolean | string[] | null>;

/** What one probe found. */
export interface Probe {
  /** Which probe this is (see {@link PROBE_IDS}). */
  id: ProbeId;
  /** The outcome; a `fail` of a probe OpenTofu's installs need (connection to media-types) fails the run. */
  status: ProbeStatus;
  /** One line: what was tried and what happened. */
  summary: string;
  /** The registry's own words when it refused something (error codes, messages, details). */
  words?: string;
  /** What to do about a warning or failure. */
  hint?: string;
  /** For a failure: the error code (and so the exit code, docs/contract/design.md §2.2) it stands for. */
  code?: ErrorCode;
  /** The numbers and names behind the summary, for scripts (e.g. sizes, limits, headers seen). */
  facts?: Facts;
}

/** Where the credentials came from, without secrets (as `tofu-oci auth resolve` explains it). */
export type CredentialsInfo =
  | { from: "flags"; username: string }
  | {
      from: "opentofu";
      /** The config location OpenTofu picks for the repository, or null: anonymous. */
      source: string | null;
      /** The entry within it, e.g. `auths "example.com"`; null when anonymous. */
      entry: string | null;
      /** `static-basic`, `static-oauth` or `helper`; null when anonymous. */
      sourceKind: string | null;
      /** How well the entry matches: `none`, `global`, `domain` or `repository:N`. */
      specificity: string;
      /** The credential helper it runs, for a `helper` source. */
      helper?: string;
      /** The user name found; never the secret. */
      username?: string;
      /** True when requests go without credentials. */
      anonymous: boolean;
      /** `auth resolve`'s one-line answer: which entry of which file, and how specific. */
      explanation: string;
      /** Rules OpenTofu applies here that would likely surprise the user. */
      warnings: string[];
    };

/** The probe that decided a failed run: its error code, message and what to do. */
export interface DoctorFailure {
  /** The probe whose failure decided the run (one that installs need). */
  probe: ProbeId;
  /** The error code of the failure; it decides the exit code (docs/contract/design.md §2.2). */
  code: ErrorCode;
  /** What failed, in the registry's terms where it gave any. */
  message: string;
  /** What to do about it. */
  hint?: string;
}

/** What `tofu-oci doctor` prints: one record per run. */
export interface DoctorRecord {
  /** Always `doctor`. */
  kind: "doctor";
  /** True only when OpenTofu can install from the repository (or, with `readOnly`, read from it). */
  ok: boolean;
  /** The answer in one sentence. */
  verdict: string;
  /** REF as given. */
  reference: string;
  /** REF's registry host (with port). */
  registry: string;
  /** REF's repository; "" when REF names only a registry. */
  repository: string;
  /** Where the scratch module and provider went; absent with `readOnly`. */
  scratchRepository?: string;
  /** True when only reading probes ran (nothing pushed or deleted). */
  readOnly: boolean;
  /** Where the credentials came from, without secrets. */
  credentials: CredentialsInfo;
  /** Every probe, in the order of {@link PROBE_IDS}; a probe not run has status `skip` and says why. */
  probes: Probe[];
  /** What could not be deleted again, e.g. `HOST/REPO:TAG (sha256:...)`. */
  left: string[];
  /** Set when `ok` is false: the probe that decided it. */
  failure?: DoctorFailure;
}
