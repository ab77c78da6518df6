import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { isTofuOciError, sha256Digest, type Descriptor } from "@tofu-oci/core";
import { RemoteRepository, header, type HttpResponse } from "@tofu-oci/core/remote";
import { binarySize, chunkRefusal } from "../chunk-limits.js";
import { fail, failFrom, ok, warn, warnFrom } from "../probe.js";
import { responseWords } from "../registry-words.js";
import type { Facts, Probe } from "../records.js";
import type { DoctorSession } from "../session.js";

const KiB = 1024;
const MiB = 1024 * KiB;
/** The monolithic probe's blob: small, it is tofu-oci's own way of uploading. */
const MONOLITHIC_SIZE = 256 * KiB;
/** Over GHCR's 4 MiB PATCH limit, so a streamed PATCH shows it. */
const STREAMED_SIZE = 5 * MiB;
const FIRST_CHUNK = 1 * MiB;
const TAIL = 1 * KiB;
const CHUNK_ATTEMPTS = 3;
const OCTETS = "application/octet-stream";

/** What the upload probes learned, for the ones after them. */
export interface UploadKnowledge {
  /** `OCI-Chunk-Min-Length` of the registry's upload session (distribution-spec 1.1). */
  chunkMinLength?: number;
  /** Largest PATCH body the registry took, learned from a refusal. */
  maxPatch?: number;
}

/** A registry's refusal of one step of an upload. */
class Refused extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    readonly words: string,
  ) {
    super(`${step}: HTTP ${status}${words ? ` (${words})` : ""}`);
  }
}

/**
 * `push`: whether the credentials may write to the scratch repository: a `POST` that opens an
 * upload session (cancelled again). Reads the session's `OCI-Chunk-Min-Length`.
 */
export async function probePush(session: DoctorSession, knowledge: UploadKnowledge): Promise<Probe> {
  const scratch = session.target.scratchRepository;
  try {
    const location = await startUpload(session);
    await cancel(session, location.url);
    if (location.chunkMinLength !== undefined) knowledge.chunkMinLength = location.chunkMinLength;
    return ok("push", `may push to ${scratch} (POST of an upload session answered 202)`, {
      facts: { chunkMinLength: location.chunkMinLength ?? null },
    });
  } catch (error) {
    const denied =
      (error instanceof Refused && (error.status === 401 || error.status === 403)) ||
      (isTofuOciError(error) && error.code === "unauthorized");
    const hint =
      "Use credentials that may push to the scratch repository (e.g. GHCR write:packages, GitLab write_registry, a Harbor " +
      "robot account with push, ACR content/write), name one they may push to with --scratch-repository, or add --read-only.";
    if (denied)
      return fail(
        "push",
        "unauthorized",
        `cannot push to ${scratch}: ${error instanceof Refused ? error.message : (error as Error).message}`,
        { hint, ...wordsOf(error) },
      );
    if (error instanceof Refused)
      return fail("push", "verification-failed", `cannot push to ${scratch}: ${error.message}`, {
        hint,
        ...wordsOf(error),
      });
    return failFrom("push", `opening an upload session in ${scratch}`, error, { hint });
  }
}

/** `upload-monolithic`: a POST then one PUT with the whole blob, which is how tofu-oci uploads (core's client). */
export async function probeMonolithic(session: DoctorSession): Promise<Probe> {
  const repository = new RemoteRepository(session.client, session.registry, session.target.scratchRepository, {
    chunkSize: Number.MAX_SAFE_INTEGER,
  });
  const { bytes, descriptor } = randomBlob(MONOLITHIC_SIZE);
  const what = `POST, then one PUT of ${binarySize(MONOLITHIC_SIZE)}`;
  try {
    await repository.push(descriptor, bytes, session.signal ? { signal: session.signal } : {});
    session.wrote({ repository: session.target.scratchRepository, kind: "blob", digest: descriptor.digest });
    if (!(await repository.exists(descriptor, session.signal ? { signal: session.signal } : {}))) {
      return fail("upload-monolithic", "network", `${what} answered 201, but the blob is not there`, {
        hint: "The registry loses uploads; report it to its operators.",
      });
    }
    return ok("upload-monolithic", `${what}: accepted (how tofu-oci uploads)`);
  } catch (error) {
    return failFrom("upload-monolithic", what, error, {
      hint: "tofu-oci uploads every blob this way; check the registry's logs and limits (body size of a proxy in front of it).",
    });
  }
}

