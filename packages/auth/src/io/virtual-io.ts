import { posix } from "node:path";
import { HelperNotFoundError, type AuthIo, type GoOs, type HelperOutput } from "./auth-io.js";

/** A simulated helper reply: credentials, or a raw exit code and stdout. */
export type VirtualHelperReply = { Username: string; Secret: string } | { exitCode: number; stdout: string };

/** A virtual machine for `virtualAuthIo`: files, environment, OS and simulated credential helpers. */
export interface VirtualAuthIoOptions {
  /** Absolute forward-slash paths to contents; every other path is ENOENT. */
  files?: Record<string, string | Uint8Array>;
  /** Read errors to simulate, e.g. `{ "/home/u/.dockercfg": "EACCES" }`. */
  fileErrors?: Record<string, string>;
  /** Environment variables of the virtual machine. Default: none. */
  env?: Record<string, string | undefined>;
  /** Default "linux". */
  os?: GoOs;
  /** helper name -> server URL -> reply. Unlisted: "credentials not found in native keychain", exit 1. */
  helpers?: Record<string, Record<string, VirtualHelperReply>>;
  /** Helpers whose executable does not exist. */
  missingHelpers?: string[];
  /** Default "/". */
  cwd?: string;
}

/** A virtual {@link AuthIo} with its file contents and helper stores open for inspection. */
export interface VirtualAuthIo extends AuthIo {
  /** The virtual file system, by absolute path; `store` and `erase` change it (tests read it back). */
  files: Map<string, string | Uint8Array>;
  /** Each simulated helper's entries by server URL; `store` and `erase` change them. */
  helperStores: Map<string, Map<string, VirtualHelperReply>>;
}

/**
 * An in-memory {@link AuthIo}: a virtual file system and simulated credential helpers, in the
 * conformance case format (docs/contract/auth/spec.md §11). Paths are joined with `/` whatever the OS.
 */
export function virtualAuthIo(options: VirtualAuthIoOptions = {}): VirtualAuthIo {
  const files = new Map(Object.entries(options.files ?? {}));
  const fileErrors = options.fileErrors ?? {};
  const helperStores = new Map(
    Object.entries(options.helpers ?? {}).map(([name, replies]) => [name, new Map(Object.entries(replies))]),
  );
  const missing = new Set(options.missingHelpers ?? []);
  const isDirectory = (path: string) =>
    [...files.keys(), ...Object.keys(fileErrors)].some((file) => file.startsWith(`${path.replace(/\/$/, "")}/`));
  const fail = (code: string, path: string) => Promise.reject(Object.assign(new Error(`${code}: ${path}`), { code }));

  return {
    env: options.env ?? {},
    os: options.os ?? "linux",
    userHomeDir: () => undefined,
    cwd: options.cwd ?? "/",
    path: posix,
    files,
    helperStores,
    readFile(path) {
      if (fileErrors[path]) return fail(fileErrors[path]!, path);
      const content = files.get(path);
      if (content !== undefined)
        return Promise.resolve(typeof content === "string" ? new TextEncoder().encode(content) : content);
      if (isDirectory(path)) return fail("EISDIR", path);
      return fail(ancestorIsFile(files, path) ? "ENOTDIR" : "ENOENT", path);
    },
    async readDir(path) {
      const prefix = `${path.replace(/\/$/, "")}/`;
      const names = [...files.keys(), ...Object.keys(fileErrors)]
        .filter((file) => file.startsWith(prefix))
        .map((file) => file.slice(prefix.length).split("/")[0]!);
      return [...new Set(names)];
    },
    async stat(path) {
      if (files.has(path) || fileErrors[path]) return "file";
      return isDirectory(path) ? "directory" : undefined;
    },
    async runHelper(name, action, input): Promise<HelperOutput> {
      if (missing.has(name)) throw new HelperNotFoundError(`docker-credential-${name}`);
      const store = helperStores.get(name) ?? new Map<string, VirtualHelperReply>();
      helperStores.set(name, store);
      return runVirtualHelper(store, action, input);
    },
  };
}

function runVirtualHelper(store: Map<string, VirtualHelperReply>, action: string, input: string): HelperOutput {
  const notFound = { exitCode: 1, stdout: "credentials not found in native keychain\n" };
  if (action === "store") {
    const { ServerURL, Username, Secret } = JSON.parse(input) as {
      ServerURL: string;
      Username: string;
      Secret: string;
    };
    store.set(ServerURL, { Username, Secret });
    return { exitCode: 0, stdout: "" };
  }
  const reply = store.get(input);
  if (action === "erase") return store.delete(input) ? { exitCode: 0, stdout: "" } : notFound;
  if (!reply) return notFound;
  if ("exitCode" in reply) return reply;
  return { exitCode: 0, stdout: JSON.stringify({ ServerURL: input, ...reply }) };
}

function ancestorIsFile(files: Map<string, unknown>, path: string): boolean {
  const parts = path.split("/");
  return parts.slice(1, -1).some((_, index) => files.has(parts.slice(0, index + 2).join("/")));
}
