import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { ensureVerified } from "../digest.js";
import { RegistryError, TofuOciError } from "../errors.js";
import type { Descriptor } from "../manifest.js";
import { ProgressStream } from "../progress-stream.js";
import {
  asResumable,
  isReplayable,
  openContent,
  type Content,
  type PushOptions,
  type ResumableContent,
} from "../target.js";
import { expectStatus, header, type HttpResponse, type Method, type RetryOptions } from "./http.js";
import { chunkRefusal, chunkSizeFor, learnChunkRefusal, type RegistryKnowledge } from "./registry-knowledge.js";
import type { SavedUpload, UploadSessionStore } from "./upload-sessions.js";

/** What the uploader needs from its repository: requests, upload sessions and a HEAD of the blob. */
export interface UploadTransport {
  /** `HOST/REPO`, for messages and session keys. */
  readonly name: string;
  /** What was learned about the registry (chunk limits, refused chunks); the uploader adds to it. */
  readonly knowledge: RegistryKnowledge;
  /** Opens an upload session for the blob and returns its Location. */
  start(descriptor: Descriptor, signal: AbortSignal | undefined): Promise<URL>;
  /** Sends a request; `body` opens the bytes afresh for each attempt (an auth challenge sends it twice). */
  send(
    method: Method,
    url: URL,
    init: { signal?: AbortSignal | undefined; headers?: Record<string, string>; body?: () => Promise<Readable> },
  ): Promise<HttpResponse>;
  location(response: HttpResponse, previous?: URL): URL;
  /** Whether the registry has the blob (a HEAD). */
  exists(descriptor: Descriptor, signal: AbortSignal | undefined): Promise<boolean>;
  /** Makes sure push credentials are at hand (a body-less request), so no chunk is sent only to meet a 401. */
  authorize(signal: AbortSignal | undefined): Promise<void>;
}

/** How {@link uploadBlob} uploads. */
export interface BlobUploadOptions {
  /**
   * Resumable content larger than this goes up in PATCH chunks of this size (within the limits
   * the registry teaches), so an interrupted upload continues where it stopped. Undefined: one
   * PUT per blob, which every registry takes.
   */
  chunkSize: number | undefined;
  /** Attempts after the first, and the backoff between them. */
  retry: RetryOptions;
  sessions: UploadSessionStore;
  log: ((line: string) => void) | undefined;
}

/** How long a chunk in flight may take to finish after the operation is cancelled. */
const CANCEL_GRACE_MS = 30_000;

/**
 * Uploads one blob. By default one monolithic PUT after the POST (what oras-go does, and what
 * every registry takes: registry-quirks: gar-no-chunked, ghcr-patch-4mib). With a chunk size,
 * resumable content over it goes up in PATCH chunks of at most that size, the last one in the
 * PUT; the offset is tracked by the client, and the session is saved so a later run continues
 * it. A registry that refuses chunks gets a monolithic upload instead. A broken session (the
 * registry forgot or refused it) is answered with a HEAD of the blob and then a new session.
 */
export async function uploadBlob(
  transport: UploadTransport,
  descriptor: Descriptor,
  content: Content,
  push: PushOptions,
  options: BlobUploadOptions,
): Promise<void> {
  const resumable = options.chunkSize === undefined ? undefined : asResumable(content);
  if (resumable && options.chunkSize !== undefined && descriptor.size > options.chunkSize) {
    const upload = new ChunkedUpload(transport, descriptor, resumable, push, {
      ...options,
      chunkSize: options.chunkSize,
    });
    if (await upload.run()) return;
  }
  await uploadWhole(transport, descriptor, content, push, options);
}

