/**
 * One PATH lookup for programs run by name (plugins, credential helpers): PATHEXT on Windows, `.cmd` files
 * through cmd.exe.
 * @module
 */
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import crossSpawn from "cross-spawn";
import type { spawn } from "node:child_process";

// One PATH lookup for everything tofu-oci runs by name: the umbrella's `tofu-oci-<cmd>` plugins and
// auth's `docker-credential-<name>` helpers. Windows finds programs by PATHEXT (.COM;.EXE;.BAT;.CMD,
// as cmd.exe and Go's exec.LookPath do), Unix by the execute bit.

/** Where and how to look: the environment (PATH, PATHEXT) and the platform. */
export interface PathLookup {
  /** The environment: `PATH`, and on Windows `PATHEXT`. */
  env: Readonly<Record<string, string | undefined>>;
  /** `process.platform`. Default: this process's. */
  platform?: NodeJS.Platform | string;
  /** Whether a candidate path is a program. Default: a regular file, executable on Unix. */
  isProgram?: (file: string, platform: string) => boolean;
}

const DEFAULT_PATHEXT = ".COM;.EXE;.BAT;.CMD";

/** The directories of PATH (`Path` on Windows, where variable names are case-insensitive), in order. */
export function pathDirectories(lookup: PathLookup): string[] {
  const windows = isWindows(lookup.platform);
  const value = lookup.env.PATH ?? (windows ? lookup.env.Path : undefined) ?? "";
  return value.split(windows ? ";" : ":").filter(Boolean);
}

/** The file name endings a program may have: PATHEXT's, lower-cased, on Windows; none elsewhere. */
export function programExtensions(lookup: PathLookup): string[] {
  if (!isWindows(lookup.platform)) return [""];
  return (lookup.env.PATHEXT || DEFAULT_PATHEXT)
    .split(";")
    .filter((extension) => extension.startsWith("."))
    .map((extension) => extension.toLowerCase());
}

/** The first program called `name` (plus a PATHEXT ending on Windows) in PATH's directories. */
export function findProgram(name: string, lookup: PathLookup): string | undefined {
  const join = isWindows(lookup.platform) ? path.win32.join : path.posix.join;
  const isProgram = lookup.isProgram ?? isProgramFile;
  for (const dir of pathDirectories(lookup)) {
    for (const extension of programExtensions(lookup)) {
      const candidate = join(dir, `${name}${extension}`);
      if (isProgram(candidate, lookup.platform ?? process.platform)) return candidate;
    }
  }
  return undefined;
}

/** `name` without the PATHEXT ending it has on Windows (`tofu-oci-x.cmd` -> `tofu-oci-x`). */
export function programName(fileName: string, lookup: PathLookup): string {
  const lower = fileName.toLowerCase();
  const extension = programExtensions(lookup).find((ext) => ext !== "" && lower.endsWith(ext));
  return extension ? fileName.slice(0, -extension.length) : fileName;
}

/** A regular file; on Unix also executable by this user. */
export function isProgramFile(file: string, platform: string = process.platform): boolean {
  try {
    if (!isWindows(platform)) accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Starts a program found by {@link findProgram}. Windows runs `.cmd` and `.bat` files only through
 * cmd.exe, and Node refuses to spawn them without a shell (EINVAL since the CVE-2024-27980 fix);
 * cross-spawn runs them through cmd.exe with each argument escaped, and is plain `spawn` elsewhere.
 */
export const spawnProgram = crossSpawn as typeof spawn;

function isWindows(platform: string | undefined): boolean {
  return (platform ?? process.platform) === "win32";
}
