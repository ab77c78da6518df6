import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { crc32 } from "node:zlib";
import { deflateSync } from "fflate";
import { unreadable, type ModuleEntry } from "./module-files.js";

/** A small file read whole and made ready for the zip. */
export interface PreparedFile {
  /** CRC-32 of the file's bytes. */
  crc: number;
  /** Size of the file's bytes. */
  size: number;
  /** The raw deflate stream of the bytes when `deflated`, else the bytes themselves. */
  data: Uint8Array;
  /** False when deflate did not make the file smaller (it is stored, as zip(1) does). */
  deflated: boolean;
}

/**
 * Reads the file at `path` and deflates it with fflate at `level` (0 stores). Throws what the
 * read throws. {@link DeflatePool}'s workers run the same steps (WORKER_SOURCE below).
 */
export function prepareFile(path: string, level: number): PreparedFile {
  const data = readFileSync(path);
  const crc = crc32(data);
  if (level > 0 && data.length > 0) {
    const compressed = deflateSync(data, { level: level as DeflateLevel });
    if (compressed.length < data.length) return { crc, size: data.length, data: compressed, deflated: true };
  }
  return { crc, size: data.length, data, deflated: false };
}

type DeflateLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/**
 * Worker threads running {@link prepareFile}, so small files are read, checksummed and
 * compressed on every core while the calling thread only writes the zip. The result is the
 * same as on the calling thread: fflate is pure JavaScript, so neither the thread nor the
 * machine changes a byte.
 */
export class DeflatePool {
  readonly #idle: Worker[] = [];
  readonly #workers: Worker[] = [];
  readonly #queue: Job[] = [];
  readonly #running = new Map<Worker, Job[]>();
  #failure: Error | undefined;

  /** Starts `size` workers compressing at `level`. */
  constructor(size: number, level: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { fflate: FFLATE_PATH, level } });
      worker.on("message", (results: WorkerResult[]) => this.#settle(worker, results));
      worker.on("error", (error) => this.#fail(worker, error));
      this.#workers.push(worker);
      this.#idle.push(worker);
    }
  }

  /**
   * {@link prepareFile} of an entry's file on a worker. A file that cannot be read rejects with
   * the exit-code-6 error that names the entry; a failed worker with its own error.
   */
  prepare(entry: ModuleEntry): Promise<PreparedFile> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#queue.push({ entry, resolve, reject });
      this.#dispatch();
    });
  }

  /** Stops the workers; jobs still queued are rejected. */
  async close(): Promise<void> {
    this.#failure ??= new Error("the deflate pool was closed");
    for (const job of this.#queue.splice(0)) job.reject(this.#failure);
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }

  /** Hands queued jobs to idle workers, several small ones per message to save round trips. */
  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const worker = this.#idle.pop()!;
      const batch = [this.#queue.shift()!];
      let bytes = batch[0]!.entry.size;
      while (this.#queue.length > 0 && bytes < BATCH_BYTES && batch.length < BATCH_JOBS) {
        const job = this.#queue.shift()!;
        batch.push(job);
        bytes += job.entry.size;
      }
      this.#running.set(worker, batch);
      worker.postMessage(batch.map((job) => job.entry.source));
    }
  }

  #settle(worker: Worker, results: WorkerResult[]): void {
    const batch = this.#running.get(worker) ?? [];
    this.#running.delete(worker);
    this.#idle.push(worker);
    batch.forEach((job, index) => {
      const result = results[index]!;
      if ("error" in result)
        job.reject(
          unreadable(job.entry.path, Object.assign(new Error(result.error.message), { code: result.error.code })),
        );
      else job.resolve(result);
    });
    this.#dispatch();
  }

  #fail(worker: Worker, error: Error): void {
    this.#failure = error;
    for (const job of this.#running.get(worker) ?? []) job.reject(error);
    this.#running.delete(worker);
    for (const job of this.#queue.splice(0)) job.reject(error);
  }
}

interface Job {
  entry: ModuleEntry;
  resolve: (file: PreparedFile) => void;
  reject: (error: Error) => void;
}

type WorkerResult = PreparedFile | { error: { message: string; code: string | undefined } };

/** A message carries small files up to about this many bytes... */
const BATCH_BYTES = 256 * 1024;
/** ...or this many files. */
const BATCH_JOBS = 64;

/** fflate's CommonJS build, resolved from this package so the worker loads the same copy. */
const FFLATE_PATH = createRequire(import.meta.url).resolve("fflate");

// An eval'd CommonJS worker: works the same from src/ (tests) and dist/, with no extra file. The
// results' buffers are transferred, not copied; a read buffer may be a slice of Node's shared
// pool, so a stored file's bytes are copied into a buffer of their own first.
const WORKER_SOURCE = `
const { readFileSync } = require("node:fs");
const { crc32 } = require("node:zlib");
const { parentPort, workerData } = require("node:worker_threads");
const { deflateSync } = require(workerData.fflate);
const level = workerData.level;
function prepareFile(path) {
  const data = readFileSync(path);
  const crc = crc32(data);
  if (level > 0 && data.length > 0) {
    const compressed = deflateSync(data, { level });
    if (compressed.length < data.length) return { crc, size: data.length, data: compressed, deflated: true };
  }
  return { crc, size: data.length, data: new Uint8Array(data), deflated: false };
}
parentPort.on("message", (paths) => {
  const results = paths.map((path) => {
    try {
      return prepareFile(path);
    } catch (error) {
      return { error: { message: error.message, code: error.code } };
    }
  });
  parentPort.postMessage(results, results.flatMap((result) => (result.data ? [result.data.buffer] : [])));
});
`;
