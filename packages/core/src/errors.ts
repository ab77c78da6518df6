/**
 * Machine codes of every failure tofu-oci reports. Each maps to one exit code
 * (docs/contract/design.md §2.2) through {@link exitCodeOf}.
 */
export type ErrorCode =
  | "verification-failed"
  | "usage"
  | "not-found"
  | "unauthorized"
  | "network"
  | "invalid-input"
  | "cancelled"
  | "internal";

const EXIT_CODES: Record<ErrorCode, number> = {
  "verification-failed": 1,
  usage: 2,
  "not-found": 3,
  unauthorized: 4,
  network: 5,
  "invalid-input": 6,
  cancelled: 130,
  internal: 70,
};

/** The optional parts of a {@link TofuOciError}. */
export interface TofuOciErrorOptions {
  /** What the user can do about it; printed after the message. */
  hint?: string;
  /** The underlying error, kept for debugging; never printed to users. */
  cause?: unknown;
  /** The reference the failure is about, when there is one. */
  reference?: string;
}

/** The one error class every tofu-oci library throws. */
export class TofuOciError extends Error {
  /** `TofuOciError`, or the subclass's name. */
  override readonly name: string = "TofuOciError";
  /** What kind of failure; decides the exit code (see {@link exitCodeOf}). */
  readonly code: ErrorCode;
  /** What the user can do about it; printed after the message. */
  readonly hint: string | undefined;
  /** The reference the failure is about, when there is one. */
  readonly reference: string | undefined;

  constructor(code: ErrorCode, message: string, options: TofuOciErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.reference = options.reference;
  }
}

/** One entry of an OCI distribution error response body. */
export interface RegistryErrorDetail {
  /** The OCI distribution error code, e.g. `MANIFEST_INVALID` or `DENIED`. */
  code: string;
  /** The registry's message, if any (untrusted text). */
  message?: string;
  /** The registry's free-form detail, if any (untrusted). */
  detail?: unknown;
}

/** A registry answered with an unexpected HTTP status. */
export class RegistryError extends TofuOciError {
  /** Always `RegistryError`. */
  override readonly name = "RegistryError";
  /** The HTTP status of the response. */
  readonly status: number;
  /** The `errors` array of the response body, when it had one. */
  readonly errors: RegistryErrorDetail[];

  constructor(
    code: ErrorCode,
    message: string,
    status: number,
    errors: RegistryErrorDetail[] = [],
    options: TofuOciErrorOptions = {},
  ) {
    super(code, message, options);
    this.status = status;
    this.errors = errors;
  }
}

/** True when `value` is a {@link TofuOciError}. */
export function isTofuOciError(value: unknown): value is TofuOciError {
  return value instanceof TofuOciError;
}

/** True when `value` is a {@link RegistryError}. */
export function isRegistryError(value: unknown): value is RegistryError {
  return value instanceof RegistryError;
}

/** True when `value` is one of the machine codes of {@link ErrorCode} (e.g. read from an error record). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(EXIT_CODES, value);
}

/** The process exit code for an error: its code's, or 70 for a bug. */
export function exitCodeOf(error: unknown): number {
  return isTofuOciError(error) ? EXIT_CODES[error.code] : EXIT_CODES.internal;
}

/** Shorthand constructors for the common cases. */
export const usageError = (message: string, hint?: string) => new TofuOciError("usage", message, { hint });

/** An invalid-input error (exit code 6): a bad module, archive, lock file, record or config. */
export const invalidInput = (message: string, hint?: string, cause?: unknown) =>
  new TofuOciError("invalid-input", message, { hint, cause });
