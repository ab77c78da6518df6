import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";

// Servers that answer what no real registry sends, so the tests of what tofu-oci does with
// hostile answers need not mock the client: endless and trickling bodies, forged challenges,
// hostile JSON. They listen on 127.0.0.1 only and record every request.

/** One request a hostile server received. */
export interface SeenRequest {
  method: string;
  /** The path and query. */
  path: string;
  authorization: string | undefined;
}

/** Answers one request; it may leave the response open (a stall). */
export type HostileHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A running hostile server. */
export interface HostileServer {
  /** `127.0.0.1:PORT`. */
  host: string;
  /** `http://127.0.0.1:PORT` or `https://...`. */
  url: string;
  /** Every request so far, in order. */
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** Options of {@link startHostileServer}. */
export interface HostileServerOptions {
  /** Serve https with this certificate and key (PEM files, e.g. from makeServerCertificate). */
  tls?: { cert: string; key: string };
}

/** Starts an HTTP(S) server on 127.0.0.1 that records each request and hands it to `handler`. */
export async function startHostileServer(
  handler: HostileHandler,
  options: HostileServerOptions = {},
): Promise<HostileServer> {
  const requests: SeenRequest[] = [];
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization });
    Promise.resolve(handler(req, res)).catch(() => res.destroy());
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: readFileSync(options.tls.cert), key: readFileSync(options.tls.key) }, onRequest)
    : createServer(onRequest);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    url: `${options.tls ? "https" : "http"}://${host}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers JSON with a Content-Length. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers })
    .end(text);
}

/** Streams filler without a Content-Length until the client goes away, at most `limit` bytes (default 64 MiB). */
export function sendEndless(
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string> = {},
  limit = 64 * 1024 * 1024,
): void {
  res.writeHead(200, headers);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = () => {
    while (sent < limit && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
    res.end();
  };
  req.socket.on("close", () => res.destroy());
  pump();
}

/**
 * Sends the headers (with the full Content-Length of `body`), then `bytes` bytes of it one at a
 * time every `intervalMs`, then nothing more, holding the connection open: a body that trickles
 * and then stalls.
 */
export function sendTrickle(
  req: IncomingMessage,
  res: ServerResponse,
  body: Uint8Array,
  headers: Record<string, string> = {},
  options: { bytes?: number; intervalMs?: number } = {},
): void {
  res.writeHead(200, { "content-length": String(body.length), ...headers });
  const total = Math.min(options.bytes ?? 8, body.length - 1);
  let sent = 0;
  const timer = setInterval(() => {
    if (sent >= total || res.destroyed) return clearInterval(timer);
    res.write(body.subarray(sent, sent + 1));
    sent++;
  }, options.intervalMs ?? 20);
  req.socket.on("close", () => clearInterval(timer));
}
