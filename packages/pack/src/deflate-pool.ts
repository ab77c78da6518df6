import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Worker threads running fflate's `deflateSync`, so files compress on every core. The output of
 * a job is the same as `deflateSync(data, { level })` on the main thread: fflate is pure
 * JavaScript, so neither the thread nor the machine changes a byte.
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
      worker.on("message", (outputs: Uint8Array[]) => this.#settle(worker, outputs));
      worker.on("error", (error) => this.#fail(worker, error));
      this.#workers.push(worker);
      this.#idle.push(worker);
    }
  }

  /** The raw deflate stream of `data`. `data` is copied to the worker, never transferred. */
  deflate(data: Uint8Array): Promise<Uint8Array> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#queue.push({ data, resolve, reject });
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
      let bytes = batch[0]!.data.length;
      while (this.#queue.length > 0 && bytes < BATCH_BYTES && batch.length < BATCH_JOBS) {
        const job = this.#queue.shift()!;
        batch.push(job);
        bytes += job.data.length;
      }
      this.#running.set(worker, batch);
      worker.postMessage(batch.map((job) => job.data));
    }
  }

  #settle(worker: Worker, outputs: Uint8Array[]): void {
    const batch = this.#running.get(worker) ?? [];
    this.#running.delete(worker);
    this.#idle.push(worker);
    batch.forEach((job, index) => job.resolve(outputs[index]!));
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
  data: Uint8Array;
  resolve: (output: Uint8Array) => void;
  reject: (error: Error) => void;
}

/** A message carries small files up to about this many bytes... */
const BATCH_BYTES = 256 * 1024;
/** ...or this many files. */
const BATCH_JOBS = 64;

/** fflate's CommonJS build, resolved from this package so the worker loads the same copy. */
const FFLATE_PATH = createRequire(import.meta.url).resolve("fflate");

// An eval'd CommonJS worker: works the same from src/ (tests) and dist/, with no extra file.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { deflateSync } = require(workerData.fflate);
parentPort.on("message", (batch) => {
  const outputs = batch.map((data) => deflateSync(data, { level: workerData.level }));
  parentPort.postMessage(outputs, outputs.map((output) => output.buffer));
});
`;
