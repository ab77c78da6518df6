import { PassThrough, Readable } from "node:stream";
import type { CommandContext } from "./context.js";

/** A context with in-memory streams, for running commands in tests. */
export function memoryContext(options: { stdin?: string; env?: Record<string, string>; stdoutIsTTY?: boolean; cwd?: string } = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const ctx: CommandContext = {
    stdin: Readable.from([options.stdin ?? ""]),
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd ?? "/",
    stdinIsTTY: false,
    stdoutIsTTY: options.stdoutIsTTY ?? false,
    stderrIsTTY: false,
    signal: new AbortController().signal,
    now: () => new Date(0),
  };
  return { ctx, stdout: () => out, stderr: () => err };
}
