import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Writable } from "node:stream";
import { findProgram, spawnProgram } from "@tofu-oci/core/executables";
import { errorCode, goOs, HelperNotFoundError, type AuthIo, type HelperOutput, type PathKind } from "./auth-io.js";

/** The real machine `nodeAuthIo` reads: environment, platform, home and working directory. */
export interface NodeAuthIoOptions {
  /** The process environment (HOME, XDG_*, TF_CLI_CONFIG_FILE, PATH...). */
  env: Readonly<Record<string, string | undefined>>;
  /** `process.platform`. */
  platform: string;
  /** `os.homedir`, used only when HOME (USERPROFILE on Windows) is empty. Default: none. */
  homedir?: () => string | undefined;
  /** The working directory relative paths and helper names resolve against. */
  cwd: string;
  /** Where helpers' stderr goes (OpenTofu passes it to the terminal). Default: discarded. */
  stderr?: Writable;
}

/** The real file system and credential helper processes, with the caller's environment. */
export function nodeAuthIo(options: NodeAuthIoOptions): AuthIo {
  const os = goOs(options.platform);
  return {
    env: options.env,
    os,
    userHomeDir: options.homedir ?? (() => undefined),
    cwd: options.cwd,
    path: os === "windows" ? path.win32 : path.posix,
    readFile: (file) => readFile(file),
    readDir: (dir) => readdir(dir),
    stat: statKind,
    runHelper: (name, action, input) => runHelperProcess(options, os, name, action, input),
  };
}

async function statKind(file: string): Promise<PathKind> {
  try {
    const info = await stat(file);
    return info.isDirectory() ? "directory" : info.isFile() ? "file" : "other";
  } catch {
    return undefined;
  }
}

async function runHelperProcess(
  options: NodeAuthIoOptions,
  os: string,
  name: string,
  action: string,
  input: string,
): Promise<HelperOutput> {
  const executable = `docker-credential-${name}`;
  // Windows finds `docker-credential-x` by PATHEXT (.exe, .cmd...), which spawn does not; the
  // shared lookup does, and spawnProgram runs a .cmd helper through cmd.exe.
  const command =
    os === "windows" ? (findProgram(executable, { env: options.env, platform: "win32" }) ?? executable) : executable;
  return new Promise((resolve, reject) => {
    const child = spawnProgram(command, [action], {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => options.stderr?.write(chunk));
    child.on("error", (error) => reject(errorCode(error) === "ENOENT" ? new HelperNotFoundError(executable) : error));
    child.on("close", (code, signal) => resolve({ exitCode: code ?? (signal ? 128 : 1), stdout }));
    child.stdin.on("error", () => {});
    // The server URL goes in without a trailing newline, as ORAS writes it.
    child.stdin.end(input);
  });
}
