import { createHash } from "node:crypto";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Readable } from "node:stream";

/** An HTTP answer on its way to the client: from the registry (streamed or buffered) or made by the front. */
export interface Answer {
  status: number;
  headers: OutgoingHttpHeaders;
  /** The body, when buffered or made here. */
  body?: Buffer;
  /** The registry's body, still streaming. */
  stream?: Readable;
  /** True when the registry behind the front produced it. */
  fromRegistry?: boolean;
}

/** An answer with a JSON body. */
export function jsonAnswer(status: number, value: unknown, headers: OutgoingHttpHeaders = {}): Answer {
  return textAnswer(status, JSON.stringify(value), "application/json; charset=utf-8", headers);
}

/** An answer with a text body of the given type. */
export function textAnswer(
  status: number,
  text: string,
  contentType: string,
  headers: OutgoingHttpHeaders = {},
): Answer {
  return { status, headers: { "content-type": contentType, ...headers }, body: Buffer.from(text) };
}

/** The spec's error shape: `{"errors":[{"code","message","detail"}]}`. */
export function specError(
  status: number,
  code: string,
  message: string,
  detail?: unknown,
  headers: OutgoingHttpHeaders = {},
): Answer {
  return jsonAnswer(status, { errors: [{ code, message, ...(detail === undefined ? {} : { detail }) }] }, headers);
}

/** Reads the whole body of an answer (once); later calls return the same bytes. */
export async function answerBody(answer: Answer): Promise<Buffer> {
  if (answer.stream) {
    answer.body = await readAll(answer.stream);
    answer.stream = undefined;
  }
  return answer.body ?? Buffer.alloc(0);
}

/** Replaces the body of an answer and fixes its Content-Length. */
export function setBody(answer: Answer, body: Buffer | string, contentType?: string): void {
  answer.stream?.resume();
  answer.stream = undefined;
  answer.body = Buffer.from(body);
  if (contentType) answer.headers["content-type"] = contentType;
  answer.headers["content-length"] = answer.body.length;
}

/** Writes an answer to the client. */
export function sendAnswer(res: ServerResponse, answer: Answer): void {
  const headers = { ...answer.headers };
  delete headers["transfer-encoding"];
  delete headers.connection;
  delete headers["keep-alive"];
  if (answer.body) headers["content-length"] = answer.body.length;
  res.writeHead(answer.status, headers);
  if (answer.stream) {
    answer.stream.on("error", () => res.destroy());
    answer.stream.pipe(res);
  } else res.end(answer.body);
}

/** Reads a stream to its end, failing past `limit` bytes. */
export function readAll(stream: Readable, limit = 64 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stream.destroy();
        reject(new Error(`body over ${limit} bytes`));
      } else chunks.push(chunk);
    });
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

/** The first value of a request header. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `sha256:<hex>` of bytes. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** A duration the way Go's time.Duration prints it (`10.305464ms`, `1.5s`), as GHCR puts it in 429 messages. */
export function goDuration(ms: number): string {
  if (ms <= 0) return "0s";
  if (ms < 1) return `${trimDecimals((ms * 1000).toFixed(3))}µs`;
  if (ms < 1000) return `${trimDecimals(ms.toFixed(6))}ms`;
  return `${trimDecimals((ms / 1000).toFixed(9))}s`;
}

function trimDecimals(text: string): string {
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

/** A WWW-Authenticate challenge: its scheme as written and its parameters. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses one challenge, e.g. `Bearer realm="...",service="...",scope="..."`. */
export function parseChallenge(value: string): Challenge {
  const space = value.indexOf(" ");
  const scheme = space < 0 ? value : value.slice(0, space);
  const params: Record<string, string> = {};
  for (const match of value.slice(space + 1).matchAll(/([a-zA-Z_]+)="([^"]*)"/g))
    params[match[1]!.toLowerCase()] = match[2]!;
  return { scheme, params };
}

/** Writes a challenge back, parameters in the given order. */
export function formatChallenge({ scheme, params }: Challenge): string {
  const list = Object.entries(params).map(([key, value]) => `${key}="${value}"`);
  return list.length === 0 ? scheme : `${scheme} ${list.join(",")}`;
}
