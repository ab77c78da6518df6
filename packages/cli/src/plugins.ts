import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export const PLUGIN_PREFIX = "tofu-oci-";

/** The first executable `tofu-oci-<name>` on PATH, git-style. */
export function findPlugin(name: string, path: string | undefined, platform = process.platform): string | undefined {
  const extensions = platform === "win32" ? ["", ".cmd", ".exe", ".bat"] : [""];
  for (const dir of (path ?? "").split(delimiter).filter(Boolean)) {
    for (const extension of extensions) {
      const candidate = join(dir, `${PLUGIN_PREFIX}${name}${extension}`);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return undefined;
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

/** The known names closest to `name` (edit distance at most 2), best first. */
export function suggest(name: string, known: readonly string[]): string[] {
  return known
    .map((candidate) => ({ candidate, distance: editDistance(name, candidate) }))
    .filter(({ distance, candidate }) => distance <= 2 || candidate.startsWith(name))
    .sort((a, b) => a.distance - b.distance)
    .map(({ candidate }) => candidate);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
