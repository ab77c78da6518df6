import {
  request as httpRequest,
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** What the proxy can do to one request. */
export type Fault =
  | "none"
  | "500"
  | "502"
  | "503"
  | "429"
  /** Close the connection before answering. */
  | "reset-before"
  /** Forward, then close the connection halfway through the response body. */
  | "reset-mid"
  /** Forward, then end the response early although Content-Length promised more. */
  | "truncate"
  /** Wait `stallMs` before forwarding. */
  | "stall"
  /** Forward with one byte of the response body flipped. */
  | "wrong-bytes"
  /** Close the connection after reading part of the request body (an upload cut off). */
  | "reset-upload"
  /** Forward the headers, then a few body bytes one at a time, then nothing: a body that trickles and stalls. */
  | "trickle";

export interface ScriptedFault {
  /** Matches `METHOD /path?query`. */
  match: RegExp;
  fault: Fault;
  /** How many matching requests get the fault. Default 1. */
  times?: number;
  /** Matching requests to let through untouched first. Default 0. */
  skip?: number;
}

export interface FaultProxyOptions {
  /** The registry behind the proxy, e.g. `http://127.0.0.1:5000`. Must be loopback. */
  target: string;
  /** Seed of the pseudo-random choice; the same seed gives the same faults. Default 1. */
  seed?: number;
  /** Share of requests that get a random fault. Default 0. */
  rate?: number;
  /** Faults to pick from at random. Default: 500, 502, 503, 429, reset-before, reset-mid. */
  faults?: Fault[];
  /** Faults by request pattern, applied before the random ones. */
  script?: ScriptedFault[];
  stallMs?: number;
  /** The proxy closes itself after this long. Default 10 minutes. */
  lifetimeMs?: number;
  /** Requests at most; after that every request is forwarded untouched. Default 100 000. */
  maxFaults?: number;
}

export interface FaultProxy {
  /** `127.0.0.1:PORT`, to use as the registry host. */
  host: string;
  /** Requests seen and faults injected, by kind. */
  stats: { requests: number; methods: Record<string, number>; faults: Partial<Record<Fault, number>> };
  close(): Promise<void>;
}

const DEFAULT_FAULTS: Fault[] = ["500", "502", "503", "429", "reset-before", "reset-mid"];

/**
 * An HTTP proxy on 127.0.0.1 that sits in front of a real registry and injects faults, by
 * seeded probability or by script: error statuses, 429 with Retry-After, connection resets
 * before and during bodies, truncated and corrupted bodies, stalls. It serves loopback only and
 * closes itself after `lifetimeMs`.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(target.hostname))
    throw new Error("the fault proxy only forwards to loopback");
  const random = mulberry32(options.seed ?? 1);
  const pool = options.faults ?? DEFAULT_FAULTS;
  const script = (options.script ?? []).map((entry) => ({ ...entry, skip: entry.skip ?? 0, left: entry.times ?? 1 }));
  const stats: FaultProxy["stats"] = { requests: 0, methods: {}, faults: {} };
  let budget = options.maxFaults ?? 100_000;
  const sockets = new Set<Socket>();

  const choose = (req: IncomingMessage): Fault => {
    const line = `${req.method} ${req.url}`;
    for (const entry of script) {
      if (entry.left === 0 || !entry.match.test(line)) continue;
      if (entry.skip > 0) {
        entry.skip--;
        continue;
      }
      entry.left--;
      return entry.fault;
    }
    // Draw for every request so the sequence depends only on the seed and the request order.
    const roll = random();
    const pick = pool[Math.floor(random() * pool.length)]!;
    return budget > 0 && roll < (options.rate ?? 0) ? pick : "none";
  };

  const server: Server = createServer((req, res) => {
    stats.requests++;
    stats.methods[req.method ?? "?"] = (stats.methods[req.method ?? "?"] ?? 0) + 1;
    const fault = choose(req);
    if (fault !== "none") {
      budget--;
      stats.faults[fault] = (stats.faults[fault] ?? 0) + 1;
    }
    void handle(req, res, fault);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  const handle = async (req: IncomingMessage, res: ServerResponse, fault: Fault) => {
    switch (fault) {
      case "500":
      case "502":
      case "503":
        return reply(req, res, Number(fault), {});
      case "429":
        return reply(req, res, 429, { "retry-after": "0" });
      case "reset-before":
        req.socket.destroy();
        return;
      case "reset-upload":
        return resetUpload(req);
      case "stall":
        await new Promise((resolve) => setTimeout(resolve, options.stallMs ?? 5_000));
        return forward(req, res, target, "none");
      default:
        return forward(req, res, target, fault);
    }
  };

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const lifetime = setTimeout(() => void close(), options.lifetimeMs ?? 600_000);
  lifetime.unref();
  const close = () =>
    new Promise<void>((resolve) => {
      clearTimeout(lifetime);
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, stats, close };
}

/** Answers with an error status after draining the request body. */
function reply(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>): void {
  req.resume();
  req.on("end", () => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify({ errors: [{ code: "UNAVAILABLE", message: "injected fault" }] }));
  });
}

function resetUpload(req: IncomingMessage): void {
  let seen = 0;
  req.on("data", (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > 64 * 1024) req.socket.destroy();
  });
  req.on("end", () => req.socket.destroy());
}

function forward(req: IncomingMessage, res: ServerResponse, target: URL, fault: Fault): void {
  const upstream = httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: target.host },
    },
    (response) => {
      const headers = { ...response.headers };
      // Redirects and upload Locations must keep pointing at the proxy.
      if (typeof headers.location === "string")
        headers.location = headers.location.replace(target.origin, `http://${req.headers.host}`);
      res.writeHead(response.statusCode ?? 502, headers);
      const length = Number(response.headers["content-length"] ?? 0);
      let sent = 0;
      let corrupted = false;
      let trickled = 0;
      response.on("data", (chunk: Buffer) => {
        if (fault === "trickle") {
          // Dribble the first bytes, then hold the connection open with nothing more.
          for (const byte of chunk.subarray(0, Math.max(0, 8 - trickled)))
            setTimeout(() => res.destroyed || res.write(Buffer.from([byte])), 20 * ++trickled);
          return;
        }
        if ((fault === "reset-mid" || fault === "truncate") && length > 1 && sent + chunk.length >= length / 2) {
          res.write(chunk.subarray(0, Math.max(0, Math.floor(length / 2) - sent)));
          if (fault === "reset-mid") res.socket?.destroy();
          else res.socket?.end();
          response.destroy();
          return;
        }
        if (fault === "wrong-bytes" && !corrupted && chunk.length > 0) {
          chunk = Buffer.from(chunk);
          chunk[0] = chunk[0]! ^ 0xff;
          corrupted = true;
        }
        sent += chunk.length;
        res.write(chunk);
      });
      response.on("end", () => fault === "trickle" || res.end());
      response.on("error", () => res.destroy());
    },
  );
  upstream.on("error", () => res.destroy());
  req.pipe(upstream);
}

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
