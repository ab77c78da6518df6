import { createHash } from "node:crypto";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic-file.js";

/**
 * Remembers the registry upload session (its Location URL) of each blob being uploaded in
 * chunks, so a later run can ask the registry how far it got and continue from there.
 */
export interface UploadSessionStore {
  /** The Location URL remembered under `key` (one blob to one repository), if any. */
  get(key: string): Promise<string | undefined>;
  /** Remembers the Location URL of an upload session under `key`. */
  set(key: string, location: string): Promise<void>;
  /** Forgets the session, once the blob is complete or the registry no longer knows it. */
  delete(key: string): Promise<void>;
}

/** Sessions kept for the life of the process. */
export function memoryUploadSessions(): UploadSessionStore {
  const sessions = new Map<string, string>();
  return {
    get: async (key) => sessions.get(key),
    set: async (key, location) => void sessions.set(key, location),
    delete: async (key) => void sessions.delete(key),
  };
}

/**
 * Sessions kept as small files in `dir` (e.g. ~/.cache/tofu-oci/uploads), so an upload stopped by
 * a crash, Ctrl-C or a registry restart resumes on the next run. Upload URLs carry no credentials.
 */
export function fileUploadSessions(dir: string): UploadSessionStore {
  const path = (key: string) => join(dir, `${createHash("sha256").update(key).digest("hex")}.json`);
  return {
    async get(key) {
      try {
        const saved = JSON.parse(await readFile(path(key), "utf8")) as { key?: string; location?: string };
        return saved.key === key && typeof saved.location === "string" ? saved.location : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, location) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(path(key), JSON.stringify({ key, location }), 0o600);
    },
    async delete(key) {
      await rm(path(key), { force: true });
    },
  };
}
