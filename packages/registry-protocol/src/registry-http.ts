import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { TofuOciError, readAll } from "@tofu-oci/core";
import {
  dispatcherSend,
  header,
  newAgent,
  retrying,
  type HttpResponse,
  type RetryOptions,
  type Send,
} from "@tofu-oci/core/remote";
import { hostnameForComparison, hostnameForDisplay } from "@tofu-oci/opentofu";
import type { Dispatcher } from "undici";

/** How {@link RegistryHttp} connects, authenticates and retries. */
export interface RegistryHttpOptions {
  /** Allow `http:` URLs, for loopback hosts only (`--source-plain-http`). Default false. */
  plainHttp?: boolean;
  /** Use this dispatcher instead of an own connection pool. */
  dispatcher?: Dispatcher;
  /** The `Authorization: Bearer` token for a registry host's API, if any (e.g. {@link tokensFromEnv}). */
  token?: (host: string) => string | undefined;
  /** Retry timing; default core's (the same policy as every OCI registry request). */
  retry?: RetryOptions;
  /** Receives one line per request, for --verbose. */
  log?: (line: string) => void;
  /** Aborts every request and download of this client. */
  signal?: AbortSignal;
  /** The most any one download may write, whatever size it announces (`--max-download-size`). Default 1 GiB. */
  maxDownloadSize?: number;
}

/** The default cap on one download: an endless body must not fill the disk before a check fails. */
export const DEFAULT_MAX_DOWNLOAD_SIZE = 1024 ** 3;

/** A downloaded file's sha256 (hex) and size. */
export interface DownloadedFile {
  /** The hex SHA-256 of the bytes written. */
  sha256: string;
  /** The bytes written. */
  size: number;
}

/** What a GET of the registry API answered: the status, headers, body and the URL after redirects. */
export interface ApiResponse {
  /** The HTTP status; any status is returned, the caller decides. */
  status: number;
  /** The response headers, names lower case. */
  headers: HttpResponse["headers"];
  /** The body, at most the `limit` asked for. */
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: URL;
}

const USER_AGENT = "tofu-oci-mirror";

/**
 * HTTP for the registry side (provider and module registries), built from core's HTTP layers
 * (`dispatcherSend`, `retrying`) like its `RegistryClient`: small bounded GETs for the API
 * and documents, and streaming downloads to files. Only https is used, except http to loopback
 * hosts when `plainHttp` is set; credentials go to API requests only, and to a download only
 * when the registry asks for it (a module's `use_registry_credentials`).
 */
export class RegistryHttp {
  readonly #options: RegistryHttpOptions;
  readonly #dispatcher: Dispatcher;
  readonly #owned: boolean;
  readonly #send: Send;

  constructor(options: RegistryHttpOptions = {}) {
    this.#options = options;
    this.#owned = !options.dispatcher;
    this.#dispatcher =
      options.dispatcher ??
      newAgent({ connections: 8, keepAliveTimeout: 30_000, headersTimeout: 120_000, bodyTimeout: 120_000 });
    // The same layers as core's RegistryClient, without its OCI authentication: tokens are TF_TOKEN_*.
    const log = options.log;
    this.#send = retrying(dispatcherSend(this.#dispatcher, { userAgent: USER_AGENT, log }), { ...options.retry, log });
  }

