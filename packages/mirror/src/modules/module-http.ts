import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { DigestMeter, TofuOciError, readAll, type DigestedContent } from "@tofu-oci/core";
import { header, sendOnce, withRetry, type HttpResponse } from "@tofu-oci/core/remote";
import { Agent, type Dispatcher } from "undici";
import { isLoopback, statusError, tokenVariableHost } from "../provider-registry/source-http.js";

/** Options of {@link ModuleHttp}. */
export interface ModuleHttpOptions {
  /** Allow `http:` to loopback hosts (`--source-plain-http`, for local test registries). Default false. */
  plainHttp?: boolean;
  /** Environment for OpenTofu's `TF_TOKEN_<host>` API tokens. */
  env?: Record<string, string | undefined>;
  dispatcher?: Dispatcher;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** A small API answer: status, headers, body and the URL after redirects. */
export interface ApiAnswer {
  status: number;
  headers: HttpResponse["headers"];
  body: Buffer;
  url: URL;
}

const USER_AGENT = "tofu-oci-mirror";
const API_LIMIT = 1024 * 1024;

/**
 * HTTP for the module registry side: bounded API GETs (with the host's `TF_TOKEN_<host>` as a
 * bearer token, as OpenTofu sends it) and streamed downloads (never with the token). Only
 * https, except http to loopback with `plainHttp`; redirects obey the same rule.
 */
export class ModuleHttp {
  readonly #options: ModuleHttpOptions;
  readonly #dispatcher: Dispatcher;

  constructor(options: ModuleHttpOptions = {}) {
    this.#options = options;
    this.#dispatcher = options.dispatcher ?? new Agent({ connections: 4, headersTimeout: 120_000, bodyTimeout: 120_000 });
  }

  /** `https://HOST/`, or `http://HOST/` for a loopback host with `plainHttp`. */
  origin(host: string): URL {
    const url = new URL(`https://${host}/`);
    if (this.#options.plainHttp && isLoopback(url.hostname)) url.protocol = "http:";
    return url;
  }

  /** GETs a registry API URL; any status is returned. */
  async api(url: URL, what: string): Promise<ApiAnswer> {
    const response = await this.#get(url, what, this.#authorization(url));
    return { status: response.status, headers: response.headers, body: await readAll(response.body, API_LIMIT, what), url: response.url };
  }

  /**
   * Streams a URL into `file`; fails past `maxSize` bytes. Returns the file's digest and size.
   * The host's token is sent only with `withToken` (a registry's `use_registry_credentials`).
   */
  async download(url: URL, file: string, what: string, options: { maxSize: number; withToken?: boolean }): Promise<DigestedContent> {
    const maxSize = options.maxSize;
    const response = await this.#get(url, what, options.withToken ? this.#authorization(url) : {});
    if (response.status !== 200) throw await statusError(response, what);
    const meter = new DigestMeter();
    let size = 0;
    response.body.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxSize) response.body.destroy(new TofuOciError("invalid-input", `${what} is larger than ${maxSize} bytes`));
    });
    await pipeline(response.body, meter, createWriteStream(file), this.#options.signal ? { signal: this.#options.signal } : {});
    return meter.result();
  }

  /** OpenTofu's `TF_TOKEN_<host>` as a bearer token, when set. */
  #authorization(url: URL): Record<string, string> {
    const token = this.#options.env?.[`TF_TOKEN_${tokenVariableHost(url.host)}`];
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  async close(): Promise<void> {
    if (!this.#options.dispatcher) await this.#dispatcher.close();
  }

  async #get(url: URL, what: string, headers: Record<string, string>): Promise<HttpResponse> {
    this.#assertAllowed(url, what);
    const signal = this.#options.signal;
    const response = await withRetry(() => sendOnce(this.#dispatcher, { method: "GET", url, headers, signal }, USER_AGENT), {
      signal,
      retries: 3,
      onRetry: (reason, delay) => this.#options.log?.(`retrying GET ${url.href} in ${Math.round(delay)} ms: ${reason}`),
    });
    this.#options.log?.(`GET ${url.href} -> ${response.status}`);
    if (response.url.href !== url.href) this.#assertAllowed(response.url, what);
    return response;
  }

  #assertAllowed(url: URL, what: string): void {
    if (url.protocol === "https:") return;
    if (url.protocol === "http:" && this.#options.plainHttp && isLoopback(url.hostname)) return;
    throw new TofuOciError("invalid-input", `refusing to fetch ${what} from ${url.href}`, {
      hint: url.protocol === "http:" ? "Only https is used; --source-plain-http allows http to a loopback test registry." : "Module packages are fetched over https.",
    });
  }
}

/** The first value of a header of an API answer. */
export function answerHeader(answer: ApiAnswer, name: string): string | undefined {
  return header(answer.headers, name);
}