/** `upload-streamed`: docker's way, one PATCH of the whole blob without Content-Length, then an empty PUT. */
export async function probeStreamed(session: DoctorSession, knowledge: UploadKnowledge): Promise<Probe> {
  const { bytes, descriptor } = randomBlob(STREAMED_SIZE);
  const what = `one PATCH of ${binarySize(STREAMED_SIZE)} without Content-Length, then an empty PUT`;
  let status = 0;
  try {
    await uploadInParts(
      session,
      descriptor,
      [{ body: Readable.from(slices(bytes, MiB)) }],
      Buffer.alloc(0),
      (patch) => (status = patch),
    );
    return ok("upload-streamed", `${what}: accepted${status === 201 ? " (the PATCH answered 201, not 202)" : ""}`, {
      facts: { patchStatus: status },
    });
  } catch (error) {
    if (!(error instanceof Refused)) return warnFrom("upload-streamed", what, error);
    const refusal = chunkRefusal(error.status, error.words, STREAMED_SIZE);
    if ("maxBytes" in refusal) knowledge.maxPatch = refusal.maxBytes;
    const limit = "maxBytes" in refusal ? `: PATCH bodies are limited to about ${binarySize(refusal.maxBytes)}` : "";
    return warn("upload-streamed", `${what}: refused, ${error.message}${limit}`, {
      words: error.words,
      hint: "tofu-oci does not upload this way; docker push and tools that stream one PATCH fail here.",
      facts: { maxPatchBytes: "maxBytes" in refusal ? refusal.maxBytes : null },
    });
  }
}

/**
 * `upload-chunked`: a resumable upload in PATCH chunks with Content-Range (offsets tracked here,
 * never read back from `Range`), the last bytes sent with the PUT. Starts with 1 MiB chunks (or
 * the registry's `OCI-Chunk-Min-Length`, or under a limit learned already) and learns from a
 * refusal: a body limit (GHCR's 4 MiB 416), a minimum part (ECR's 5 MiB), or no chunks at all.
 */
export async function probeChunked(session: DoctorSession, knowledge: UploadKnowledge): Promise<Probe> {
  let min = knowledge.chunkMinLength ?? 0;
  let max = knowledge.maxPatch ?? Number.POSITIVE_INFINITY;
  const lessons: string[] = [];
  if (knowledge.chunkMinLength)
    lessons.push(
      `the registry asks for chunks of at least ${binarySize(knowledge.chunkMinLength)} (OCI-Chunk-Min-Length)`,
    );
  if (knowledge.maxPatch)
    lessons.push(`PATCH bodies over about ${binarySize(knowledge.maxPatch)} are refused (see upload-streamed)`);
  let chunk = Math.min(Math.max(FIRST_CHUNK, min), max);
  for (let attempt = 1; attempt <= CHUNK_ATTEMPTS; attempt++) {
    const { bytes, descriptor } = randomBlob(2 * chunk + TAIL);
    const parts = [
      { start: 0, end: chunk },
      { start: chunk, end: 2 * chunk },
    ].map(({ start, end }) => ({ body: bytes.subarray(start, end), range: `${start}-${end - 1}` }));
    let status = 0;
    try {
      await uploadInParts(session, descriptor, parts, bytes.subarray(2 * chunk), (patch) => (status = patch));
      const facts: Facts = {
        chunkBytes: chunk,
        minChunkBytes: min || null,
        maxChunkBytes: Number.isFinite(max) ? max : null,
        patchStatus: status,
      };
      const learned = lessons.length > 0 ? `; ${lessons.join("; ")}` : "";
      return ok(
        "upload-chunked",
        `2 PATCH chunks of ${binarySize(chunk)} with Content-Range, the last bytes in the PUT: accepted${status === 201 ? " (PATCH answered 201)" : ""}${learned}`,
        { facts },
      );
    } catch (error) {
      if (!(error instanceof Refused)) return warnFrom("upload-chunked", `chunks of ${binarySize(chunk)}`, error);
      const refusal = chunkRefusal(error.status, error.words, chunk);
      if ("maxBytes" in refusal) {
        max = Math.min(max, refusal.maxBytes);
        lessons.push(`chunks of ${binarySize(chunk)} were refused (${error.message}), so at most ${binarySize(max)}`);
      } else if ("minBytes" in refusal) {
        min = Math.max(min, refusal.minBytes);
        lessons.push(
          `chunks of ${binarySize(chunk)} were refused (${error.message}), so non-final chunks need at least ${binarySize(min)}`,
        );
      } else {
        return warn("upload-chunked", `chunked uploads refused: ${error.message}`, {
          words: error.words,
          hint: "tofu-oci uploads in one PUT by default, which works here; resumable chunked uploads do not.",
          facts: { chunked: false },
        });
      }
      const next = Math.min(Math.max(chunk, min), max);
      if (next === chunk || min > max) break;
      chunk = next;
    }
  }
  return warn("upload-chunked", `no chunk size worked: ${lessons.join("; ")}`, {
    facts: { chunked: false, minChunkBytes: min || null, maxChunkBytes: Number.isFinite(max) ? max : null },
  });
}

