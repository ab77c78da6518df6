import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
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
import { expectStatus, header, type HttpResponse, type Method } from "./http.js";
import type { UploadSessionStore } from "./upload-sessions.js";

/** What the uploader needs from its repository: requests and upload session URLs. */
export interface UploadTransport {
  /** `HOST/REPO`, for messages and session keys. */
  readonly name: string;
  start(signal: AbortSignal | undefined): Promise<URL>;
  send(
    method: Method,
    url: URL,
    init: { signal?: AbortSignal | undefined; headers?: Record<string, string>; body?: Readable },
  ): Promise<HttpResponse>;
  location(response: HttpResponse): URL;
}

export interface BlobUploadOptions {
  /** Resumable content larger than this goes up in chunks of this size. Default 64 MiB. */
  chunkSize: number;
  /** Attempts after the first. */
  retries: number;
  sessions: UploadSessionStore;
  log: ((line: string) => void) | undefined;
}

export const DEFAULT_CHUNK_SIZE = 64 * 1024 * 1024;

/**
 * Uploads one blob. Resumable content over the chunk size goes up in PATCH chunks streamed from
 * its source; after a failure, or in a later run, the upload continues from the offset the
 * registry reports for the session. Other content is one streaming PUT, retried whole.
 */
export async function uploadBlob(
  transport: UploadTransport,
  descriptor: Descriptor,
  content: Content,
  push: PushOptions,
  options: BlobUploadOptions,
): Promise<void> {
  const resumable = asResumable(content);
  if (resumable && descriptor.size > options.chunkSize)
    return uploadInChunks(transport, descriptor, resumable, push, options);
  const attempts = isReplayable(content) ? 1 + options.retries : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      const location = await transport.start(push.signal);
      return await putWhole(transport, location, descriptor, await openContent(content), push);
    } catch (error) {
      if (!isTransient(error) || attempt >= attempts || push.signal?.aborted) throw error;
      options.log?.(`retrying the upload of ${descriptor.digest}: ${(error as Error).message}`);
    }
  }
}

async function putWhole(
  transport: UploadTransport,
  location: URL,
  descriptor: Descriptor,
  body: Readable,
  push: PushOptions,
): Promise<void> {
  const url = withDigest(location, descriptor);
  const response = await transport.send("PUT", url, {
    signal: push.signal,
    headers: { "content-type": "application/octet-stream", "content-length": String(descriptor.size) },
    body: withProgress(ensureVerified(body, descriptor, `the content for ${descriptor.digest}`), 0, push.onProgress),
  });
  await expectStatus(response, 201, `uploading ${descriptor.digest} to ${transport.name}`);
}

async function uploadInChunks(
  transport: UploadTransport,
  descriptor: Descriptor,
  content: ResumableContent,
  push: PushOptions,
  options: BlobUploadOptions,
): Promise<void> {
  const key = `${transport.name}@${descriptor.digest}`;
  let session = await resumeSession(transport, key, options, push.signal);
  for (let failures = 0; ; ) {
    try {
      let { location, offset } = session;
      if (offset > 0)
        options.log?.(`resuming the upload of ${descriptor.digest} at byte ${offset} of ${descriptor.size}`);
      while (offset < descriptor.size) {
        const end = Math.min(offset + options.chunkSize, descriptor.size) - 1;
        location = await patchChunk(transport, location, content, offset, end, push);
        offset = end + 1;
        session = { location, offset };
        await options.sessions.set(key, location.href);
      }
      const response = await transport.send("PUT", withDigest(location, descriptor), {
        signal: push.signal,
        headers: { "content-length": "0" },
      });
      await expectStatus(response, 201, `finishing the upload of ${descriptor.digest} to ${transport.name}`);
      await options.sessions.delete(key);
      return;
    } catch (error) {
      if (!isTransient(error) || ++failures > options.retries || push.signal?.aborted) throw error;
      options.log?.(`upload of ${descriptor.digest} interrupted: ${(error as Error).message}`);
      const resumed = sessionBroken(error) ? undefined : await sessionOffset(transport, session.location, push.signal);
      session = resumed ?? (await newSession(transport, key, options, push.signal));
    }
  }
}

interface Session {
  location: URL;
  offset: number;
}

async function resumeSession(
  transport: UploadTransport,
  key: string,
  options: BlobUploadOptions,
  signal: AbortSignal | undefined,
): Promise<Session> {
  const saved = await options.sessions.get(key);
  const resumed = saved ? await sessionOffset(transport, new URL(saved), signal).catch(() => undefined) : undefined;
  return resumed ?? newSession(transport, key, options, signal);
}

async function newSession(
  transport: UploadTransport,
  key: string,
  options: BlobUploadOptions,
  signal: AbortSignal | undefined,
): Promise<Session> {
  const location = await transport.start(signal);
  await options.sessions.set(key, location.href);
  return { location, offset: 0 };
}

/** Asks the registry how many bytes an upload session holds (distribution-spec: GET upload status). */
async function sessionOffset(
  transport: UploadTransport,
  location: URL,
  signal: AbortSignal | undefined,
): Promise<Session | undefined> {
  const response = await transport.send("GET", location, { signal });
  if (response.status !== 204) {
    await response.body.dump();
    return undefined;
  }
  await response.body.dump();
  const range = /^(?:bytes=)?0-(\d+)$/.exec(header(response.headers, "range") ?? "");
  // "0-0" means either nothing or one byte (distribution sends it for an empty upload): start afresh.
  if (!range || range[1] === "0") return undefined;
  return { location: transport.location(response), offset: Number(range[1]) + 1 };
}

async function patchChunk(
  transport: UploadTransport,
  location: URL,
  content: ResumableContent,
  start: number,
  end: number,
  push: PushOptions,
): Promise<URL> {
  const response = await transport.send("PATCH", location, {
    signal: push.signal,
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(end - start + 1),
      "content-range": `${start}-${end}`,
    },
    body: withProgress(await content.openRange(start, end), start, push.onProgress),
  });
  await expectStatus(response, 202, `uploading bytes ${start}-${end} to ${transport.name}`);
  return transport.location(response);
}

function withDigest(location: URL, descriptor: Descriptor): URL {
  const url = new URL(location);
  url.searchParams.set("digest", descriptor.digest);
  return url;
}

function withProgress(body: Readable, offset: number, onProgress: ((bytes: number) => void) | undefined): Readable {
  return onProgress ? pipeline(body, new ProgressStream((bytes) => onProgress(offset + bytes)), () => {}) : body;
}

/** The registry says the session's content is wrong or gone: only a new session helps. */
function sessionBroken(error: unknown): boolean {
  const codes = ["DIGEST_INVALID", "BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN", "SIZE_INVALID"];
  return error instanceof RegistryError && error.errors.some((e) => codes.includes(e.code));
}

function isTransient(error: unknown): boolean {
  return error instanceof TofuOciError && error.code === "network";
}
