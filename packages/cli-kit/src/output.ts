import {
  exitCodeOf,
  isTofuOciError,
  isUpstreamError,
  writeRecord,
  type AnyRecord,
  type ErrorRecord,
} from "@tofu-oci/core";
import type { CommandContext } from "./context.js";

/** Output format: `json` (NDJSON records) or `text` (a human summary). */
export type Format = "json" | "text";

/** The global output flags: `--format`, `--quiet`, `--verbose`. */
export interface OutputOptions {
  /** Default: json when stdout is not a terminal. */
  format?: Format | undefined;
  /** No progress or info lines on stderr; records and errors still print. Default false. */
  quiet?: boolean | undefined;
  /** Also print requests, retries and decisions on stderr. Default false. */
  verbose?: boolean | undefined;
  /** The name the command runs under; under the umbrella (`tofu-oci push`) texts name commands that way. */
  scriptName?: string | undefined;
}

/**
 * Under the umbrella (`tofu-oci pack`), texts name the commands as the user runs them:
 * `tofu-oci push` rather than the standalone `tofu-oci-push`. Unchanged for a standalone bin.
 */
export function asRunBy(scriptName: string | undefined, text: string): string {
  return scriptName?.includes(" ") ? text.replace(/(?<![\w@/.-])tofu-oci-([a-z]+)\b(?![.-])/g, "tofu-oci $1") : text;
}

/**
 * Where a command's results and messages go (docs/contract/design.md §2.2): records on stdout as NDJSON
 * or as text, logs and progress on stderr.
 */
export class Output {
  /** `json`: one record per line on stdout; `text`: lines for people. */
  readonly format: Format;
  /** Whether `--quiet` was given. */
  readonly quiet: boolean;
  /** Whether `--verbose` was given. */
  readonly verbose: boolean;
  readonly #ctx: CommandContext;
  readonly #scriptName: string | undefined;

  constructor(ctx: CommandContext, options: OutputOptions = {}) {
    this.#ctx = ctx;
    this.#scriptName = options.scriptName;
    this.format = options.format ?? (ctx.stdoutIsTTY ? "text" : "json");
    this.quiet = options.quiet ?? false;
    this.verbose = options.verbose ?? false;
  }

  /** Prints a result record: the JSON line, or the text `describe` makes of it. */
  record(record: object, describe?: (record: never) => string): void {
    if (this.format === "json" || !describe) writeRecord(this.#ctx.stdout, record);
    else this.#ctx.stdout.write(`${this.#asRunBy(describe(record as never))}\n`);
  }

  /**
   * Passes on a record the command read but does not consume (the pipeline's pass-through
   * rule): unchanged on stdout in JSON mode; in text mode stdout is for people, so only
   * --verbose mentions it.
   */
  forward(record: AnyRecord): void {
    if (this.format === "json") writeRecord(this.#ctx.stdout, record);
    else this.debug(`passed on a "${record.kind}" record`);
  }

  /** A progress or status line on stderr, unless --quiet. */
  info(message: string): void {
    if (!this.quiet) this.#ctx.stderr.write(`${this.#asRunBy(message)}\n`);
  }

  /** A `warning:` line on stderr, also with --quiet. */
  warn(message: string): void {
    this.#ctx.stderr.write(`${this.#paint("warning:", 33)} ${this.#asRunBy(message)}\n`);
  }

  /** Detail for --verbose only. */
  debug(message: string): void {
    if (this.verbose) this.#ctx.stderr.write(`${this.#paint("debug:", 2)} ${message}\n`);
  }

  /**
   * Reports a failure: one line (and a hint) on stderr, an error record on stdout in JSON mode.
   * Returns the exit code. Unexpected errors (bugs) also get their stack with --verbose; an
   * upstream command's failure (read from its error record) is not printed on stderr again.
   */
  error(error: unknown): number {
    const code = exitCodeOf(error);
    const known = isTofuOciError(error);
    const message = this.#asRunBy(
      known ? error.message : `unexpected error: ${(error as Error)?.message ?? String(error)}`,
    );
    const hint = known && error.hint ? this.#asRunBy(error.hint) : undefined;
    // The command before this one in the pipeline printed its own failure already.
    if (isUpstreamError(error)) this.debug(`the command before this one failed: ${message}`);
    else this.#printError(message, hint);
    if (!known && this.verbose && error instanceof Error && error.stack) this.#ctx.stderr.write(`${error.stack}\n`);
    if (this.format === "json") {
      const record: ErrorRecord = { kind: "error", code: known ? error.code : "internal", message };
      if (known && error.reference) record.reference = error.reference;
      if (hint) record.hint = hint;
      writeRecord(this.#ctx.stdout, record);
    }
    return code;
  }

  #asRunBy(text: string): string {
    return asRunBy(this.#scriptName, text);
  }

  #printError(message: string, hint: string | undefined): void {
    this.#ctx.stderr.write(`${this.#paint("error:", 31)} ${message}\n`);
    if (hint) this.#ctx.stderr.write(`  ${hint}\n`);
  }

  #paint(text: string, color: number): string {
    const enabled = this.#ctx.stderrIsTTY && !this.#ctx.env.NO_COLOR && this.#ctx.env.TERM !== "dumb";
    return enabled ? `\u001b[${color}m${text}\u001b[0m` : text;
  }
}