interface Part {
  body: Uint8Array | Readable;
  /** `start-end` for Content-Range; absent for a streamed part. */
  range?: string;
}

/** POST, the PATCH parts, then the PUT with `last` as its body; checks the blob is there and notes it for the clean-up. */
async function uploadInParts(
  session: DoctorSession,
  descriptor: Descriptor,
  parts: Part[],
  last: Uint8Array,
  onPatch: (status: number) => void,
): Promise<void> {
  const scratch = session.target.scratchRepository;
  let { url } = await startUpload(session);
  try {
    for (const [index, part] of parts.entries()) {
      const headers: Record<string, string> = { "content-type": OCTETS };
      if (part.range)
        Object.assign(headers, {
          "content-range": part.range,
          "content-length": String((part.body as Uint8Array).length),
        });
      const response = await session.send("PATCH", scratch, url, { scope: "push", headers, body: part.body });
      if (response.status !== 202 && response.status !== 201)
        throw new Refused(`PATCH ${index + 1} of ${parts.length}`, response.status, await responseWords(response));
      onPatch(response.status);
      url = await nextLocation(response, url);
    }
    const put = new URL(url);
    put.searchParams.set("digest", descriptor.digest);
    const response = await session.send("PUT", scratch, put, {
      scope: "push",
      headers: { "content-type": OCTETS, "content-length": String(last.length) },
      body: last,
    });
    if (response.status !== 201) throw new Refused("the final PUT", response.status, await responseWords(response));
    await response.body.dump();
  } catch (error) {
    await cancel(session, url);
    throw error;
  }
  session.wrote({ repository: scratch, kind: "blob", digest: descriptor.digest });
  const head = await session.send("HEAD", scratch, session.url(scratch, `blobs/${descriptor.digest}`));
  await head.body.dump();
  if (head.status !== 200)
    throw new Refused("a HEAD of the uploaded blob", head.status, "the upload was accepted, but the blob is not there");
}

/** Opens an upload session in the scratch repository: its URL and `OCI-Chunk-Min-Length`. */
async function startUpload(session: DoctorSession): Promise<{ url: URL; chunkMinLength?: number }> {
  const scratch = session.target.scratchRepository;
  const start = session.url(scratch, "blobs/uploads/");
  const response = await session.send("POST", scratch, start, { scope: "push", retry: true });
  if (response.status !== 202)
    throw new Refused("the POST that opens an upload", response.status, await responseWords(response));
  const url = await nextLocation(response, start);
  const minimum = Number(header(response.headers, "oci-chunk-min-length"));
  return Number.isInteger(minimum) && minimum > 0 ? { url, chunkMinLength: minimum } : { url };
}

async function nextLocation(response: HttpResponse, current: URL): Promise<URL> {
  const location = header(response.headers, "location");
  await response.body.dump();
  return location ? new URL(location, response.url) : current;
}

/** Cancels an upload session; an abandoned one expires on its own, so failures do not matter. */
async function cancel(session: DoctorSession, url: URL): Promise<void> {
  try {
    const response = await session.send("DELETE", session.target.scratchRepository, url, { scope: "push" });
    await response.body.dump();
  } catch {
    // The session expires by itself.
  }
}

function randomBlob(size: number): { bytes: Buffer; descriptor: Descriptor } {
  const bytes = randomBytes(size);
  return { bytes, descriptor: { mediaType: OCTETS, digest: sha256Digest(bytes), size } };
}

function* slices(bytes: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

function wordsOf(error: unknown): { words?: string } {
  return error instanceof Refused && error.words ? { words: error.words } : {};
}
