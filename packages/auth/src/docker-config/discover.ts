import { errorCode, type AuthIo } from "../io/auth-io.js";
import { goFileError } from "../io/go-path.js";
import { parseDockerStyleConfig, type DockerStyleConfig } from "./docker-config.js";
import { dockerStyleSearchPaths, withoutAdjacentDuplicates } from "./search-paths.js";

/** What happened to one docker-style file. */
export interface AmbientFile {
  path: string;
  status: "read" | "absent" | "unreadable" | "malformed";
  /** OpenTofu's message for an unreadable or malformed file. */
  error?: string;
  config?: DockerStyleConfig;
}

/** The outcome of ambient docker-style file discovery (docs/contract/auth/spec.md §4). */
export interface AmbientDiscovery {
  /** default: the §4.2 search; explicit: docker_style_config_files; disabled: discover_ambient_credentials = false. */
  mode: "default" | "explicit" | "disabled";
  /** The raw candidate list of the default search (before the adjacent-duplicate skip). */
  searchPaths: string[];
  files: AmbientFile[];
  /** Default search only: a bad file made OpenTofu discard every file (docs/contract/auth/spec.md §13.1). */
  discarded: boolean;
  /** Explicit list only: the policy fails with this message (docs/contract/auth/spec.md §4.3). */
  failure?: string;
}

/** Reads the default search locations; any unreadable or malformed file discards them all. */
export async function discoverDefault(io: AuthIo): Promise<AmbientDiscovery> {
  const searchPaths = dockerStyleSearchPaths(io);
  const files = await Promise.all(withoutAdjacentDuplicates(searchPaths).map((path) => readAmbientFile(io, path)));
  const discarded = files.some((file) => file.status === "unreadable" || file.status === "malformed");
  return { mode: "default", searchPaths, files, discarded };
}

/** Reads exactly the configured files; any problem, a missing file included, fails the policy. */
export async function discoverExplicit(io: AuthIo, paths: string[]): Promise<AmbientDiscovery> {
  const files = await Promise.all(paths.map((path) => readAmbientFile(io, path)));
  const problems = files.filter((file) => file.status !== "read").map((file) => file.error ?? "");
  const result: AmbientDiscovery = { mode: "explicit", searchPaths: [], files, discarded: false };
  if (problems.length > 0)
    result.failure = `discovering ambient OCI registry credentials: failed to read Docker-style config files: ${problems.join("; ")}`;
  return result;
}

async function readAmbientFile(io: AuthIo, path: string): Promise<AmbientFile> {
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(path);
  } catch (error) {
    const status = errorCode(error) === "ENOENT" ? "absent" : "unreadable";
    return { path, status, error: `reading ${path}: ${goFileError("open", path, error)}` };
  }
  try {
    // Go replaces invalid UTF-8 with U+FFFD and does not skip a byte-order mark.
    const config = parseDockerStyleConfig(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes));
    return { path, status: "read", config };
  } catch (error) {
    return { path, status: "malformed", error: `parsing ${path}: invalid JSON syntax: ${(error as Error).message}` };
  }
}