async function uploadWhole(
  transport: UploadTransport,
  descriptor: Descriptor,
  content: Content,
  push: PushOptions,
  options: BlobUploadOptions,
): Promise<void> {
  const attempts = isReplayable(content) ? 1 + (options.retry.retries ?? 4) : 1;
  // Resumable content (a file, bytes) is read as a plain range, as chunks are: the PUT names the
  // digest and the registry checks it, so hashing it here too would only cost CPU. Other content
  // (a stream from elsewhere) is verified on its way.
  const resumable = descriptor.size > 0 ? asResumable(content) : undefined;
  const open = resumable
    ? async () => resumable.openRange(0, descriptor.size - 1)
    : async () => ensureVerified(await openContent(content), descriptor, `the content for ${descriptor.digest}`);
  for (let attempt = 1; ; attempt++) {
    try {
      const location = await transport.start(descriptor, push.signal);
      return await putWhole(transport, location, descriptor, open, push);
    } catch (error) {
      if (digestRefused(error)) throw contentMismatch(descriptor, error);
      if (attempt >= attempts || push.signal?.aborted) throw error;
      if (sessionBroken(error)) {
        // registry-quirks: ghcr-upload-unknown-on-retry: the blob may be there already; else a new session.
        if (await transport.exists(descriptor, push.signal)) return;
      } else if (isTransient(error)) await backoff(attempt, options.retry, push.signal);
      else throw error;
      options.log?.(`retrying the upload of ${descriptor.digest}: ${(error as Error).message}`);
    }
  }
}

async function putWhole(
  transport: UploadTransport,
  location: URL,
  descriptor: Descriptor,
  open: () => Promise<Readable>,
  push: PushOptions,
): Promise<void> {
  // No Content-Range on a PUT (registry-quirks: content-range-on-monolithic-put, put-bad-range-divergence).
  const response = await transport.send("PUT", withDigest(location, descriptor), {
    signal: push.signal,
    headers: { "content-type": "application/octet-stream", "content-length": String(descriptor.size) },
    body: async () => withProgress(await open(), 0, push.onProgress),
  });
  await expectStatus(response, 201, `uploading ${descriptor.digest} to ${transport.name}`);
}

/** One blob going up in chunks, resumable within the run and in a later one. */
class ChunkedUpload {
  readonly #key: string;
  #session: SavedUpload | undefined;
  #failures = 0;

  constructor(
    readonly transport: UploadTransport,
    readonly descriptor: Descriptor,
    readonly content: ResumableContent,
    readonly push: PushOptions,
    readonly options: BlobUploadOptions & { chunkSize: number },
  ) {
    this.#key = `${transport.name}@${descriptor.digest}`;
  }

