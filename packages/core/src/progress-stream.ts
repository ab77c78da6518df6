import { Transform, type TransformCallback } from "node:stream";

/** A pass-through stream that reports the running byte count, for progress bars. */
export class ProgressStream extends Transform {
  #bytes = 0;
  readonly #onProgress: (bytes: number) => void;

  constructor(onProgress: (bytes: number) => void) {
    super();
    this.#onProgress = onProgress;
  }

  /** Stream internals: counts the chunk, reports the total so far, and passes the chunk on. */
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#bytes += chunk.length;
    this.#onProgress(this.#bytes);
    done(null, chunk);
  }
}
