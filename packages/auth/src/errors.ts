import { TofuOciError, type ErrorCode } from "@tofu-oci/core";
import type { CredentialsSource } from "./policy/credentials-source.js";

/**
 * Where credential resolution failed, as the conformance cases name it (docs/contract/auth/spec.md §11):
 * CLI config decoding, building the config list, selecting a source, or running a helper.
 */
export type ResolutionStage = "config" | "policy" | "select" | "credentials";

const CODES: Record<ResolutionStage, ErrorCode> = {
  config: "invalid-input",
  policy: "invalid-input",
  select: "invalid-input",
  credentials: "unauthorized",
};

/** The source OpenTofu had selected when its credentials could not be produced (a failing helper). */
export interface SelectedSource {
  /** The config location, e.g. `explicit oci_credentials "example.com" block`. */
  location: string;
  /** Which entry of that config, e.g. `auths "example.com"` or `credsStore`. */
  entry: string;
  /** `static-basic`, `static-oauth` or `helper`. */
  kind: CredentialsSource["kind"];
  /** `global` | `domain` | `repository:N`. */
  specificity: string;
  /** The credential helper, for a `helper` source. */
  helper?: string;
  /** What the helper was asked for: `https://` + the registry host. */
  serverURL?: string;
}

/** Credentials for a repository cannot be determined the way OpenTofu would. */
export class CredentialsError extends TofuOciError {
  /** Always `CredentialsError`. */
  override readonly name = "CredentialsError";
  /**
   * Where resolution failed: loading the CLI config, building the policy, selecting a source (`invalid-input`,
   * exit 6), or getting credentials (`unauthorized`, exit 4).
   */
  readonly stage: ResolutionStage;
  /**
   * Stage "credentials": the source selected before its helper ran. OpenTofu selects without
   * running helpers (ociauthconfig/credentials_configs.go:46-69) and runs the selected one only
   * when the registry asks (cmd/tofu/oci_distribution.go:136-160), so the selection stands.
   */
  readonly selected: SelectedSource | undefined;

  constructor(stage: ResolutionStage, message: string, hint: string, cause?: unknown, selected?: SelectedSource) {
    super(CODES[stage], message, { hint, cause });
    this.stage = stage;
    this.selected = selected;
  }
}

/** True when `value` is a {@link CredentialsError}. */
export function isCredentialsError(value: unknown): value is CredentialsError {
  return value instanceof CredentialsError;
}