  /** `https://HOST/`, or `http://HOST/` for a loopback host with `plainHttp`. */
  origin(host: string): URL {
    const url = new URL(`https://${host}/`);
    if (this.#options.plainHttp && isLoopback(url.hostname)) url.protocol = "http:";
    return url;
  }

  /** GETs an API URL with the host's token; any status is returned, the body capped at `limit`. */
  async api(url: URL, limit: number, what: string): Promise<ApiResponse> {
    const response = await this.#get(url, what, this.#authorization(url));
    const body = await readAll(response.body, limit, what, "network");
    return { status: response.status, headers: response.headers, body, url: response.url };
  }

  /** GETs a document (SHA256SUMS, signature) that must answer 200, without credentials. */
  async document(url: URL, limit: number, what: string): Promise<Buffer> {
    const response = await this.#get(url, what, {});
    if (response.status !== 200) throw await statusError(response, what);
    return readAll(response.body, limit, what, "network");
  }

  /**
   * Streams a URL into `file`, hashing on the way. Fails when the body exceeds `maxSize` (the size
   * the registry announced), or the run's `maxDownloadSize` whatever it announced.
   * `onProgress` gets the bytes written so far and the Content-Length, if the server sent one.
   */
  async download(
    url: URL,
    file: string,
    options: {
      maxSize?: number;
      onProgress?: (bytes: number, total: number | undefined) => void;
      what: string;
      withToken?: boolean;
    },
  ): Promise<DownloadedFile> {
    const response = await this.#get(url, options.what, options.withToken ? this.#authorization(url) : {});
    if (response.status !== 200) throw await statusError(response, options.what);
    const length = Number(header(response.headers, "content-length"));
    const total = Number.isSafeInteger(length) && length >= 0 ? length : undefined;
    const onProgress = options.onProgress;
    const cap = this.#options.maxDownloadSize ?? DEFAULT_MAX_DOWNLOAD_SIZE;
    const limit =
      options.maxSize !== undefined && options.maxSize <= cap
        ? { size: options.maxSize, announced: true }
        : { size: cap, announced: false };
    const meter = new HashMeter(limit, options.what, onProgress && ((bytes) => onProgress(bytes, total)));
    try {
      await pipeline(response.body, meter, createWriteStream(file), { signal: this.#options.signal });
    } catch (error) {
      if (error instanceof TofuOciError) throw error;
      throw new TofuOciError("network", `downloading ${options.what} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return { sha256: meter.hash.digest("hex"), size: meter.size };
  }

  #authorization(url: URL): Record<string, string> {
    const token = this.#options.token?.(url.host);
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  /** Closes the connection pool this client made; a given `dispatcher` stays open. */
  async close(): Promise<void> {
    if (this.#owned) await this.#dispatcher.close();
  }

  async #get(url: URL, what: string, headers: Record<string, string>): Promise<HttpResponse> {
    this.assertAllowed(url, what);
    const response = await this.#send({ method: "GET", url, headers, signal: this.#options.signal });
    // A redirect may lead anywhere; the final URL must obey the same scheme rule.
    if (response.url.href !== url.href) this.assertAllowed(response.url, what);
    return response;
  }

  /** Refuses URLs that are not https (or http to loopback with `plainHttp`). */
  assertAllowed(url: URL, what: string): void {
    if (url.protocol === "https:") return;
    if (url.protocol === "http:" && this.#options.plainHttp && isLoopback(url.hostname)) return;
    const hint =
      url.protocol === "http:"
        ? "Provider registries must use https; --source-plain-http allows http for a loopback test registry only."
        : "Provider registries serve packages over https.";
    throw new TofuOciError("network", `refusing to fetch ${what} from ${url.href}`, { hint });
  }
}

/** True for localhost, 127.0.0.0/8 and ::1. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** The error for a non-200 answer: 404 not found, 401/403 unauthorized, else a registry failure. */
export async function statusError(
  response: { status: number; body: HttpResponse["body"] | Buffer; url: URL },
  what: string,
): Promise<TofuOciError> {
  if (!Buffer.isBuffer(response.body)) await response.body.dump().catch(() => {});
  const message = `${what}: HTTP ${response.status} from ${response.url.href}`;
  if (response.status === 404) return new TofuOciError("not-found", message);
  if (response.status === 401 || response.status === 403) {
    return new TofuOciError("unauthorized", message, {
      hint: `Set TF_TOKEN_${tokenVariableHost(response.url.host)} to an API token for ${response.url.host}.`,
    });
  }
  return new TofuOciError("network", message);
}

/**
 * OpenTofu's `TF_TOKEN_<host>` API tokens from an environment, read as
 * internal/command/cliconfig/credentials.go:123 collectCredentialsFromEnv does: in a variable's
 * name `__` stands for `-` and `_` for `.`; the host may be written in Unicode or punycode, and is
 * compared in svchost's comparison form; names that are no hostname are ignored; of two
 * variables for one host, the later wins.
 */
export function tokensFromEnv(env: Record<string, string | undefined>): (host: string) => string | undefined {
  const tokens = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith("TF_TOKEN_") || value === undefined) continue;
    const host = hostnameForComparison(
      hostnameForDisplay(name.slice("TF_TOKEN_".length).replaceAll("__", "-").replaceAll("_", ".")),
    );
    if (typeof host === "string") tokens.set(host, value);
  }
  return (host) => {
    const normalized = hostnameForComparison(host);
    return tokens.get(typeof normalized === "string" ? normalized : host);
  };
}

/** The host part of OpenTofu's TF_TOKEN_<host> variable: dots become `_`, dashes `__`. */
export function tokenVariableHost(host: string): string {
  return host.replaceAll("-", "__").replaceAll(".", "_");
}

/** Counts, hashes and bounds the bytes passing through. */
class HashMeter extends Transform {
  readonly hash = createHash("sha256");
  size = 0;

  constructor(
    readonly limit: { size: number; announced: boolean },
    readonly what: string,
    readonly onProgress?: (bytes: number) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.limit.size) {
      callback(
        this.limit.announced
          ? new TofuOciError(
              "verification-failed",
              `${this.what} is larger than the ${this.limit.size} bytes the registry announced`,
            )
          : new TofuOciError(
              "network",
              `${this.what} is larger than ${this.limit.size} bytes, the most one download may write; stopped`,
              {
                hint: "A registry sent an endless or oversized body. If the package really is that big, raise --max-download-size.",
              },
            ),
      );
      return;
    }
    this.hash.update(chunk);
    this.onProgress?.(this.size);
    callback(null, chunk);
  }
}
