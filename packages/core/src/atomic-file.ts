import { randomBytes } from "node:crypto";
import { open, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileSink } from "./file-sink.js";

/** A temp file name beside `path`, so the final rename stays on one file system. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/** Writes a file so readers see the old content or the whole new content, never a part. */
export async function writeFileAtomic(path: string, data: Uint8Array | string, mode?: number): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await writeFile(temp, data, mode === undefined ? {} : { mode });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Streams into a temp file and renames it into place only when the whole pipeline succeeded;
 * on failure the temp file is removed and `path` is untouched.
 */
export async function writeStreamAtomic(
  path: string,
  source: Readable,
  ...transforms: NodeJS.ReadWriteStream[]
): Promise<void> {
  const temp = tempPathFor(path);
  const sink = fileSink(temp);
  try {
    await (pipeline as (...streams: unknown[]) => Promise<void>)(source, ...transforms, sink);
    await rename(temp, path);
  } catch (error) {
    // A sink still opening its file (a cancel right at the start) would create it after the rm.
    if (!sink.closed) await new Promise((resolve) => sink.once("close", resolve));
    await rm(temp, { force: true });
    throw error;
  }
}

export interface LockOptions {
  /** Give up after this many milliseconds. Default 60 000. */
  timeoutMs?: number;
  /** A lock file older than this is left over from a crash and is broken. Default 30 000. */
  staleMs?: number;
}

/**
 * Runs `action` while holding an exclusive lock file, so two processes never interleave a
 * read-modify-write of the same file.
 */
export async function withFileLock<T>(
  lockPath: string,
  action: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const { timeoutMs = 60_000, staleMs = 30_000 } = options;
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (await isStale(lockPath, staleMs)) await rm(lockPath, { force: true });
      else if (Date.now() > deadline)
        throw new Error(`timed out waiting for the lock ${lockPath}; remove it if no tofu-oci process is running`);
      else await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  try {
    return await action();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function isStale(path: string, staleMs: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > staleMs;
  } catch {
    return false;
  }
}
