import { readdirSync } from "node:fs";
import { posix, win32 } from "node:path";
import { findProgram, pathDirectories, programName, spawnProgram, type PathLookup } from "@tofu-oci/core/executables";

export const PLUGIN_PREFIX = "tofu-oci-";

/** The first executable `tofu-oci-<name>` on PATH, git-style (PATHEXT endings on Windows). */
export function findPlugin(
  name: string,
  path: string | undefined,
  platform: string = process.platform,
): string | undefined {
  return findProgram(`${PLUGIN_PREFIX}${name}`, lookupOf(path, platform));
}

/**
 * Every `tofu-oci-<name>` executable on PATH by name (the first one found wins, as when it
 * runs), leaving out the names in `except` (the built-in commands, whose own bins are
 * `tofu-oci-pack` and so on): what `tofu-oci --help` and completion offer as plugins.
 */
export function listPlugins(
  path: string | undefined,
  except: readonly string[],
  platform: string = process.platform,
): Map<string, string> {
  const lookup = lookupOf(path, platform);
  const join = platform === "win32" ? win32.join : posix.join;
  const plugins = new Map<string, string>();
  for (const dir of pathDirectories(lookup)) {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const entry of entries.sort()) {
      const name = pluginName(entry, lookup);
      if (!name || except.includes(name) || plugins.has(name)) continue;
      const file = join(dir, entry);
      // On Windows only PATHEXT endings run; elsewhere the name must be exact.
      if (findProgram(`${PLUGIN_PREFIX}${name}`, { ...lookup, env: { ...lookup.env, PATH: dir } }) === file)
        plugins.set(name, file);
    }
  }
  return plugins;
}

function lookupOf(path: string | undefined, platform: string): PathLookup {
  // PATH is the only variable read here: PATHEXT comes from this process, as the spawn runs here.
  return { env: { PATH: path, PATHEXT: process.env.PATHEXT }, platform };
}

/** `tofu-oci-foo` (or `tofu-oci-foo.cmd` on Windows) -> `foo`. */
function pluginName(entry: string, lookup: PathLookup): string | undefined {
  if (!entry.startsWith(PLUGIN_PREFIX)) return undefined;
  const name = programName(entry, lookup).slice(PLUGIN_PREFIX.length);
  return /^[a-z0-9][a-z0-9-]*$/i.test(name) ? name : undefined;
}

/** Runs a plugin with the remaining arguments and this process's stdio; resolves to its exit code. */
export function runPlugin(
  executable: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawnProgram(executable, args, { stdio: "inherit", env });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 9;
}
