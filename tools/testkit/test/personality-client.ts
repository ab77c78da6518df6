// Raw HTTP for the personality tests: node:http(s) with nothing added, and a careful client
// written from the distribution spec (not tofu-oci's client) that every personality must serve.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import type { Readable } from "node:stream";
import { parseChallenge } from "../src/personalities/answer.js";
import type { RunningPersonality } from "../src/index.js";

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
export const OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
export const ALL_MANIFEST_TYPES = [
  OCI_MANIFEST,
  OCI_INDEX,
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
].join(", ");

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** The body as JSON; throws when it is not. */
  json<T = Record<string, unknown>>(): T;
  /** The `errors[0].code` of a spec error body, if any. */
  code?: string;
}

export interface RawOptions {
  method?: string;
  headers?: OutgoingHttpHeaders;
  /** A buffer goes with Content-Length; a stream goes chunked, without Content-Length. */
  body?: Buffer | string | Readable;
  /** CA certificate file for https. */
  ca?: string;
}

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

function reply(status: number, headers: IncomingHttpHeaders, body: Buffer): Reply {
  const text = body.toString("utf8");
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { errors?: { code?: string }[] }).errors?.[0]?.code;
  } catch {
    code = undefined;
  }
  return { status, headers, body, text, code, json: <T>() => JSON.parse(text) as T };
}

/** One HTTP exchange exactly as given: no redirects followed, no headers added but Host and Content-Length. */
export function raw(url: string | URL, options: RawOptions = {}): Promise<Reply> {
  const target = new URL(url);
  const request = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: options.method ?? "GET",
        headers: options.headers,
        agent: false,
        ca: options.ca ? readFileSync(options.ca) : undefined,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve(reply(res.statusCode ?? 0, res.headers, Buffer.concat(chunks))));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    const { body } = options;
    if (body === undefined || typeof body === "string" || Buffer.isBuffer(body)) req.end(body);
    else body.pipe(req);
  });
}

/** A request written byte for byte on a plain socket, e.g. a POST without Content-Length. */
export function rawSocket(host: string, lines: string[]): Promise<Reply> {
  const [hostname, port] = host.split(":");
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname!, () =>
      socket.end(`${[...lines, `Host: ${host}`, "Connection: close"].join("\r\n")}\r\n\r\n`),
    );
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      const [statusLine, ...headerLines] = text.slice(0, split).split("\r\n");
      const headers: IncomingHttpHeaders = {};
      for (const line of headerLines)
        headers[line.slice(0, line.indexOf(":")).toLowerCase()] = line.slice(line.indexOf(":") + 1).trim();
      resolve(reply(Number(statusLine!.split(" ")[1]), headers, Buffer.from(text.slice(split + 4))));
    });
  });
}

/**
 * A client that follows the distribution spec carefully: answers Basic and Bearer challenges
 * (schemes compared case-insensitively, realm wherever it is, token read from `token` or
 * `access_token` whatever the Content-Type), keeps no cookies, sends Content-Length: 0 on empty
 * requests and an Accept per endpoint, uses upload Locations verbatim (resolved, digest added as
 * a URL parameter), accepts only 201 for a finished upload, follows redirects dropping
 * Authorization when the host changes, follows Link for tags, and checks every digest.
 */
export class CarefulClient {
  readonly #front: RunningPersonality;
  readonly #credentials?: { username: string; password: string };
  readonly #tokens = new Map<string, string>();
  #basic?: string;

  constructor(front: RunningPersonality, credentials = front.credentials) {
    this.#front = front;
    this.#credentials = credentials;
  }

