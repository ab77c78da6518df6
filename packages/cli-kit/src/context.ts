import type { Readable, Writable } from "node:stream";

/**
 * Every side effect a command may have. Commands read nothing from `process`; the bin passes
 * {@link processContext} and tests pass their own.
 */
export interface CommandContext {
  /** Where records and `--password-stdin` are read. */
  stdin: Readable;
  /** Where records go: JSON lines, or text for people. */
  stdout: Writable;
  /** Where progress, warnings and errors go. */
  stderr: Writable;
  /** The environment variables the command sees (config, credentials, `NO_COLOR`). */
  env: Record<string, string | undefined>;
  /** The directory relative paths resolve against. */
  cwd: string;
  /** Whether stdin is a terminal (then no records are read from it, and passwords are prompted for). */
  stdinIsTTY: boolean;
  /** Whether stdout is a terminal (then the default format is text). */
  stdoutIsTTY: boolean;
  /** Whether stderr is a terminal (then progress bars and colours are drawn). */
  stderrIsTTY: boolean;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** The clock. Default: the system clock. */
  now: () => Date;
}

/** The context of the running process. */
export function processContext(signal: AbortSignal): CommandContext {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    signal,
    now: () => new Date(),
  };
}
