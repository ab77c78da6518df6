import { createHash } from "node:crypto";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic-file.js";

/** A chunked upload in progress: the registry's newest session Location and the bytes it acknowledged. */
export interface SavedUpload {
  /** The newest `Location` the registry gave for the session (absolute URL). */
  location: string;
  /** Bytes the registry accepted in this session (tracked by the client, not read from `Range`). */
  offset: number;
  /** The chunk size the session was started with; the rest goes in chunks of it (the registry may have taught it). */
  chunkSize?: number;
}

/**
 * Remembers the registry upload session of each blob being uploaded in chunks, so a later run
 * can continue from there.
 */
export interface UploadSessionStore {
  /** The upload remembered under `key` (one blob to one repository), if any. */
  get(key: string): Promise<SavedUpload | undefined>;
  /** Remembers an upload session under `key`. */
  set(key: string, upload: SavedUpload): Promise<void>;
  /** Forgets the session, once the blob is complete or the registry no longer knows it. */
  delete(key: string): Promise<void>;
}

/** Sessions kept for the life of the process. */
export function memoryUploadSessions(): UploadSessionStore {
  const sessions = new Map<string, SavedUpload>();
  return {
    get: async (key) => sessions.get(key),
    set: async (key, upload) => void sessions.set(key, { ...upload }),
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
        const saved = JSON.parse(await readFile(path(key), "utf8")) as {
          key?: unknown;
          location?: unknown;
          offset?: unknown;
          chunkSize?: unknown;
        };
        if (saved.key !== key || typeof saved.location !== "string") return undefined;
        const upload: SavedUpload = { location: saved.location, offset: count(saved.offset) ?? 0 };
        const chunkSize = count(saved.chunkSize);
        if (chunkSize) upload.chunkSize = chunkSize;
        return upload;
      } catch {
        return undefined;
      }
    },
    async set(key, upload) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(path(key), JSON.stringify({ key, ...upload }), 0o600);
    },
    async delete(key) {
      await rm(path(key), { force: true });
    },
  };
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