  /** A request to the registry with authentication, retried once after a challenge. */
  async request(
    method: string,
    target: string | URL,
    options: { headers?: OutgoingHttpHeaders; body?: Buffer; scope?: string } = {},
  ): Promise<Reply> {
    const url = new URL(target, this.#front.url);
    const send = () =>
      raw(url, {
        method,
        headers: { ...this.#authorization(options.scope), ...options.headers },
        body: options.body ?? (method === "GET" || method === "HEAD" ? undefined : Buffer.alloc(0)),
        ca: this.#front.caFile,
      });
    const first = await send();
    if (first.status !== 401 || !first.headers["www-authenticate"]) return first;
    await this.#answerChallenge(String(first.headers["www-authenticate"]), options.scope);
    return send();
  }

  /** The Authorization header for a scope (a pull or push token), fetched through a challenge of `/v2/`. */
  async authHeaders(scope: string): Promise<OutgoingHttpHeaders> {
    if (!this.#tokens.has(scope) && !this.#basic) {
      const ping = await raw(new URL("/v2/", this.#front.url), { ca: this.#front.caFile });
      if (ping.status === 401) await this.#answerChallenge(String(ping.headers["www-authenticate"]), scope, true);
    }
    return this.#authorization(scope);
  }

  #authorization(scope?: string): OutgoingHttpHeaders {
    const token = scope === undefined ? undefined : this.#tokens.get(scope);
    if (token) return { authorization: `Bearer ${token}` };
    return this.#basic ? { authorization: this.#basic } : {};
  }

  async #answerChallenge(value: string, scope: string | undefined, preferOwnScope = false): Promise<void> {
    const challenge = parseChallenge(value);
    if (!this.#credentials) throw new Error(`challenge ${value} but no credentials`);
    const basic = `Basic ${Buffer.from(`${this.#credentials.username}:${this.#credentials.password}`).toString(
      "base64",
    )}`;
    if (challenge.scheme.toLowerCase() === "basic") {
      this.#basic = basic;
      return;
    }
    const wanted = (preferOwnScope ? scope : (challenge.params.scope ?? scope)) ?? "";
    const query = new URLSearchParams({ service: challenge.params.service ?? "" });
    for (const one of wanted.split(" ").filter(Boolean)) query.append("scope", one);
    const answer = await raw(`${challenge.params.realm}?${query}`, {
      headers: { authorization: basic },
      ca: this.#front.caFile,
    });
    if (answer.status !== 200) throw new Error(`token request failed: ${answer.status} ${answer.text}`);
    const { token, access_token } = answer.json<{ token?: string; access_token?: string }>();
    this.#tokens.set(scope ?? "", (token ?? access_token)!);
  }

  /** POST, then PUT the whole blob to the Location; returns the digest. */
  async uploadBlob(repo: string, bytes: Buffer): Promise<string> {
    const scope = `repository:${repo}:pull,push`;
    const digest = sha256(bytes);
    const start = await this.request("POST", `/v2/${repo}/blobs/uploads/`, { scope, headers: { "content-length": 0 } });
    if (start.status !== 202) throw new Error(`POST upload: ${start.status} ${start.text}`);
    const location = new URL(String(start.headers.location), new URL(`/v2/${repo}/blobs/uploads/`, this.#front.url));
    location.searchParams.set("digest", digest);
    const put = await this.request("PUT", location, {
      scope,
      body: bytes,
      headers: { "content-type": "application/octet-stream" },
    });
    if (put.status !== 201) throw new Error(`PUT upload: ${put.status} ${put.text}`);
    return digest;
  }

  /** PUTs a manifest under a tag or digest; returns the answer. */
  putManifest(repo: string, reference: string, manifest: Buffer, mediaType = OCI_MANIFEST): Promise<Reply> {
    return this.request("PUT", `/v2/${repo}/manifests/${reference}`, {
      scope: `repository:${repo}:pull,push`,
      body: manifest,
      headers: { "content-type": mediaType },
    });
  }

  /** GETs a manifest with every type in Accept and checks its digest (computed when the header is missing). */
  async getManifest(repo: string, reference: string): Promise<{ bytes: Buffer; digest: string; reply: Reply }> {
    const got = await this.request("GET", `/v2/${repo}/manifests/${reference}`, {
      scope: `repository:${repo}:pull`,
      headers: { accept: ALL_MANIFEST_TYPES },
    });
    if (got.status !== 200) throw new Error(`GET manifest: ${got.status} ${got.text}`);
    const digest = sha256(got.body);
    const header = got.headers["docker-content-digest"];
    if ((header !== undefined && header !== digest) || (reference.includes(":") && reference !== digest))
      throw new Error(`manifest digest mismatch: ${header} ${digest}`);
    return { bytes: got.body, digest, reply: got };
  }

  /** GETs a blob, following redirects (Authorization dropped on another host), and checks its digest. */
  async getBlob(
    repo: string,
    digest: string,
    headers: OutgoingHttpHeaders = {},
  ): Promise<{ bytes: Buffer; hops: string[] }> {
    const scope = `repository:${repo}:pull`;
    let url = new URL(`/v2/${repo}/blobs/${digest}`, this.#front.url);
    let answer = await this.request("GET", url, { scope, headers });
    const hops: string[] = [];
    for (let hop = 0; [301, 302, 303, 307, 308].includes(answer.status) && hop < 5; hop++) {
      const next = new URL(String(answer.headers.location), url);
      hops.push(next.href);
      const sameOrigin = next.origin === url.origin;
      answer = await raw(next, {
        headers: { ...headers, ...(sameOrigin ? this.#authorization(scope) : {}) },
        ca: this.#front.caFile,
      });
      url = next;
    }
    if (answer.status !== 200 && answer.status !== 206) throw new Error(`GET blob: ${answer.status} ${answer.text}`);
    if (answer.status === 200 && sha256(answer.body) !== digest) throw new Error("blob digest mismatch");
    return { bytes: answer.body, hops };
  }

  /** Lists tags, `n` per page, following Link until it is absent; fails on a repeated page. */
  async listTags(repo: string, n?: number): Promise<{ tags: string[]; pages: number }> {
    let url: URL | undefined = new URL(`/v2/${repo}/tags/list${n === undefined ? "" : `?n=${n}`}`, this.#front.url);
    const tags: string[] = [];
    const seen = new Set<string>();
    let pages = 0;
    while (url) {
      const page = await this.request("GET", url, {
        scope: `repository:${repo}:pull`,
        headers: { accept: "application/json" },
      });
      if (page.status !== 200) throw new Error(`tags list: ${page.status} ${page.text}`);
      if (seen.has(page.text)) throw new Error("tags list repeats a page");
      seen.add(page.text);
      pages++;
      tags.push(...(page.json<{ tags: string[] | null }>().tags ?? []));
      const next = /<([^>]+)>;\s*rel="next"/.exec(String(page.headers.link ?? ""))?.[1];
      url = next ? new URL(next, url) : undefined;
    }
    return { tags, pages };
  }
}

/**
 * A small image: one layer, an OCI config with history (Artifactory needs it), a manifest with a top-level mediaType.
 */
export function smallImage(
  seed: string,
  extra: Record<string, unknown> = {},
): { layer: Buffer; config: Buffer; manifest: Buffer } {
  const layer = Buffer.from(`layer ${seed} `.repeat(200));
  const config = Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      rootfs: { type: "layers", diff_ids: [sha256(layer)] },
      history: [{ created_by: seed }],
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: sha256(config), size: config.length },
      layers: [{ mediaType: OCI_LAYER, digest: sha256(layer), size: layer.length }],
      ...extra,
    }),
  );
  return { layer, config, manifest };
}
