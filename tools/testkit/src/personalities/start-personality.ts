import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeServerCertificate, type CertificateFiles } from "../certificates.js";
import { RegistryStorage } from "../registry-storage.js";
import { startRegistry, type RegistryMode, type TestRegistry } from "../registry.js";
import { parseChallenge, sendAnswer, specError, type Answer } from "./answer.js";
import { ACR_REFRESH_USER, acrRefreshToken, authLayer, serveToken, tokenEndpoint } from "./auth.js";
import { blobRedirectLayer, storageHostAnswer } from "./blobs.js";
import {
  PERSONALITIES,
  personalityKnobs,
  type KnobSelection,
  type Personality,
  type PersonalityName,
} from "./catalogue.js";
import { parseRoute, type BackendAuth, type Exchange, type FrontContext, type Layer } from "./front.js";
import type { Knobs } from "./knobs.js";
import { locationLayer, registryPath } from "./locations.js";
import { manifestLayer } from "./manifests.js";
import { rateLimitLayer } from "./rate-limits.js";
import { referrersLayer } from "./referrers.js";
import { csrfLayer, missingRepositoryLayer, strictAcceptLayer } from "./request-policy.js";
import { tagsLayer } from "./tags.js";
import { uploadLayer } from "./uploads.js";
import { Upstream } from "./upstream.js";

/** What a personality needs of the registry behind it: a TestRegistry or an injected RegistryInfo. */
export type PersonalityBackend = Pick<
  TestRegistry,
  "mode" | "url" | "host" | "dataDir" | "caFile" | "username" | "password"
>;

/** Options of startPersonality. */
export interface StartPersonalityOptions extends KnobSelection {
  /** The running registry to stand in front of. Default: one started in `mode` and stopped with the front. */
  registry?: PersonalityBackend;
  /** Mode of the registry started when `registry` is not given. Default: the personality's `defaultMode`. */
  mode?: RegistryMode;
  /** Serve the registry host (and its storage and auth hosts) over TLS. Default: when the registry uses TLS. */
  tls?: boolean;
  /** The certificate to serve TLS with, e.g. one shared by many fronts. Default: a new CA and certificate. */
  certificates?: CertificateFiles;
}

/** One request the front answered. */
export interface RequestRecord {
  method: string;
  /** Path and query as the client sent them. */
  path: string;
  status: number;
}

/** A running personality: the registry host clients talk to, and how to reach it. */
export interface RunningPersonality {
  name: PersonalityName;
  personality: Personality;
  /** The knobs in effect (personality, variant, overrides). */
  knobs: Knobs;
  /** `127.0.0.1:PORT` of the registry host. */
  host: string;
  /** `http://127.0.0.1:PORT` or `https://...` */
  url: string;
  plainHttp: boolean;
  /** CA certificate of the TLS fronts. */
  caFile?: string;
  /**
   * The login that works here: the personality's user name (e.g. AWS, oauth2accesstoken) or ACR's 0000... user with a
   * refresh token.
   */
  credentials?: { username: string; password: string };
  /** The registry behind the front. */
  registry: PersonalityBackend;
  /** How that registry authenticates. */
  backendAuth: BackendAuth["kind"];
  /** Origin of the storage host blob redirects point to, when there is one. */
  storageUrl?: string;
  /** Origin of the separate token host (GitLab, Docker Hub), when there is one. */
  authUrl?: string;
  /** skopeo flags that reach the front: TLS trust and credentials. */
  skopeoFlags: string[];
  /** Requests answered so far (the last 10 000). */
  requests: RequestRecord[];
  stop(): Promise<void>;
}

interface Listener {
  origin: string;
  host: string;
  close(): Promise<void>;
}

/**
 * Starts a registry personality: an HTTP layer on 127.0.0.1 in front of the real distribution
 * registry that reproduces one registry's deviations (docs/contract/registry-quirks.md), with a
 * storage host for blob redirects and a token host where the registry's realm lives elsewhere.
 * Works in front of every registry mode: plain, tls, basic and token.
 */
