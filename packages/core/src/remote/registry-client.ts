import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { Agent, type Dispatcher } from "undici";
import { anonymous, type CredentialProvider } from "../credentials.js";
import { TofuOciError } from "../errors.js";
import { Authenticator, refused } from "./authenticator.js";
import { asNetworkError, header, sendOnce, withRetry, type HttpRequest, type HttpResponse, type RetryOptions } from "./http.js";
import { memoryUploadSessions, type UploadSessionStore } from "./upload-sessions.js";
import { parseChallenge } from "./www-authenticate.js";

/** Transport, credentials and limits of a registry client (the registry flags shared with ORAS). */
export interface RegistryClientOptions {
  /** Talk HTTP instead of HTTPS (`--plain-http`). Default false. */
  plainHttp?: boolean;
  /** Skip TLS certificate verification (`--insecure`). Default false. */
  insecure?: boolean;
  /** PEM file with extra CA certificates to trust (`--ca-file`). */
  caFile?: string;
  /** Where credentials come from. Default: anonymous. */
  credentials?: CredentialProvider;
  /** Connections per registry; requests beyond it queue. Default 8. */
  connections?: number;
  /** An undici dispatcher to use instead of the client's own connection pool. */
  dispatcher?: Dispatcher;
  retry?: RetryOptions;
  /** Connection timeout. Default 15 s. */
  connectTimeoutMs?: number;
  /** Longest silence while waiting for headers or body bytes. Default 120 s. */
  idleTimeoutMs?: number;
  userAgent?: string;
  /**
   * Resumable content (files, bytes) larger than this is uploaded in PATCH chunks, so an
   * interrupted upload continues where it stopped. Default 64 MiB.
   */
  chunkSize?: number;
  /** Where chunked upload sessions are remembered; a file store lets a later run resume. Default: memory. */
  uploadSessions?: UploadSessionStore;
  /** Receives one line per request and retry, for --verbose. Never given secrets. */
  log?: (line: string) => void;
}

/** A request to a registry's `/v2/` API on behalf of one repository. */
export interface RegistryRequest extends HttpRequest {
  repository: string;
  /** Token scopes the request needs, e.g. `repository:a/b:pull`. */
  scopes: string[];
  /** Retry transient failures. Default: true for GET and HEAD. */
  retry?: boolean;
}

/**
 * Shared state for talking to registries: the connection pool (undici keeps connections alive
 * and reuses them), TLS settings, and the auth flow with its token cache.
 */
export class RegistryClient {
  readonly options: RegistryClientOptions;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #auth: Authenticator;
  readonly #userAgent: string;
  readonly uploadSessions: UploadSessionStore;

  constructor(options: RegistryClientOptions = {}) {
    this.options = options;
    this.#ownsDispatcher = !options.dispatcher;
    this.#dispatcher = options.dispatcher ?? createAgent(options);
    this.#userAgent = options.userAgent ?? "tofu-oci";
    this.uploadSessions = options.uploadSessions ?? memoryUploadSessions();
    this.#auth = new Authenticator(options.credentials ?? anonymous, (request) =>
      this.#sendLogged(request),
    );
  }

  /** `https://HOST` or `http://HOST` with `--plain-http`. */
  baseUrl(registry: string): URL {
    return new URL(`${this.options.plainHttp ? "http" : "https"}://${registry}`);
  }

  /** Sends a request, answering auth challenges and retrying transient failures. */
  async send(request: RegistryRequest): Promise<HttpResponse> {
    const retry = request.retry ?? (request.method === "GET" || request.method === "HEAD");
    const attempt = () => this.#sendAuthorized(request);
    if (!retry) return attempt().catch((error) => Promise.reject(asNetworkError(error)));
    return withRetry(attempt, {
      ...this.options.retry,
      signal: request.signal,
      onRetry: (reason, delay) => this.options.log?.(`retrying ${request.method} ${request.url.pathname} in ${Math.round(delay)} ms: ${reason}`),
    });
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  async #sendAuthorized(request: RegistryRequest): Promise<HttpResponse> {
    const host = request.url.host;
    const known = this.#auth.cached(host, request.scopes);
    const response = await this.#sendLogged(withAuthorization(request, known));
    if (response.status !== 401) return response;
    await response.body.dump();
    const challenge = parseChallenge(header(response.headers, "www-authenticate"));
    if (!challenge) throw new TofuOciError("unauthorized", `${host} answered 401 without an authentication challenge`);
    const fresh = await this.#auth.authorize(host, request.repository, challenge, request.scopes, request.signal);
    const retried = await this.#sendLogged(withAuthorization(request, fresh));
    if (retried.status === 401) {
      await retried.body.dump();
      throw refused(host);
    }
    return retried;
  }

  async #sendLogged(request: HttpRequest): Promise<HttpResponse> {
    const response = await sendOnce(this.#dispatcher, request, this.#userAgent);
    this.options.log?.(`${request.method} ${request.url.origin}${request.url.pathname} -> ${response.status}`);
    return response;
  }
}

function withAuthorization(request: HttpRequest, authorization: string | undefined): HttpRequest {
  if (!authorization) return request;
  return { ...request, headers: { ...request.headers, authorization } };
}

function createAgent(options: RegistryClientOptions): Agent {
  const idle = options.idleTimeoutMs ?? 120_000;
  return new Agent({
    connections: options.connections ?? 8,
    keepAliveTimeout: 30_000,
    headersTimeout: idle,
    bodyTimeout: idle,
    connect: {
      timeout: options.connectTimeoutMs ?? 15_000,
      rejectUnauthorized: !options.insecure,
      ...(options.caFile ? { ca: readCaFile(options.caFile) } : {}),
    },
  });
}

/** The CA file's certificates in addition to the system ones, as ORAS does. */
function readCaFile(path: string): string[] {
  let pem: string;
  try {
    pem = readFileSync(path, "utf8");
  } catch (error) {
    throw new TofuOciError("invalid-input", `cannot read the CA file ${path}: ${(error as Error).message}`, {
      hint: "--ca-file takes a PEM file with the registry's CA certificate.",
    });
  }
  // Node ignores a CA list without a certificate in it; a file of something else is a mistake.
  if (!hasCertificate(pem)) {
    throw new TofuOciError("invalid-input", `the CA file ${path} holds no PEM certificate`, {
      hint: "--ca-file takes a PEM file with the registry's CA certificate (-----BEGIN CERTIFICATE-----).",
    });
  }
  return [...rootCertificates, pem];
}

function hasCertificate(pem: string): boolean {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}
