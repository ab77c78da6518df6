import { Worker } from "node:worker_threads";

/** Bytes handed to the hashing thread at once. */
const BATCH_BYTES = 2 * 1024 * 1024;
/** Batches one hash may have in flight; a fourth waits for one to come back (back-pressure). */
const BATCHES = 3;

/**
 * An incremental SHA-256 whose hashing runs on a shared worker thread, so the thread that
 * receives and writes the bytes does not also hash them (~0.5 s of CPU per GiB). The caller's
 * chunks are copied into 2 MiB batches that travel to the thread and back (transferred, not
 * copied again; big batches mean few thread wake-ups); at most 6 MiB per hash is in flight, and
 * `update` returns a promise to wait on when that is reached. Updates are hashed in the order given.
 */
export class ThreadedSha256 {
  readonly #id: number;
  readonly #free: ArrayBuffer[] = [];
  #batch: Uint8Array | undefined;
  #filled = 0;
  #owned = 0;
  #waiting: (() => void) | undefined;
  #done: Promise<string> | undefined;
  #closed = false;

  constructor() {
    this.#id = hashThread().open(this);
  }

  /** Adds bytes; when the result is a promise, wait for it before the next update. */
  update(chunk: Uint8Array): Promise<void> | undefined {
    for (let offset = 0; offset < chunk.length; ) {
      if (!this.#batch && !this.#takeBatch())
        return this.#afterFreeBatch().then(() => this.update(chunk.subarray(offset)));
      const batch = this.#batch!;
      const n = Math.min(batch.length - this.#filled, chunk.length - offset);
      batch.set(chunk.subarray(offset, offset + n), this.#filled);
      this.#filled += n;
      offset += n;
      if (this.#filled === batch.length) this.#send();
    }
    return undefined;
  }

  /** The hex digest of everything updated; ends this hash. */
  digest(): Promise<string> {
    this.#done ??= new Promise<string>((resolve, reject) => {
      if (this.#filled > 0) this.#send();
      hashThread().finish(this.#id, resolve, reject);
    }).finally(() => {
      this.#closed = true;
    });
    return this.#done;
  }

  /** Drops the hash (a failed or cancelled transfer); the thread forgets it. */
  abort(): void {
    if (this.#closed) return;
    this.#closed = true;
    hashThread().abort(this.#id);
  }

  /** A batch back from the thread. */
  returned(buffer: ArrayBuffer): void {
    this.#free.push(buffer);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }

  /** The thread failed: whoever waits for a batch learns it from `digest`. */
  failed(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }

  #takeBatch(): boolean {
    let buffer = this.#free.pop();
    if (!buffer && this.#owned < BATCHES) {
      buffer = new ArrayBuffer(BATCH_BYTES);
      this.#owned++;
    }
    if (!buffer) return false;
    this.#batch = new Uint8Array(buffer);
    this.#filled = 0;
    return true;
  }

  #afterFreeBatch(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (hashThread().broken) reject(hashThread().broken);
      else this.#waiting = resolve;
    });
  }

  #send(): void {
    const batch = this.#batch!;
    this.#batch = undefined;
    hashThread().update(this.#id, batch.buffer as ArrayBuffer, this.#filled);
    this.#filled = 0;
  }
}

type HashMessage = { id: number; buffer: ArrayBuffer } | { id: number; digest: string };

/** The one hashing thread of the process, started on first use; it never keeps the process alive when idle. */
class HashThread {
  #worker: Worker | undefined;
  #nextId = 1;
  /** Messages whose reply has not come yet; while there are any, the thread keeps the process alive. */
  #awaited = 0;
  readonly #hashes = new Map<number, ThreadedSha256>();
  readonly #finishing = new Map<number, { resolve: (hex: string) => void; reject: (error: Error) => void }>();
  broken: Error | undefined;

  open(hash: ThreadedSha256): number {
    const id = this.#nextId++;
    this.#hashes.set(id, hash);
    this.#post({ id, op: "open" });
    return id;
  }

  update(id: number, buffer: ArrayBuffer, length: number): void {
    this.#post({ id, op: "update", buffer, length }, [buffer], true);
  }

  finish(id: number, resolve: (hex: string) => void, reject: (error: Error) => void): void {
    if (this.broken) return reject(this.broken);
    this.#finishing.set(id, { resolve, reject });
    this.#post({ id, op: "digest" }, [], true);
  }

  abort(id: number): void {
    this.#forget(id);
    if (!this.broken) this.#post({ id, op: "abort" });
  }

  /** Posts a message; one that `expectsReply` keeps the process alive until the reply comes. */
  #post(message: object, transfer: ArrayBuffer[] = [], expectsReply = false): void {
    if (this.broken) return;
    const worker = this.#started();
    if (expectsReply && this.#awaited++ === 0) worker.ref();
    worker.postMessage(message, transfer);
  }

  #replied(): void {
    if (--this.#awaited === 0) this.#worker?.unref();
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    // The source is CommonJS: a parent started with --input-type=module would make it ESM.
    const execArgv = process.execArgv.filter((arg) => !arg.startsWith("--input-type"));
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv });
    worker.on("message", (message: HashMessage) => this.#receive(message));
    worker.on("error", (error) => this.#fail(error));
    worker.on("exit", (code) => this.#fail(new Error(`the hashing thread exited with code ${code}`)));
    // After the listeners: adding a "message" listener refs the worker's port again.
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #receive(message: HashMessage): void {
    this.#replied();
    if ("buffer" in message) {
      this.#hashes.get(message.id)?.returned(message.buffer);
      return;
    }
    const finishing = this.#finishing.get(message.id);
    this.#forget(message.id);
    finishing?.resolve(message.digest);
  }

  #forget(id: number): void {
    this.#hashes.delete(id);
    this.#finishing.delete(id);
  }

  /** A thread that died takes its hashes with it: they fail, and later hashes fail at once. */
  #fail(error: Error): void {
    if (this.broken) return;
    this.broken = error;
    this.#worker?.unref();
    for (const { reject } of this.#finishing.values()) reject(error);
    for (const hash of this.#hashes.values()) hash.failed();
    this.#hashes.clear();
    this.#finishing.clear();
  }
}

let thread: HashThread | undefined;

function hashThread(): HashThread {
  thread ??= new HashThread();
  return thread;
}

// An eval'd CommonJS worker: it runs the same from src/ (tests) and dist/, with no extra file.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const hashes = new Map();
parentPort.on("message", (m) => {
  if (m.op === "open") hashes.set(m.id, createHash("sha256"));
  else if (m.op === "update") {
    hashes.get(m.id)?.update(new Uint8Array(m.buffer, 0, m.length));
    parentPort.postMessage({ id: m.id, buffer: m.buffer }, [m.buffer]);
  } else if (m.op === "digest") {
    const hash = hashes.get(m.id);
    hashes.delete(m.id);
    parentPort.postMessage({ id: m.id, digest: hash.digest("hex") });
  } else if (m.op === "abort") hashes.delete(m.id);
});
`;
