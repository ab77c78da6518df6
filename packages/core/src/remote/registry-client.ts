import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { createSecureContext, rootCertificates, type SecureContext } from "node:tls";
import type { Agent, Dispatcher } from "undici";
import type { CredentialProvider } from "../credentials.js";
import { TofuOciError } from "../errors.js";
import { authenticating, type TokenCache } from "./authenticator.js";
import {
  dispatcherSend,
  retrying,
  type HttpResponse,
  type RegistryRequest,
  type RetryOptions,
  type Send,
} from "./http.js";
import type { RegistryKnowledge } from "./registry-knowledge.js";
import { newAgent } from "./undici-agent.js";
import { memoryUploadSessions, type UploadSessionStore } from "./upload-sessions.js";

export type { RegistryRequest } from "./http.js";

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
  /** Authorization headers to share between clients. Default: one cache per client. */
  tokenCache?: TokenCache;
  /** Connections per registry; requests beyond it queue. Default 8. */
  connections?: number;
  /** An undici dispatcher to use instead of the client's own connection pool. */
  dispatcher?: Dispatcher;
  /** Retries, backoff and the retry deadline (see RetryBudget). */
  retry?: RetryOptions;
  /** Connection timeout. Default 15 s. */
  connectTimeoutMs?: number;
  /**
   * Longest silence while waiting for headers or body bytes; with the retry budget it bounds how
   * long a stalled registry can hold a run (config key idleTimeoutMs). Default 60 s.
   */
  idleTimeoutMs?: number;
  /** The User-Agent header. Default `tofu-oci`. */
  userAgent?: string;
  /**
   * Resumable content (files, bytes) larger than this is uploaded in PATCH chunks of this size
   * (adjusted to the limits the registry teaches), so an interrupted upload continues where it
   * stopped. Default: none, one PUT per blob, which every registry takes (see the README).
   */
  chunkSize?: number;
  /** Where chunked upload sessions are remembered; a file store lets a later run resume. Default: memory. */
  uploadSessions?: UploadSessionStore;
  /** Receives one line per request and retry, for --verbose. Never given secrets. */
  log?: (line: string) => void;
}

/**
 * Shared state for talking to registries: the connection pool (undici keeps connections alive
 * and reuses them), TLS settings, and the auth flow with its token cache.
 */
export class RegistryClient {
  /** The options the client was made with. */
  readonly options: RegistryClientOptions;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #send: Send<RegistryRequest>;
  /** Where chunked upload sessions are remembered (`options.uploadSessions`, else memory). */
  readonly uploadSessions: UploadSessionStore;
  readonly #knowledge = new Map<string, RegistryKnowledge>();

  constructor(options: RegistryClientOptions = {}) {
    this.options = options;
    this.#ownsDispatcher = !options.dispatcher;
    this.#dispatcher = options.dispatcher ?? registryDispatcher(options);
    this.uploadSessions = options.uploadSessions ?? memoryUploadSessions();
    const { log } = options;
    const base = dispatcherSend(this.#dispatcher, { userAgent: options.userAgent ?? "tofu-oci", log });
    const auth = authenticating(base, {
      ...(options.credentials ? { credentials: options.credentials } : {}),
      ...(options.tokenCache ? { cache: options.tokenCache } : {}),
      allowInsecureRealm: (options.plainHttp ?? false) || (options.insecure ?? false),
    });
    this.#send = retrying(auth, { ...options.retry, log });
  }

  /** `https://HOST` or `http://HOST` with `--plain-http`. */
  baseUrl(registry: string): URL {
    return new URL(`${this.options.plainHttp ? "http" : "https"}://${registry}`);
  }

  /**
   * What this client learned about a registry (`HOST[:PORT]`) from its answers: chunk limits,
   * refused chunked uploads, the referrers API. Shared by every repository of the registry.
   */
  knowledge(registry: string): RegistryKnowledge {
    let known = this.#knowledge.get(registry);
    if (!known) this.#knowledge.set(registry, (known = {}));
    return known;
  }

  /** Sends a request, answering auth challenges and retrying transient failures. */
  send(request: RegistryRequest): Promise<HttpResponse> {
    return this.#send(request);
  }

  /** Closes the connection pool the client made; a given `dispatcher` stays open. */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }
}

/**
 * The connection pool of a registry client: keep-alive connections (at most `connections` per
 * origin), the timeouts, and the TLS settings (`insecure`, `caFile` added to the system CAs).
 * @throws TofuOciError "invalid-input" when the CA file cannot be read.
 */
export function registryDispatcher(options: Omit<RegistryClientOptions, "dispatcher"> = {}): Agent {
  const idle = options.idleTimeoutMs ?? 60_000;
  return newAgent({
    connections: options.connections ?? 8,
    keepAliveTimeout: 30_000,
    headersTimeout: idle,
    bodyTimeout: idle,
    connect: {
      timeout: options.connectTimeoutMs ?? 15_000,
      rejectUnauthorized: !options.insecure,
      // One TLS context for every connection: a `ca` list given per connection is parsed again
      // each time (all the system roots, ~10-80 ms of CPU per connection).
      ...(options.caFile ? { secureContext: trustingCaFile(options.caFile) } : {}),
    },
  });
}

const caContexts = new Map<string, SecureContext>();

/** A TLS context trusting the system CAs and the CA file's, made once per file content in a process. */
function trustingCaFile(path: string): SecureContext {
  const pem = readCaFile(path);
  let context = caContexts.get(pem);
  if (!context) caContexts.set(pem, (context = createSecureContext({ ca: [...rootCertificates, pem] })));
  return context;
}

/** The CA file's certificates (added to the system ones, as ORAS does). */
function readCaFile(path: string): string {
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
  return pem;
}

function hasCertificate(pem: string): boolean {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}
