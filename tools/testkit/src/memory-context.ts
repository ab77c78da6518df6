import { PassThrough, Readable } from "node:stream";

/** What {@link memoryContext} can set; the rest is fixed (no TTYs, the epoch as the time). */
export interface MemoryContextOptions {
  /** The text on stdin. Default: empty. */
  stdin?: string;
  env?: Record<string, string>;
  stdoutIsTTY?: boolean;
  /** Pretend stdin is a terminal. Default false. */
  stdinIsTTY?: boolean;
  /** Default `/`. */
  cwd?: string;
}

/**
 * A command context (cli-kit's `CommandContext`) with in-memory streams, for running commands
 * in-process in tests: `runCli(spec, args, memoryContext().ctx)`. `stdout()` and `stderr()`
 * return what was written so far.
 */
export function memoryContext(options: MemoryContextOptions = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const signal: AbortSignal = new AbortController().signal;
  const ctx = {
    stdin: Readable.from([options.stdin ?? ""]),
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd ?? "/",
    stdinIsTTY: options.stdinIsTTY ?? false,
    stdoutIsTTY: options.stdoutIsTTY ?? false,
    stderrIsTTY: false,
    signal,
    now: () => new Date(0),
  };
  return { ctx, stdout: () => out, stderr: () => err };
}