export async function startPersonality(
  name: PersonalityName,
  options: StartPersonalityOptions = {},
): Promise<RunningPersonality> {
  const personality = PERSONALITIES[name];
  const knobs = personalityKnobs(name, options);
  const owned = options.registry ? undefined : await startRegistry({ mode: options.mode ?? personality.defaultMode });
  const registry: PersonalityBackend = options.registry ?? owned!;
  const workDir = mkdtempSync(join(tmpdir(), `tofu-oci-personality-${name}-`));
  const listeners: Listener[] = [];
  const upstream = new Upstream(registry.url, registry.caFile);
  const stop = async () => {
    await Promise.all(listeners.map((listener) => listener.close()));
    upstream.close();
    await owned?.stop();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const tls = options.tls ?? registry.mode === "tls";
    const certificates = tls ? (options.certificates ?? makeServerCertificate(workDir)) : undefined;
    const front = await frontContext(knobs, registry, upstream);
    let layers: Layer[] = [];
    const main = await listen((req) => handle(front, layers, req), certificates);
    listeners.push(main);
    Object.assign(front, { origin: main.origin, host: main.host });
    if (knobs.uploadLocation === "other-host") {
      const alias = await listen((req) => handle(front, layers, req), certificates);
      listeners.push(alias);
      front.aliasOrigin = alias.origin;
    }
    if (needsStorageHost(knobs)) {
      const storage = await listen(async (req) => storageHostAnswer(front, req), certificates);
      listeners.push(storage);
      front.storageOrigin = storage.origin;
    }
    if (front.backend.kind === "token" && tokenEndpoint(front).host === "auth") {
      const auth = await listen((req) => authHostAnswer(front, req), certificates);
      listeners.push(auth);
      front.authOrigin = auth.origin;
    }
    layers = [
      rateLimitLayer,
      csrfLayer,
      authLayer,
      strictAcceptLayer,
      locationLayer,
      uploadLayer,
      blobRedirectLayer,
      manifestLayer,
      referrersLayer,
      tagsLayer,
      missingRepositoryLayer,
    ].map((layer) => layer(front));
    const credentials = await loginFor(front, registry);
    return {
      name,
      personality,
      knobs,
      host: front.host,
      url: front.origin,
      plainHttp: !tls,
      caFile: certificates?.caCert,
      credentials,
      registry,
      backendAuth: front.backend.kind,
      storageUrl: front.storageOrigin,
      authUrl: front.authOrigin,
      skopeoFlags: skopeoFlags(workDir, certificates, credentials),
      requests: requestLog.get(front) ?? [],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const requestLog = new WeakMap<FrontContext, RequestRecord[]>();

async function frontContext(knobs: Knobs, registry: PersonalityBackend, upstream: Upstream): Promise<FrontContext> {
  const front: FrontContext = {
    knobs,
    upstream,
    storage: new RegistryStorage(registry.dataDir),
    origin: "",
    host: "",
    backend: await probeBackend(upstream),
    registryUser: registry.username,
    registryPassword: registry.password,
    secret: randomBytes(32),
    sessions: new Map(),
  };
  requestLog.set(front, []);
  return front;
}

/** Learns how the registry authenticates from its `/v2/` answer. */
async function probeBackend(upstream: Upstream): Promise<BackendAuth> {
  const answer = await upstream.fetch("GET", "/v2/", {});
  if (answer.status !== 401) return { kind: "none" };
  const challenge = parseChallenge(String(answer.headers["www-authenticate"] ?? ""));
  if (challenge.scheme.toLowerCase() !== "bearer") return { kind: "basic" };
  return { kind: "token", realm: challenge.params.realm ?? "", service: challenge.params.service ?? "" };
}

function needsStorageHost(knobs: Knobs): boolean {
  return (
    (knobs.blobRedirect !== undefined && knobs.blobRedirect !== "relative-same-host") ||
    knobs.referrers === "303-to-github"
  );
}

async function handle(front: FrontContext, layers: Layer[], req: IncomingMessage): Promise<Answer> {
  const url = new URL(req.url ?? "/", front.origin);
  const path = registryPath(front, url);
  const method = req.method ?? "GET";
  const exchange: Exchange = {
    req,
    method,
    url,
    route: parseRoute(path.split("?")[0]!),
    forward: { path, headers: { ...req.headers } },
    after: [],
  };
  let answer: Answer | undefined;
  for (const layer of layers) {
    answer = await layer.before?.(exchange);
    if (answer) break;
  }
  if (!answer) {
    const body = exchange.forward.body ?? (method === "GET" || method === "HEAD" ? undefined : req);
    answer = await front.upstream.send(method, exchange.forward.path, exchange.forward.headers, body);
    for (const step of exchange.after) await step(answer);
  }
  for (const layer of layers) await layer.decorate?.(exchange, answer);
  const log = requestLog.get(front)!;
  log.push({ method, path: url.pathname + url.search, status: answer.status });
  if (log.length > 10_000) log.shift();
  return answer;
}

function authHostAnswer(front: FrontContext, req: IncomingMessage): Promise<Answer> {
  const url = new URL(req.url ?? "/", front.authOrigin);
  if (url.pathname !== tokenEndpoint(front).path) return Promise.resolve(specError(404, "NOT_FOUND", "not found"));
  return serveToken(front, req, url);
}

async function loginFor(front: FrontContext, registry: PersonalityBackend): Promise<RunningPersonality["credentials"]> {
  if (front.knobs.acrRefreshTokens && front.backend.kind === "token") {
    const refreshToken = await acrRefreshToken(front);
    if (refreshToken) return { username: ACR_REFRESH_USER, password: refreshToken };
  }
  if (!registry.username || !registry.password) return undefined;
  return { username: front.knobs.username ?? registry.username, password: registry.password };
}

function skopeoFlags(
  workDir: string,
  certificates: CertificateFiles | undefined,
  credentials: RunningPersonality["credentials"],
): string[] {
  const flags = ["--tls-verify=false"];
  if (certificates) {
    const certDir = join(workDir, "skopeo-certs");
    mkdirSync(certDir, { recursive: true });
    copyFileSync(certificates.caCert, join(certDir, "ca.crt"));
    flags.splice(0, 1, "--cert-dir", certDir);
  }
  if (credentials) flags.push("--creds", `${credentials.username}:${credentials.password}`);
  return flags;
}

async function listen(
  answer: (req: IncomingMessage) => Promise<Answer>,
  certificates?: CertificateFiles,
): Promise<Listener> {
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    answer(req).then(
      (reply) => {
        sendAnswer(res, reply);
        // An answer before the end of the request body (a refusal, an early registry error): read the rest away.
        if (!req.complete) req.unpipe().resume();
      },
      (error: Error) => sendAnswer(res, specError(502, "UNAVAILABLE", `personality front: ${error.message}`)),
    );
  };
  const server: Server = certificates
    ? createHttpsServer({ cert: readFileSync(certificates.cert), key: readFileSync(certificates.key) }, onRequest)
    : createHttpServer(onRequest);
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin: `${certificates ? "https" : "http"}://${host}`,
    host,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
