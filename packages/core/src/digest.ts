import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { pipeline as pipelineCallback, Transform, type Readable, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { TofuOciError } from "./errors.js";
import { ThreadedSha256 } from "./hash-thread.js";
import { isValidDigest } from "./reference.js";

/** A content digest, `sha256:` followed by 64 lowercase hex digits. */
export type Digest = `sha256:${string}`;

/** The digest and size of some content. */
export interface DigestedContent {
  /** The content's SHA-256, `sha256:<hex>`. */
  digest: Digest;
  /** The content's size in bytes. */
  size: number;
}

/** The `sha256:` digest of bytes or a string. */
export function sha256Digest(data: Uint8Array | string): Digest {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/**
 * The digest of a descriptor, checked before it names a file or goes into a URL: `sha256:` and
 * 64 lowercase hex digits, the only form OpenTofu accepts (docs/contract/design.md §3). A digest
 * such as `sha256:../../etc/passwd` would otherwise open a file outside a layout's blobs or send
 * a request to another registry path.
 * @throws TofuOciError "invalid-input" (exit 6) naming `where` the descriptor came from.
 */
export function checkedDigest(descriptor: { digest: unknown }, where: string): Digest {
  const { digest } = descriptor;
  if (typeof digest === "string" && isValidDigest(digest)) return digest as Digest;
  throw new TofuOciError("invalid-input", `${where}: ${JSON.stringify(digest)} is not a valid digest`, {
    hint: "A digest is sha256: followed by 64 lowercase hex digits; the content that lists this one is damaged or hostile.",
  });
}

/** The hex part of a digest (`sha256:abc` -> `abc`). */
export function digestHex(digest: string): string {
  return digest.slice(digest.indexOf(":") + 1);
}

/** Digests a stream as it flows, without buffering it. */
export async function digestStream(stream: Readable): Promise<DigestedContent> {
  const meter = new DigestMeter();
  await pipeline(stream, meter, async function drain(source: AsyncIterable<unknown>) {
    for await (const _ of source);
  });
  return meter.result();
}

/** Digests a file as a stream. */
export function digestFile(path: string): Promise<DigestedContent> {
  return digestStream(createReadStream(path));
}

/** A pass-through stream that counts and hashes what flows through it. */
export class DigestMeter extends Transform {
  readonly #hash = createHash("sha256");
  #size = 0;

  /** Stream internals: hashes and counts the chunk, then passes it on unchanged. */
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#hash.update(chunk);
    this.#size += chunk.length;
    done(null, chunk);
  }

  /** Valid once the stream has ended. */
  result(): DigestedContent {
    return { digest: `sha256:${this.#hash.copy().digest("hex")}`, size: this.#size };
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.#size;
  }
}

/** The digest and size content must have. */
export interface Expected {
  /** The digest the content must have, `sha256:<hex>`. */
  digest: string;
  /** The size in bytes the content must have; more or fewer bytes fail the stream. */
  size: number;
}

/**
 * Content at least this big is hashed on the hashing thread ({@link ThreadedSha256}); below it,
 * starting the thread (~30 ms) would cost more than it saves.
 */
export const THREADED_HASH_MIN_BYTES = 32 * 1024 * 1024;

/**
 * A pass-through stream that fails unless exactly `expected.size` bytes with
 * `expected.digest` flow through it. It fails as soon as the size is exceeded,
 * so an endless body never fills memory or disk. Content of 32 MiB or more
 * (`THREADED_HASH_MIN_BYTES`) is hashed on a worker thread, so the bytes flow on while they
 * are hashed; the stream still ends only after the digest matched.
 */
export class DigestVerifier extends Transform {
  readonly #hash: Hash | ThreadedSha256;
  readonly #expected: Expected;
  readonly #what: string;
  #size = 0;

  constructor(expected: Expected, what = expected.digest) {
    super();
    this.#expected = expected;
    this.#what = what;
    this.#hash = expected.size >= THREADED_HASH_MIN_BYTES ? new ThreadedSha256() : createHash("sha256");
  }

  /** Stream internals: hashes the chunk and passes it on; fails as soon as there are more bytes than expected. */
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#size += chunk.length;
    if (this.#size > this.#expected.size) {
      done(sizeMismatch(this.#what, this.#expected.size, `more than ${this.#expected.size}`));
      return;
    }
    const wait = this.#hash.update(chunk);
    if (wait instanceof Promise) wait.then(() => done(null, chunk), done);
    else done(null, chunk);
  }

  /** Whether this stream checks for exactly `expected`, so a consumer need not check again. */
  checks(expected: Expected): boolean {
    return this.#expected.digest === expected.digest && this.#expected.size === expected.size;
  }

  /** Stream internals: fails the stream when the size or digest at the end does not match. */
  override _flush(done: TransformCallback): void {
    if (this.#size !== this.#expected.size) {
      done(sizeMismatch(this.#what, this.#expected.size, String(this.#size)));
      return;
    }
    const compare = (hex: string) => {
      const actual = `sha256:${hex}`;
      done(actual === this.#expected.digest ? null : digestMismatch(this.#what, this.#expected.digest, actual));
    };
    if (this.#hash instanceof ThreadedSha256) this.#hash.digest().then(compare, done);
    else compare(this.#hash.digest("hex"));
  }

  /** Stream internals: stops a hash running on a worker thread. */
  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    if (this.#hash instanceof ThreadedSha256) this.#hash.abort();
    done(error);
  }
}

/**
 * Returns `source` piped through a {@link DigestVerifier}; an error on either side fails the
 * returned stream.
 */
export function verifiedStream(source: Readable, expected: Expected, what?: string): Readable {
  return pipelineCallback(source, new DigestVerifier(expected, what), () => {});
}

/** Streams piped on from a DigestVerifier (see {@link observeVerified}), with that verifier. */
const verifiedUpstream = new WeakMap<Readable, DigestVerifier>();

/**
 * Like {@link verifiedStream}, but a stream that already comes through a DigestVerifier for the
 * same content (every target's fetch verifies on read) is returned as is: hashing it a second
 * time on the way into another target only costs CPU (~0.5 s per GiB).
 */
export function ensureVerified(source: Readable, expected: Expected, what?: string): Readable {
  const verifier = source instanceof DigestVerifier ? source : verifiedUpstream.get(source);
  return verifier?.checks(expected) ? source : verifiedStream(source, expected, what);
}

/**
 * Pipes `source` through `observer` (a pass-through that counts or reports progress). When
 * `source` is verified, so is the result for {@link ensureVerified}: a verification failure
 * upstream fails the returned stream before it can end.
 */
export function observeVerified(source: Readable, observer: Transform): Readable {
  const observed = pipelineCallback(source, observer, () => {});
  const verifier = source instanceof DigestVerifier ? source : verifiedUpstream.get(source);
  if (verifier) verifiedUpstream.set(observed, verifier);
  return observed;
}

/** Throws unless `data` has the expected digest and size. */
export function verifyBytes(data: Uint8Array, expected: Expected, what = expected.digest): void {
  if (data.length !== expected.size) throw sizeMismatch(what, expected.size, String(data.length));
  const actual = sha256Digest(data);
  if (actual !== expected.digest) throw digestMismatch(what, expected.digest, actual);
}

function sizeMismatch(what: string, expected: number, actual: string): TofuOciError {
  return new TofuOciError("verification-failed", `${what}: expected ${expected} bytes, got ${actual}`, {
    hint: "The content is damaged or was changed; it was not used.",
  });
}

function digestMismatch(what: string, expected: string, actual: string): TofuOciError {
  return new TofuOciError("verification-failed", `${what}: digest mismatch, expected ${expected}, got ${actual}`, {
    hint: "The content is damaged or was changed; it was not used.",
  });
}
