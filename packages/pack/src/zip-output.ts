import { Readable } from "node:stream";

const BATCH_SIZE = 256 * 1024;

/**
 * The byte stream of a zip being made: the producer pushes chunks and awaits {@link ready}, so
 * it never runs more than one high-water mark ahead of the disk.
 */
export class ZipOutput extends Readable {
  #wake: (() => void) | undefined;
  #bytes = 0;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;

  constructor() {
    super({ highWaterMark: 1024 * 1024 });
  }

  /** Bytes pushed so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Queues a chunk of the zip; small chunks are gathered so the stream handles few large ones. */
  write(chunk: Uint8Array): void {
    this.#bytes += chunk.length;
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes >= BATCH_SIZE) this.#flush();
  }

  /** Queues the last chunk and ends the stream. */
  finish(chunk: Uint8Array): void {
    this.write(chunk);
    this.#flush();
    this.push(null);
  }

  /** Resolves once the consumer wants more; rejects when the stream was destroyed. */
  async ready(): Promise<void> {
    this.#assertOpen();
    if (this.readableLength < this.readableHighWaterMark) return;
    await new Promise<void>((resolve) => (this.#wake = resolve));
    this.#assertOpen();
  }

  override _read(): void {
    this.#resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#resume();
    callback(error);
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    this.push(this.#pending.length === 1 ? this.#pending[0] : Buffer.concat(this.#pending, this.#pendingBytes));
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  #resume(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #assertOpen(): void {
    if (this.destroyed) throw this.errored ?? new Error("the zip output was closed");
  }
}