  /** Uploads the blob; false when the registry takes no chunks, so a monolithic PUT must. */
  async run(): Promise<boolean> {
    const saved = await this.options.sessions.get(this.#key);
    this.#session = saved && saved.offset <= this.descriptor.size ? saved : await this.#forget();
    let reconcile = this.#session !== undefined;
    for (;;) {
      if (!this.#session && this.#chunkSize() === undefined) return this.#giveUp();
      try {
        if (this.#session && reconcile) this.#session = await this.#reconcile(this.#session);
        reconcile = false;
        const session = this.#session ?? (await this.#newSession());
        // A session goes on in the chunk size it began with: a registry with a minimum part size
        // (registry-quirks: ecr-min-part-5mb) refuses a smaller part after a larger one.
        const chunk = session.chunkSize ?? this.#chunkSize();
        if (chunk === undefined) return this.#giveUp();
        await this.#send(session, chunk);
        await this.options.sessions.delete(this.#key);
        return true;
      } catch (error) {
        if (this.push.signal?.aborted) throw cancelled(error);
        const next = await this.#recover(error);
        if (next === "done") return true;
        reconcile = next === "reconcile";
      }
    }
  }

  /** Sends the chunks after the session's offset; the last one goes with the closing PUT (registry-quirks: ecr-empty-final-put-500). */
  async #send(session: SavedUpload, chunk: number): Promise<void> {
    const { descriptor, push } = this;
    let { location, offset } = session;
    if (offset > 0)
      this.options.log?.(`resuming the upload of ${descriptor.digest} at byte ${offset} of ${descriptor.size}`);
    for (; descriptor.size - offset > chunk; offset += chunk) {
      if (push.signal?.aborted) throw new TofuOciError("cancelled", "cancelled");
      location = (await this.#patch(new URL(location), offset, offset + chunk - 1)).href;
      this.#session = { location, offset: offset + chunk, chunkSize: chunk };
      await this.options.sessions.set(this.#key, this.#session);
    }
    if (push.signal?.aborted) throw new TofuOciError("cancelled", "cancelled");
    await this.#putLast(new URL(location), offset);
  }

  /**
   * PATCHes bytes start..end (inclusive) and returns the newest Location. 201 and 202 both mean
   * "stored, go on" (registry-quirks: ecr-patch-201); `Range` is not read, because some registries
   * keep sending the first chunk's (ecr-range-stale): the offset is the client's own count.
   */
  async #patch(location: URL, start: number, end: number): Promise<URL> {
    const { transport, push } = this;
    const response = await this.#graceful((signal) =>
      transport.send("PATCH", location, {
        signal,
        // registry-quirks: acr-content-range-format: `<start>-<end>`, no unit, no total.
        headers: {
          "content-type": "application/octet-stream",
          "content-length": String(end - start + 1),
          "content-range": `${start}-${end}`,
        },
        body: async () => withProgress(await this.content.openRange(start, end), start, push.onProgress),
      }),
    );
    if (response.status !== 202 && response.status !== 201) {
      await expectStatus(
        response,
        202,
        `uploading bytes ${start}-${end} of ${this.descriptor.digest} to ${transport.name}`,
      );
    }
    await response.body.dump();
    return transport.location(response, location);
  }

  async #putLast(location: URL, offset: number): Promise<void> {
    const { transport, descriptor, push } = this;
    const last = offset < descriptor.size;
    const response = await this.#graceful((signal) =>
      transport.send("PUT", withDigest(location, descriptor), {
        signal,
        headers: { "content-type": "application/octet-stream", "content-length": String(descriptor.size - offset) },
        ...(last
          ? {
              body: async () =>
                withProgress(await this.content.openRange(offset, descriptor.size - 1), offset, push.onProgress),
            }
          : {}),
      }),
    );
    await expectStatus(response, 201, `finishing the upload of ${descriptor.digest} to ${transport.name}`);
  }

  /**
   * Runs one request that must not be cut off when the operation is cancelled: the registry
   * would keep part of the chunk, and distribution then refuses the session for good
   * (registry-quirks: distribution-location-state-query). It gets CANCEL_GRACE_MS to finish.
   */
  async #graceful<T>(request: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
    const outer = this.push.signal;
    if (!outer) return request(undefined);
    const inner = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      this.options.log?.(`finishing the chunk in flight of ${this.descriptor.digest} before stopping`);
      timer = setTimeout(() => inner.abort(outer.reason), CANCEL_GRACE_MS);
    };
    if (outer.aborted) onAbort();
    else outer.addEventListener("abort", onAbort, { once: true });
    try {
      return await request(inner.signal);
    } finally {
      outer.removeEventListener("abort", onAbort);
      clearTimeout(timer);
    }
  }

  /**
   * Decides what follows a failed request: another chunk size or a monolithic upload (the
   * registry refused the chunk), a new session (it lost this one), the same session after a
   * pause (the network failed), or the error.
   */
  async #recover(error: unknown): Promise<"again" | "reconcile" | "done"> {
    const { transport, descriptor, options, push } = this;
    const retries = options.retry.retries ?? 4;
    if (++this.#failures > retries + 2) throw error;
    const refusal = chunkRefusal(error);
    if (refusal) {
      learnChunkRefusal(transport.knowledge, refusal);
      options.log?.(`${transport.name} refused the chunk (${(error as Error).message}); ${describe(refusal)}`);
      await this.#forget();
      return "again";
    }
    if (sessionBroken(error)) {
      options.log?.(
        `the upload session of ${descriptor.digest} is gone (${(error as Error).message}); starting a new one`,
      );
      await this.#forget();
      // registry-quirks: ghcr-upload-unknown-on-retry: the blob may have arrived after all.
      return (await transport.exists(descriptor, push.signal)) ? "done" : "again";
    }
    if (!isTransient(error) || this.#failures > retries) throw error;
    options.log?.(`upload of ${descriptor.digest} interrupted: ${(error as Error).message}`);
    await backoff(this.#failures, options.retry, push.signal);
    return "reconcile";
  }

  /**
   * Asks the registry how far the session got (GET upload status) and picks the offset to go
   * on from: the registry's when it holds more than the client counted (part of a chunk cut
   * off), else the client's, since a `Range` behind it is stale (registry-quirks:
   * ecr-range-stale). No answer (registry-quirks: ecr-upload-status-404) keeps the client's:
   * the next PATCH shows whether the session still lives.
   */
  async #reconcile(session: SavedUpload): Promise<SavedUpload> {
    const location = new URL(session.location);
    const response = await this.transport.send("GET", location, { signal: this.push.signal });
    await response.body.dump();
    if (response.status !== 204) {
      // The answer may have come before any credentials were asked for (ecr-upload-status-404).
      await this.transport.authorize(this.push.signal);
      return session;
    }
    // registry-quirks: range-header-semantics: a missing Range, `0-0` and `0--1` say nothing certain.
    const range = /^(?:bytes=)?0-(\d+)$/.exec(header(response.headers, "range") ?? "");
    const held = range && range[1] !== "0" ? Number(range[1]) + 1 : undefined;
    const offset = held !== undefined && held > session.offset && held <= this.descriptor.size ? held : session.offset;
    return { ...session, location: this.transport.location(response, location).href, offset };
  }

  /** The chunk size for a new session, within what the registry taught; undefined when chunks are impossible there. */
  #chunkSize(): number | undefined {
    return chunkSizeFor(this.options.chunkSize, this.transport.knowledge);
  }

  /** Opens a session; its chunk size is decided after the POST, whose answer may announce a minimum. */
  async #newSession(): Promise<SavedUpload> {
    const location = await this.transport.start(this.descriptor, this.push.signal);
    const chunkSize = this.#chunkSize();
    this.#session = { location: location.href, offset: 0, ...(chunkSize ? { chunkSize } : {}) };
    await this.options.sessions.set(this.#key, this.#session);
    return this.#session;
  }

  async #forget(): Promise<undefined> {
    this.#session = undefined;
    await this.options.sessions.delete(this.#key);
    return undefined;
  }

  async #giveUp(): Promise<boolean> {
    await this.#forget();
    return false;
  }
}

