import type { Readable, Writable } from "node:stream";

/**
 * Every side effect a command may have. Commands read nothing from `process`; the bin passes
 * {@link processContext} and tests pass their own.
 */
export interface CommandContext {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
  cwd: string;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
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
