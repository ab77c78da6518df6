import { mkdir, readFile, realpath } from "node:fs/promises";
import { dirname } from "node:path";
import { withFileLock, writeFileAtomic } from "@tofu-oci/core";
import { errorCode } from "../io/auth-io.js";
import type { VirtualAuthIo } from "../io/virtual-io.js";

/** Reads and rewrites docker-style config files for login and logout. */
export interface ConfigFileStore {
  /** The file's text, or undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
  /** Replaces the file atomically with mode 0600, creating its directory (0700) if needed. */
  write(path: string, text: string): Promise<void>;
  /** Runs a read-modify-write while no other tofu-oci process edits the same file. */
  locked<T>(path: string, action: () => Promise<T>): Promise<T>;
}

/** The real file system; a symlinked config file stays a symlink (its target is replaced). */
export function nodeConfigFileStore(): ConfigFileStore {
  return {
    async read(path) {
      try {
        return await readFile(path, "utf8");
      } catch (error) {
        if (errorCode(error) === "ENOENT") return undefined;
        throw error;
      }
    },
    async write(path, text) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const target = await realpath(path).catch(() => path);
      await writeFileAtomic(target, text, 0o600);
    },
    async locked(path, action) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      return withFileLock(`${path}.lock`, action);
    },
  };
}

/** The files of a virtual I/O, for unit tests. */
export function virtualConfigFileStore(io: VirtualAuthIo): ConfigFileStore {
  return {
    read: async (path) => {
      const content = io.files.get(path);
      return content === undefined
        ? undefined
        : typeof content === "string"
          ? content
          : new TextDecoder().decode(content);
    },
    write: async (path, text) => void io.files.set(path, text),
    locked: (_path, action) => action(),
  };
}