function describe(refusal: ReturnType<typeof chunkRefusal>): string {
  if (!refusal) return "";
  if ("maxBytes" in refusal) return `chunks of at most ${refusal.maxBytes} bytes from now on`;
  if ("minBytes" in refusal) return `chunks of at least ${refusal.minBytes} bytes from now on`;
  return "one PUT per blob from now on";
}

function withDigest(location: URL, descriptor: Descriptor): URL {
  // registry-quirks: distribution-location-state-query: the Location's own query (`_state`) is kept.
  const url = new URL(location);
  url.searchParams.set("digest", descriptor.digest);
  return url;
}

function withProgress(body: Readable, offset: number, onProgress: ((bytes: number) => void) | undefined): Readable {
  return onProgress ? pipeline(body, new ProgressStream((bytes) => onProgress(offset + bytes)), () => {}) : body;
}

/** The registry computed another digest for what it got: the content does not match its descriptor. */
function digestRefused(error: unknown): boolean {
  return error instanceof RegistryError && error.errors.some((e) => e.code === "DIGEST_INVALID");
}

function contentMismatch(descriptor: Descriptor, cause: unknown): TofuOciError {
  return new TofuOciError(
    "verification-failed",
    `the content for ${descriptor.digest} does not match its digest (the registry checked it: ${(cause as Error).message})`,
    {
      cause,
      hint: "The file changed since it was packed, or the disk returned other bytes; pack it again.",
    },
  );
}

/** The registry says the session's content is wrong or gone: only a new session helps. */
function sessionBroken(error: unknown): boolean {
  const codes = ["DIGEST_INVALID", "BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN", "SIZE_INVALID"];
  return error instanceof RegistryError && error.errors.some((e) => codes.includes(e.code));
}

function isTransient(error: unknown): boolean {
  return error instanceof TofuOciError && error.code === "network";
}

function cancelled(error: unknown): unknown {
  return error instanceof TofuOciError && error.code === "cancelled"
    ? error
    : new TofuOciError("cancelled", "cancelled", { cause: error });
}

/** Full-jitter exponential backoff between upload attempts, as the request retries use. */
async function backoff(attempt: number, retry: RetryOptions, signal: AbortSignal | undefined): Promise<void> {
  const { minDelayMs = 200, maxDelayMs = 10_000 } = retry;
  await sleep(Math.random() * Math.min(maxDelayMs, minDelayMs * 2 ** (attempt - 1)), undefined, { signal });
}
