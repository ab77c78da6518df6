import type { Readable } from "node:stream";
import {
  RegistryClient,
  TokenCache,
  registryDispatcher,
  type HttpResponse,
  type RegistryClientOptions,
} from "@tofu-oci/core/remote";
import type { Dispatcher } from "undici";
import { observedDispatcher, type Observation } from "./observed-dispatcher.js";
import type { DoctorTarget } from "./target.js";

/** Something a run wrote to the registry, to delete again at the end. */
export interface Written {
  repository: string;
  kind: "blob" | "manifest";
  digest: string;
  /** Tags pointing at a manifest, for the report of what was left. */
  tags?: string[];
}

/** A request of a probe: where, with which scope, and what it sends. */
export interface ProbeRequest {
  /** The token scope the request needs on its repository: pull (default), push, or none (`GET /v2/`). */
  scope?: "pull" | "push" | "none";
  headers?: Record<string, string>;
  body?: Uint8Array | Readable;
  /** Retry transient failures. Default: GET and HEAD only, as core does. */
  retry?: boolean;
  extraScopes?: string[];
}

/**
 * The shared state of one doctor run: one connection pool whose responses are observed, one
 * token cache, and core's registry client over them. Probes send their few raw requests through
 * `send` (core's auth and retry layers); push, verify and attach get `clientOptions`, so they
 * share the connections, the tokens and the observations.
 */
export class DoctorSession {
  readonly target: DoctorTarget;
  readonly options: RegistryClientOptions;
  readonly observations: Observation[] = [];
  readonly written: Written[] = [];
  readonly signal: AbortSignal | undefined;
  readonly dispatcher: Dispatcher;
  readonly clientOptions: RegistryClientOptions;
  readonly client: RegistryClient;
  readonly #pool: Dispatcher;

  constructor(target: DoctorTarget, options: RegistryClientOptions, signal: AbortSignal | undefined) {
    this.target = target;
    this.options = options;
    this.signal = signal;
    this.#pool = options.dispatcher ?? registryDispatcher(options);
    this.dispatcher = observedDispatcher(this.#pool, this.observations);
    this.clientOptions = {
      ...options,
      dispatcher: this.dispatcher,
      tokenCache: options.tokenCache ?? new TokenCache(),
    };
    this.client = new RegistryClient(this.clientOptions);
  }

  get registry(): string {
    return this.target.registry;
  }

  /** `https://HOST` (or `http://` with `plainHttp`). */
  get baseUrl(): URL {
    return this.client.baseUrl(this.registry);
  }

  /** The URL of `/v2/<repository>/<path>`. */
  url(repository: string, path: string): URL {
    return new URL(`/v2/${repository}/${path}`, this.baseUrl);
  }

  /** Sends one request on behalf of `repository` through core's auth and retry layers. */
  send(
    method: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE",
    repository: string,
    url: URL,
    request: ProbeRequest = {},
  ): Promise<HttpResponse> {
    const actions = request.scope === "push" ? "pull,push" : "pull";
    const own = request.scope === "none" ? [] : [`repository:${repository}:${actions}`];
    const { body } = request;
    return this.client.send({
      method,
      url,
      repository,
      scopes: [...own, ...(request.extraScopes ?? [])],
      signal: this.signal,
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.retry === undefined ? {} : { retry: request.retry }),
      ...(body === undefined ? {} : { body: () => body }),
    });
  }

  /** Notes something this run wrote, for the clean-up. */
  wrote(written: Written): void {
    this.written.push(written);
  }

  async close(): Promise<void> {
    await this.client.close();
    if (!this.options.dispatcher) await this.#pool.close();
  }
}
