import { spawn } from "node:child_process";
import { accessSync, constants, readdirSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";

export const PLUGIN_PREFIX = "tofu-oci-";

/** The first executable `tofu-oci-<name>` on PATH, git-style. */
export function findPlugin(name: string, path: string | undefined, platform = process.platform): string | undefined {
  for (const dir of pathDirs(path)) {
    for (const extension of extensionsOf(platform)) {
      const candidate = join(dir, `${PLUGIN_PREFIX}${name}${extension}`);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * Every `tofu-oci-<name>` executable on PATH by name (the first one found wins, as when it
 * runs), leaving out the names in `except` (the built-in commands, whose own bins are
 * `tofu-oci-pack` and so on): what `tofu-oci --help` and completion offer as plugins.
 */
export function listPlugins(path: string | undefined, except: readonly string[], platform = process.platform): Map<string, string> {
  const plugins = new Map<string, string>();
  for (const dir of pathDirs(path)) {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const entry of entries.sort()) {
      const name = pluginName(entry, platform);
      if (!name || except.includes(name) || plugins.has(name)) continue;
      if (isExecutable(join(dir, entry))) plugins.set(name, join(dir, entry));
    }
  }
  return plugins;
}

/** `tofu-oci-foo` (or `tofu-oci-foo.exe` on Windows) -> `foo`. */
function pluginName(entry: string, platform: NodeJS.Platform): string | undefined {
  if (!entry.startsWith(PLUGIN_PREFIX)) return undefined;
  const extension = extensionsOf(platform).find((ext) => ext !== "" && entry.toLowerCase().endsWith(ext));
  const name = entry.slice(PLUGIN_PREFIX.length, extension ? -extension.length : undefined);
  return /^[a-z0-9][a-z0-9-]*$/i.test(name) ? name : undefined;
}

function pathDirs(path: string | undefined): string[] {
  return (path ?? "").split(delimiter).filter(Boolean);
}

function extensionsOf(platform: NodeJS.Platform): string[] {
  return platform === "win32" ? ["", ".cmd", ".exe", ".bat"] : [""];
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Runs a plugin with the remaining arguments and this process's stdio; resolves to its exit code. */
export function runPlugin(executable: string, args: string[], env: Record<string, string | undefined>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, { stdio: "inherit", env });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 9;
}
