import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import type { RegistryStorage } from "../registry-storage.js";
import type { Answer } from "./answer.js";
import type { Knobs, RouteKind } from "./knobs.js";
import type { Upstream } from "./upstream.js";

/** How the registry behind the front authenticates, learned from its `/v2/` answer at start. */
export type BackendAuth = { kind: "none" } | { kind: "basic" } | { kind: "token"; realm: string; service: string };

/** What the front knows of one upload session of the registry, by the registry's session id. */
export interface UploadSession {
  /** Sizes of the PATCH bodies accepted so far. */
  parts: number[];
  /** Bytes accepted so far. */
  offset: number;
  /** The Range of the first PATCH answer (ecr-range-stale). */
  firstRange?: string;
  /** Set after a failed or interrupted request (ghcr-upload-unknown-on-retry). */
  poisoned: boolean;
  /** The registry's newest Location path and query, for fronts that hide it (gar-upload-location-nonv2). */
  registryLocation?: string;
  /** The opaque id the client sees instead (gar-upload-location-nonv2). */
  opaque?: string;
}

/** The running state of one personality front, shared by its layers. */
export interface FrontContext {
  knobs: Knobs;
  upstream: Upstream;
  storage: RegistryStorage;
  /** `http(s)://127.0.0.1:PORT` of the registry host clients talk to. */
  origin: string;
  /** `127.0.0.1:PORT` */
  host: string;
  /** A second listener of the same registry (another port), for upload Locations on another host. */
  aliasOrigin?: string;
  /** Origin of the blob storage host (redirect targets), when the knobs need one. */
  storageOrigin?: string;
  /** Origin of the separate token host, when the realm lives elsewhere. */
  authOrigin?: string;
  backend: BackendAuth;
  /** The registry's own user and password. */
  registryUser?: string;
  registryPassword?: string;
  /** Key of the front's signed URLs. */
  secret: Buffer;
  sessions: Map<string, UploadSession>;
}

/** A request path, classified. `repo` and `reference` are set where the path has them. */
export interface Route {
  kind: RouteKind;
  repo?: string;
  /** Tag or digest for manifests, digest for blobs and referrers, session id for upload sessions. */
  reference?: string;
}

/** One request passing through the front. */
export interface Exchange {
  req: IncomingMessage;
  method: string;
  /** The request URL as the client sent it. */
  url: URL;
  /** The route of the path sent to the registry. */
  route: Route;
  /** What goes to the registry; layers may change it. Default body: the request itself. */
  forward: { path: string; headers: IncomingHttpHeaders; body?: Buffer | Readable };
  /** Steps run on the registry's answer, in order, before the layers' `decorate`. */
  after: Array<(answer: Answer) => void | Promise<void>>;
}

/** One concern of the front (uploads, auth, ...). */
export interface Layer {
  /** Answers the request itself, or prepares how it is forwarded (returns nothing). */
  before?(exchange: Exchange): Promise<Answer | undefined> | Answer | undefined;
  /** Changes every answer on its way out, the registry's and the layers' own. */
  decorate?(exchange: Exchange, answer: Answer): Promise<void> | void;
}

/** Classifies a `/v2/` path the way distribution's router does. */
export function parseRoute(pathname: string): Route {
  if (pathname === "/v2/" || pathname === "/v2") return { kind: "base" };
  if (pathname === "/v2/_catalog") return { kind: "catalog" };
  const match = /^\/v2\/(.+?)\/(manifests|blobs\/uploads|blobs|tags|referrers)\/(.*)$/.exec(pathname);
  if (!match) return { kind: "other" };
  const [, repo, kind, rest] = match as unknown as [string, string, string, string];
  if (kind === "manifests") return { kind: "manifest", repo, reference: rest };
  if (kind === "blobs/uploads")
    return rest === "" ? { kind: "upload-start", repo } : { kind: "upload-session", repo, reference: rest };
  if (kind === "blobs") return { kind: "blob", repo, reference: rest };
  if (kind === "referrers") return { kind: "referrers", repo, reference: rest };
  return rest === "list" ? { kind: "tags", repo } : { kind: "other" };
}

/** True for the routes a client reads (GET or HEAD of manifests, blobs, tags, referrers). */
export function isRead(exchange: Exchange): boolean {
  return (
    (exchange.method === "GET" || exchange.method === "HEAD") &&
    ["manifest", "blob", "tags", "referrers"].includes(exchange.route.kind)
  );
}

/** The session record of an upload session id, created on first use. */
export function uploadSession(front: FrontContext, id: string): UploadSession {
  let session = front.sessions.get(id);
  if (!session) front.sessions.set(id, (session = { parts: [], offset: 0, poisoned: false }));
  return session;
}
