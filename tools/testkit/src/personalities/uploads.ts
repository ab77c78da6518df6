import { PassThrough, Transform, type Readable } from "node:stream";
import { header, specError, textAnswer, type Answer } from "./answer.js";
import { challengeFor } from "./auth.js";
import { uploadSession, type Exchange, type FrontContext, type Layer, type UploadSession } from "./front.js";
import type { RegistryStorage } from "../registry-storage.js";

/**
 * Blob uploads and mounts as the personality takes them (section 1 and 2 of
 * docs/contract/registry-quirks.md): the checks run before the request reaches distribution, which
 * then stores whatever is let through; the answer is adjusted on the way back.
 */
export function uploadLayer(front: FrontContext): Layer {
  return {
    async before(exchange) {
      if (exchange.route.kind === "upload-start" && exchange.method === "POST") return startUpload(front, exchange);
      if (exchange.route.kind === "upload-session") return continueUpload(front, exchange);
      return undefined;
    },
  };
}

function startUpload(front: FrontContext, exchange: Exchange): Answer | undefined {
  // gar-post-411
  if (front.knobs.requireContentLengthOnPost && exchange.req.headers["content-length"] === undefined)
    return lengthRequired();
  const digest = exchange.url.searchParams.get("mount");
  const from = exchange.url.searchParams.get("from") ?? "";
  if (!digest || !front.knobs.mount) return undefined;
  if (front.knobs.mount === "401-if-source-project-missing") {
    // harbor-mount-missing-project-401
    const project = from.split("/")[0]!;
    if (!front.storage.hasRepository(project)) {
      const challenge = challengeFor(front, `repository:${from}:pull`);
      return specError(
        401,
        "UNAUTHORIZED",
        `project ${project} not found`,
        undefined,
        challenge ? { "www-authenticate": challenge } : {},
      );
    }
    return undefined;
  }
  // artifactory-mount-202-autoshare, ecr-mount-optin-referenced: an upload session instead of the mount.
  if (front.knobs.mount === "202-always" || !isReferenced(front.storage, from, digest)) dropMount(exchange);
  return undefined;
}

function dropMount(exchange: Exchange): void {
  const url = new URL(exchange.forward.path, "http://registry");
  url.searchParams.delete("mount");
  url.searchParams.delete("from");
  exchange.forward.path = url.pathname + url.search;
}

/** Whether a manifest of `repository` names the blob as config, layer or child. */
function isReferenced(storage: RegistryStorage, repository: string, digest: string): boolean {
  return storage.manifestDigests(repository).some((manifest) => {
    const doc = storage.readJson(manifest) as
      | { config?: { digest?: string }; layers?: { digest?: string }[]; manifests?: { digest?: string }[] }
      | undefined;
    return (
      doc?.config?.digest === digest ||
      [...(doc?.layers ?? []), ...(doc?.manifests ?? [])].some((entry) => entry.digest === digest)
    );
  });
}

async function continueUpload(front: FrontContext, exchange: Exchange): Promise<Answer | undefined> {
  const session = uploadSession(front, exchange.route.reference!);
  // ecr-upload-status-404, ghcr-upload-unknown-on-retry
  if ((exchange.method === "GET" && front.knobs.uploadStatusGet404) || session.poisoned) return uploadUnknown();
  const refusal =
    exchange.method === "PATCH"
      ? await patch(front, exchange, session)
      : exchange.method === "PUT"
        ? await put(front, exchange, session)
        : undefined;
  if (front.knobs.poisonSessionOnError) {
    if (refusal) session.poisoned = true;
    exchange.after.push((answer) => {
      // A 401 is the challenge every new client meets first, not a failure of the session.
      if (answer.status >= 400 && answer.status !== 401) session.poisoned = true;
    });
    exchange.req.once("close", () => {
      if (!exchange.req.complete) session.poisoned = true;
    });
  }
  // A finished upload needs no record any more.
  exchange.after.push((answer) => {
    if (exchange.method === "PUT" && answer.status === 201) front.sessions.delete(exchange.route.reference!);
  });
  return refusal;
}

async function patch(front: FrontContext, exchange: Exchange, session: UploadSession): Promise<Answer | undefined> {
  const { knobs } = front;
  const range = header(exchange.req, "content-range");
  // gar-no-chunked: one streamed PATCH is fine, Content-Range chunks are not.
  if (knobs.refuseChunkedUploads && (range !== undefined || session.parts.length > 0)) return chunkedRefused();
  // acr-content-range-format
  if (knobs.contentRange === "strict-spec" && range !== undefined && !/^\d+-\d+$/.test(range)) {
    const reason = "the Content-Range header format is invalid";
    return specError(400, "BLOB_UPLOAD_INVALID", reason, { Range: range, Reason: reason });
  }
  // ecr-min-part-5mb: the part before this one was not the last, so it had to be big enough.
  if (knobs.patchMinPart !== undefined && session.parts.length > 0 && session.parts.at(-1)! < knobs.patchMinPart)
    return partTooSmall(knobs.patchMinPart);
  // ghcr-patch-4mib
  if (knobs.patchMaxBody !== undefined) {
    const refused = await limitBody(exchange, knobs.patchMaxBody);
    if (refused) return refused;
  }
  const counted = countBody(exchange);
  exchange.after.push((answer) => {
    if (answer.status >= 300) return;
    session.parts.push(counted());
    session.offset += counted();
    // ecr-patch-201
    if (knobs.patchStatus === 201 && answer.status === 202) answer.status = 201;
    // ecr-range-stale
    if (knobs.rangeMode === "first-chunk-stuck") {
      session.firstRange ??= answer.headers.range as string | undefined;
      if (session.firstRange) answer.headers.range = session.firstRange;
    }
  });
  return undefined;
}

