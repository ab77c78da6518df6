import type { PlatformPath } from "node:path";

/** An operating system name as Go's `runtime.GOOS` spells it: linux, darwin, windows, freebsd... */
export type GoOs = string;

/** What a credential helper process did: its exit code and standard output. */
export interface HelperOutput {
  /** The helper's exit code; non-zero means it failed or has no entry. */
  exitCode: number;
  /** The helper's standard output (JSON for `get`). */
  stdout: string;
}

/**
 * Runs `docker-credential-<name> <action>` with `input` on stdin (docs/contract/auth/spec.md §8).
 * Rejects with {@link HelperNotFoundError} when the executable does not exist.
 */
export type HelperRunner = (name: string, action: "get" | "store" | "erase", input: string) => Promise<HelperOutput>;

/** The credential helper executable is not on PATH. */
export class HelperNotFoundError extends Error {
  /** Always `HelperNotFoundError`. */
  override readonly name = "HelperNotFoundError";
  /** The executable looked for, `docker-credential-<helper>`. */
  readonly executable: string;

  constructor(executable: string) {
    super(`exec: "${executable}": executable file not found in $PATH`);
    this.executable = executable;
  }
}

/** What a path is, or undefined when it cannot be stat'ed. */
export type PathKind = "file" | "directory" | "other" | undefined;

/**
 * Every side effect credential discovery has. {@link nodeAuthIo} gives the real ones;
 * {@link virtualAuthIo} a virtual file system for tests and conformance cases.
 */
export interface AuthIo {
  /** Environment variables (HOME, XDG_*, TF_CLI_CONFIG_FILE, APPDATA, USERPROFILE, PATH...). */
  env: Readonly<Record<string, string | undefined>>;
  /** The GOOS OpenTofu would report; selects the search rules of docs/contract/auth/spec.md §2 and §4. */
  os: GoOs;
  /** The user database's home directory, used only when HOME/USERPROFILE is empty. */
  userHomeDir: () => string | undefined;
  /** Working directory that relative paths resolve against. */
  cwd: string;
  /** Path rules: `path.win32` on Windows, `path.posix` otherwise (conformance cases use posix for all). */
  path: PlatformPath;
  /** Reads a whole file; rejects with an error whose `code` is ENOENT, EACCES, EISDIR, ENOTDIR... */
  readFile(path: string): Promise<Uint8Array>;
  /** The names in a directory. */
  readDir(path: string): Promise<string[]>;
  /** What is at `path`: a file, a directory, something else, or undefined when nothing. */
  stat(path: string): Promise<PathKind>;
  /** Runs `docker-credential-<name> <action>` with `input` on stdin. */
  runHelper: HelperRunner;
}

/** Go's name for a Node.js platform (`win32` is `windows`; the others match). */
export function goOs(platform: string): GoOs {
  return platform === "win32" ? "windows" : platform;
}

/** The error code of a failed file operation, e.g. "ENOENT". */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}
