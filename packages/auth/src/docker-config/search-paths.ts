import type { AuthIo } from "../io/auth-io.js";
import { goJoin } from "../io/go-path.js";

/**
 * The home directory for docker-style file discovery (docs/contract/auth/spec.md §4.1): USERPROFILE on Windows,
 * HOME elsewhere, then the user database, then `nul:` (Windows) or `/`.
 */
export function discoveryHomeDir(io: AuthIo): string {
  const variable = io.os === "windows" ? io.env.USERPROFILE : io.env.HOME;
  if (variable) return variable;
  return io.userHomeDir() || (io.os === "windows" ? "nul:" : "/");
}

/**
 * The default docker-style files in search order (docs/contract/auth/spec.md §4.2), before the adjacent-duplicate
 * skip: XDG runtime dir (Linux) or ~/.config (macOS, Windows), then XDG config home,
 * ~/.docker/config.json and ~/.dockercfg.
 */
export function dockerStyleSearchPaths(io: AuthIo): string[] {
  const home = discoveryHomeDir(io);
  const join = (...parts: string[]) => goJoin(io.path, ...parts);
  const paths: string[] = [];
  if (io.os === "linux") {
    if (io.env.XDG_RUNTIME_DIR) paths.push(join(io.env.XDG_RUNTIME_DIR, "containers", "auth.json"));
  } else if (io.os === "windows" || io.os === "darwin") {
    paths.push(join(home, ".config", "containers", "auth.json"));
  }
  const configHome = io.env.XDG_CONFIG_HOME || join(home, ".config");
  paths.push(
    join(configHome, "containers", "auth.json"),
    join(home, ".docker", "config.json"),
    join(home, ".dockercfg"),
  );
  return paths;
}

/** The search list with a path equal to the one just before it removed: the files actually read. */
export function withoutAdjacentDuplicates(paths: string[]): string[] {
  return paths.filter((path, index) => index === 0 || paths[index - 1] !== path);
}