async function put(front: FrontContext, exchange: Exchange, session: UploadSession): Promise<Answer | undefined> {
  const { knobs } = front;
  const checks = [
    knobs.refuseChunkedUploads,
    knobs.emptyFinalPutAfterChunks500,
    knobs.patchMinPart,
    knobs.badRangePut416,
    knobs.requirePatchBeforePut,
  ];
  if (checks.every((check) => check === undefined || check === false)) return undefined;
  const empty = await bodyIsEmpty(exchange);
  // artifactory-requires-patch (Artifactory 6)
  if (knobs.requirePatchBeforePut && !empty && session.parts.length === 0)
    return specError(404, "BLOB_UNKNOWN", "blob unknown to registry");
  if (knobs.refuseChunkedUploads && !empty && session.parts.length > 0) return chunkedRefused();
  // ecr-empty-final-put-500
  if (knobs.emptyFinalPutAfterChunks500 && empty && session.parts.length > 1)
    return { status: 500, headers: {}, body: Buffer.alloc(0) };
  if (
    knobs.patchMinPart !== undefined &&
    !empty &&
    session.parts.length > 0 &&
    session.parts.at(-1)! < knobs.patchMinPart
  )
    return partTooSmall(knobs.patchMinPart);
  // put-bad-range-divergence (zot)
  const range = header(exchange.req, "content-range");
  if (knobs.badRangePut416 && range !== undefined && Number(/^(\d+)-\d+$/.exec(range)?.[1] ?? -1) !== session.offset) {
    return specError(
      416,
      "BLOB_UPLOAD_INVALID",
      `Content-Range ${range} does not start at the ${session.offset} bytes received`,
    );
  }
  return undefined;
}

/** Refuses a body over `max` bytes with GHCR's 416, reading at most `max + 1` bytes of it. */
async function limitBody(exchange: Exchange, max: number): Promise<Answer | undefined> {
  const length = header(exchange.req, "content-length");
  if (length !== undefined) return Number(length) > max ? bodyTooLarge(max) : undefined;
  const body = await readUpTo(exchange.req, max);
  if (!body) return bodyTooLarge(max);
  exchange.forward.body = body;
  return undefined;
}

function readUpTo(stream: Readable, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      stream.off("data", onData);
      stream.resume();
      resolve(undefined);
    };
    stream.on("data", onData);
    stream.once("end", () => resolve(size <= max ? Buffer.concat(chunks) : undefined));
    stream.once("error", reject);
  });
}

/** Counts the bytes forwarded; the returned function reads the count. */
function countBody(exchange: Exchange): () => number {
  const body = exchange.forward.body ?? exchange.req;
  if (Buffer.isBuffer(body)) return () => body.length;
  let count = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      count += chunk.length;
      callback(null, chunk);
    },
  });
  body.on("error", (error) => counter.destroy(error));
  exchange.forward.body = body.pipe(counter);
  return () => count;
}

/** Whether the request has no body; peeks at the first chunk of a chunked one and puts it back. */
async function bodyIsEmpty(exchange: Exchange): Promise<boolean> {
  const { req } = exchange;
  if (Buffer.isBuffer(exchange.forward.body)) return exchange.forward.body.length === 0;
  const length = header(req, "content-length");
  if (length !== undefined) return Number(length) === 0;
  if (req.headers["transfer-encoding"] === undefined) return true;
  const first = await new Promise<Buffer | undefined>((resolve, reject) => {
    const onData = (chunk: Buffer) => finish(chunk);
    const onEnd = () => finish(undefined);
    const finish = (chunk: Buffer | undefined) => {
      req.off("data", onData).off("end", onEnd).off("error", reject);
      req.pause();
      resolve(chunk);
    };
    req.on("data", onData).once("end", onEnd).once("error", reject);
  });
  if (!first) {
    exchange.forward.body = Buffer.alloc(0);
    return true;
  }
  const rest = new PassThrough();
  rest.write(first);
  exchange.forward.body = req.pipe(rest);
  return false;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)}MiB` : `${bytes}B`;
}

function bodyTooLarge(max: number): Answer {
  const message = `the request body is too large and exceeds the maximum permissible limit of ${formatSize(max)}`;
  return specError(416, "REQUESTED_RANGE_NOT_SATISFIABLE", message);
}

function partTooSmall(min: number): Answer {
  return specError(
    400,
    "BLOB_UPLOAD_INVALID",
    `LayerPartTooSmallException: All layer parts except the last part should be at least ${formatSize(min)}`,
  );
}

function chunkedRefused(): Answer {
  return specError(
    400,
    "BLOB_UPLOAD_INVALID",
    "chunked uploads are not supported: send the blob in one PUT (or one PATCH without Content-Range)",
  );
}

function uploadUnknown(): Answer {
  return specError(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
}

// Google front end's page for a POST without Content-Length (gar-post-411).
function lengthRequired(): Answer {
  const page = [
    "<!DOCTYPE html>",
    "<html lang=en>",
    "  <meta charset=utf-8>",
    "  <title>Error 411 (Length Required)!!1</title>",
    "  <p><b>411.</b> <ins>That\u2019s an error.</ins>",
    "  <p>POST requests require a <code>Content-length</code> header.  <ins>That\u2019s all we know.</ins>",
    "",
  ].join("\n");
  return textAnswer(411, page, "text/html; charset=UTF-8");
}
