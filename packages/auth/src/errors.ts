import { TofuOciError, type ErrorCode } from "@tofu-oci/core";

/**
 * Where credential resolution failed, as the conformance cases name it (spec §11):
 * CLI config decoding, building the config list, selecting a source, or running a helper.
 */
export type ResolutionStage = "config" | "policy" | "select" | "credentials";

const CODES: Record<ResolutionStage, ErrorCode> = {
  config: "invalid-input",
  policy: "invalid-input",
  select: "invalid-input",
  credentials: "unauthorized",
};

/** Credentials for a repository cannot be determined the way OpenTofu would. */
export class CredentialsError extends TofuOciError {
  /** Always `CredentialsError`. */
  override readonly name = "CredentialsError";
  /**
   * Where resolution failed: loading the CLI config, building the policy, selecting a source (all exit 6), or getting
   * credentials (exit 5).
   */
  readonly stage: ResolutionStage;

  constructor(stage: ResolutionStage, message: string, hint: string, cause?: unknown) {
    super(CODES[stage], message, { hint, cause });
    this.stage = stage;
  }
}

/** True when `value` is a {@link CredentialsError}. */
export function isCredentialsError(value: unknown): value is CredentialsError {
  return value instanceof CredentialsError;
}
