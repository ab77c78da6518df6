import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import type { Dispatcher } from "undici";
import { readAll } from "../content.js";
import { RegistryError, TofuOciError, type ErrorCode, type RegistryErrorDetail } from "../errors.js";
import { safeRemoteText } from "../remote-text.js";
import { operationBudget, RetryBudget } from "../retry-budget.js";
import { retryHint } from "./retry-hint.js";
import { httpsServerError, plainHttpServerError } from "./transport-mismatch.js";

export type Method = "GET" | "HEAD" | "PUT" | "POST" | "PATCH" | "DELETE";
export type Body = Uint8Array | string | Readable;

/** One registry request; the body is opened again for each attempt. */
export interface HttpRequest {
  /** The HTTP method. */
  method: Method;
  /** The absolute URL. */
  url: URL;
  /** Request headers, names lower case. Authorization is added by the authenticating layer. */
  headers?: Record<string, string>;
  /** Opens the body afresh for each attempt; a body sent once cannot be replayed. */
  body?: () => Body | Promise<Body>;
  /** Aborts the request, and any retry of it. */
  signal?: AbortSignal | undefined;
  /** Retry transient failures (see {@link retrying}). Default: true for GET and HEAD only. */
  retry?: boolean;
  /** Follow redirects of GET and HEAD. Default true; false returns the 3xx answer itself. */
  followRedirects?: boolean;
}

/** A request to a registry's `/v2/` API on behalf of one repository: what the auth layer needs. */
export interface RegistryRequest extends HttpRequest {
  /** The repository the request is about, which picks credentials and token scope. */
  repository: string;
  /** Token scopes the request needs, e.g. `repository:a/b:pull`. */
  scopes: string[];
}

/** A registry response, with the URL that answered. */
export interface HttpResponse {
  /** The HTTP status code. */
  status: number;
  /** Response headers, names lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The body stream; consume or dump it so the connection is reused. */
  body: Dispatcher.ResponseData["body"];
  /** The URL that answered, after redirects. */
  url: URL;
  /** The Authorization header the answered request carried, so error text can redact it; never printed. */
  authorization?: string;
}

/** Retries of requests that failed on the network, with 429 or with a 5xx status. */
export interface RetryOptions {
  /** Attempts after the first. Default 4. */
  retries?: number;
  /** First backoff delay; it doubles each attempt, with full jitter. Default 200 ms. */
  minDelayMs?: number;
  /** Longest wait, also the cap on `Retry-After`. Default 10 000 ms. */
  maxDelayMs?: number;
  /**
   * No retry starts later than this after the first failure since the last progress, so a
   * stalled registry ends the run in minutes (see RetryBudget). Default 180 000 ms.
   */
  deadlineMs?: number;
}

/**
 * Sends one request and answers with the response: the one shape every HTTP layer has, so layers
 * compose as decorators (oras-go's `auth.Client` around `retry.Client` around `http.Client`).
 */
export type Send<R extends HttpRequest = HttpRequest> = (request: R) => Promise<HttpResponse>;

const MAX_REDIRECTS = 5;
const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * Sends one request through undici, following redirects without leaking credentials. No cookie
 * is stored or sent (registry-quirks: harbor-csrf-cookie: Harbor refuses writes that send its
 * cookies back).
 */
export async function sendOnce(dispatcher: Dispatcher, request: HttpRequest, userAgent: string): Promise<HttpResponse> {
  let url = request.url;
  let headers: Record<string, string> = { "user-agent": userAgent, ...request.headers };
  for (let redirects = 0; ; redirects++) {
    const body = request.body ? await request.body() : undefined;
    const response = await dispatcher.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: request.method,
      headers,
      body: body ?? null,
      signal: request.signal ?? null,
    });
    const location = header(response.headers, "location");
    const follow = request.followRedirects !== false && ["GET", "HEAD"].includes(request.method);
    if (!isRedirect(response.statusCode) || !location || !follow) {
      const answered: HttpResponse = {
        status: response.statusCode,
        headers: response.headers,
        body: response.body,
        url,
      };
      const authorization = headers.authorization ?? headers.Authorization;
      if (authorization) answered.authorization = authorization;
      return answered;
    }
    await response.body.dump();
    if (redirects >= MAX_REDIRECTS) throw new TofuOciError("network", `too many redirects from ${request.url.origin}`);
    const next = new URL(location, url);
    if (next.protocol !== "https:" && next.protocol !== "http:") {
      throw new TofuOciError("network", `refusing a redirect to ${next.protocol} URL`);
    }
    // Credentials are for the registry; a redirect elsewhere (blob storage) gets none, and every
    // other header (Range) stays (registry-quirks: s3-one-auth-mechanism, acr-sas-auth-forward,
    // dockerhub-cdn-redirect). A relative Location is resolved (gar-relative-redirect).
    if (next.origin !== url.origin) headers = withoutAuthorization(headers);
    url = next;
  }
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== "authorization"));
}

/** Options of {@link dispatcherSend}. */
export interface DispatcherSendOptions {
  /** The User-Agent header. Default "tofu-oci". */
  userAgent?: string;
  /** Receives `METHOD URL -> STATUS` for each request (never headers, so never secrets). */
  log?: ((line: string) => void) | undefined;
}

/**
 * The innermost layer: sends each request once through an undici dispatcher (its connection
 * pool and TLS settings), following redirects without leaking credentials (see {@link sendOnce}).
 */
export function dispatcherSend(dispatcher: Dispatcher, options: DispatcherSendOptions = {}): Send {
  const userAgent = options.userAgent ?? "tofu-oci";
  const { log } = options;
  return async (request) => {
    const response = await sendOnce(dispatcher, request, userAgent);
    log?.(`${request.method} ${request.url.origin}${request.url.pathname} -> ${response.status}`);
    return response;
  };
}

/** Options of {@link retrying}. */
export interface RetryingOptions extends RetryOptions {
  /** Receives one line per retry, for --verbose. */
  log?: ((line: string) => void) | undefined;
}

/**
 * A decorator that sends requests marked retryable ({@link HttpRequest.retry}, by default GET and
 * HEAD) again after network errors and 429/5xx answers (see {@link withRetry}). Low-level
 * failures of every request come out as exit-code-5 errors with a readable message.
 *
 * Inside one operation (`withRetryScope`, e.g. a copy) every request shares one RetryBudget:
 * each failed attempt costs from it, whichever layer retries (this decorator, an upload, a resumed
 * download, the copy engine), and once it is spent every further request of the operation fails
 * at once. A request that moved content (sent a body, or received a whole non-empty one) is
 * progress and gives the budget back.
 */
export function retrying<R extends HttpRequest>(send: Send<R>, options: RetryingOptions = {}): Send<R> {
  const { log, ...retry } = options;
  return async (request) => {
    const budget = operationBudget({
      ...(retry.retries === undefined ? {} : { retries: retry.retries }),
      ...(retry.deadlineMs === undefined ? {} : { deadlineMs: retry.deadlineMs }),
    });
    if (budget.exhausted) throw budget.exhaustedError();
    const retryable = request.retry ?? (request.method === "GET" || request.method === "HEAD");
    if (!retryable) return watchOutcome(await sendOnceCounted(send, request, budget), request, budget);
    const response = await withRetry(() => send(request), {
      ...retry,
      budget,
      signal: request.signal,
      onRetry: (reason, delay) =>
        log?.(`retrying ${request.method} ${request.url.pathname} in ${Math.round(delay)} ms: ${reason}`),
    });
    return watchOutcome(response, request, budget);
  };
}

/** Sends a request that is not retried here; a failure still costs from the operation's budget. */
async function sendOnceCounted<R extends HttpRequest>(
  send: Send<R>,
  request: R,
  budget: RetryBudget,
): Promise<HttpResponse> {
  try {
    const response = await send(request);
    if (isTransientStatus(response.status)) chargeStatus(budget, response.status);
    return response;
  } catch (error) {
    const failure = asNetworkError(error);
    if (isTransientError(failure)) budget.spend((failure as Error).message);
    throw failure;
  }
}

/**
 * Progress and failures that show only after the headers: a successful request that sent a
 * body is progress at once; one that answers content is progress when that content ends, and a
 * body that breaks (a reset, the idle timeout of a trickling body) costs from the budget.
 */
function watchOutcome(response: HttpResponse, request: HttpRequest, budget: RetryBudget): HttpResponse {
  if (response.status >= 400) return response;
  if (request.body) {
    budget.progress();
    return response;
  }
  const hasContent =
    request.method !== "HEAD" && response.status !== 204 && header(response.headers, "content-length") !== "0";
  if (hasContent) response.body.once("end", () => budget.progress());
  response.body.once("error", (error: Error) => {
    if (isTransientError(asNetworkError(error))) budget.spend(error.message);
  });
  return response;
}

/**
 * Runs `attempt` again after network errors and 429/5xx answers, with exponential backoff and
 * jitter, honouring `Retry-After`. Authentication failures are never retried.
 */
export async function withRetry(
  attempt: () => Promise<HttpResponse>,
  options: RetryOptions & {
    signal?: AbortSignal | undefined;
    onRetry?: (reason: string, delayMs: number) => void;
    /** Shared with other requests of the operation. Default: one for this request alone. */
    budget?: RetryBudget;
  },
): Promise<HttpResponse> {
  const { retries = 4, minDelayMs = 200, maxDelayMs = 10_000 } = options;
  const budget =
    options.budget ??
    new RetryBudget({ retries, ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }) });
  for (let tries = 0; ; tries++) {
    let reason: string;
    let retryAfterMs: number | undefined;
    try {
      const response = await attempt();
      if (!isTransientStatus(response.status)) return response;
      reason = `HTTP ${response.status}`;
      // A 429 is bounded by the deadline, not by a count; retries 0 still means no retry.
      const outOfTries = response.status === 429 ? retries === 0 : tries >= retries;
      if (!chargeStatus(budget, response.status) || outOfTries) return response;
      retryAfterMs = await retryHint(response);
    } catch (error) {
      if (!isTransientError(error) || options.signal?.aborted) throw asNetworkError(error);
      reason = (error as Error).message;
      if (!budget.spend(reason) || tries >= retries) throw asNetworkError(error);
    }
    const backoff = Math.random() * Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(tries, 20));
    const delay = Math.min(maxDelayMs, retryAfterMs ?? backoff);
    options.onRetry?.(reason, delay);
    await sleep(delay, undefined, { signal: options.signal });
  }
}

/**
 * Charges a transient answer to the budget: a 429 (the registry asks to slow down) costs time
 * only, see RetryBudget.throttled; any other costs an attempt. True when another may follow.
 */
function chargeStatus(budget: RetryBudget, status: number): boolean {
  const reason = `HTTP ${status}`;
  return status === 429 ? budget.throttled(reason) : budget.spend(reason);
}

function isTransientStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504 || status === 500;
}

function isTransientError(error: unknown): boolean {
  if (error instanceof TofuOciError) return error.code === "network";
  const code = (error as { code?: string }).code ?? "";
  return code.startsWith("UND_ERR") || ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN"].includes(code);
}

/** Wraps low-level failures (sockets, TLS, DNS) as exit-code-5 errors with a readable message. */
export function asNetworkError(error: unknown): unknown {
  if (error instanceof TofuOciError) return error;
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === "AbortError") return new TofuOciError("cancelled", "cancelled", { cause: error });
  const mismatch = plainHttpServerError(error);
  if (mismatch) return mismatch;
  const code = err.cause?.code ?? err.code ?? "";
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL/.test(code) || /certificate/i.test(err.message ?? "")) {
    return new TofuOciError("network", `TLS error: ${err.cause?.message ?? err.message}`, {
      cause: error,
      hint: "Pass --ca-file with the registry's CA certificate, or --insecure to skip verification (unsafe).",
    });
  }
  return new TofuOciError(
    "network",
    `network error: ${err.message ?? code}${code && !err.message?.includes(code) ? ` (${code})` : ""}`,
    {
      cause: error,
      hint: "Check that the registry address is right and reachable.",
    },
  );
}

/** Drops a response body we will not read, without an unhandled abort error. */
export function discard(body: Readable): void {
  body.on("error", () => {});
  body.destroy();
}

/** The first value of a response header. */
export function header(headers: HttpResponse["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Discards the body of an expected response, or throws the registry's error for any other status. */
export async function expectStatus(response: HttpResponse, status: number, what: string): Promise<void> {
  if (response.status !== status) throw await responseError(response, what);
  await response.body.dump();
}

/**
 * Builds the error for an unexpected response, with the registry's own error codes. Their text
 * is made safe to print (control characters escaped, credentials redacted; see safeRemoteText).
 */
export async function responseError(response: HttpResponse, what: string): Promise<RegistryError> {
  const body = await readErrorBody(response.body);
  const mismatch = httpsServerError(response.status, body);
  if (mismatch) return mismatch;
  const secrets = { secrets: [response.authorization] };
  const errors = registryErrors(body).map(
    ({ code, message, detail }): RegistryErrorDetail => ({
      code: safeRemoteText(code, secrets),
      ...(typeof message === "string" ? { message: safeRemoteText(message, secrets) } : {}),
      ...(detail === undefined ? {} : { detail }),
    }),
  );
  const detail = errors.map((e) => `${e.code}${e.message ? `: ${e.message}` : ""}`).join("; ");
  const code = statusCode(response.status);
  const message = `${what}: HTTP ${response.status}${detail ? ` (${detail})` : ""}`;
  return new RegistryError(code, message, response.status, errors, { hint: hintFor(code) });
}

function statusCode(status: number): ErrorCode {
  if (status === 401 || status === 403) return "unauthorized";
  if (status === 404) return "not-found";
  return "network";
}

function hintFor(code: ErrorCode): string | undefined {
  if (code === "unauthorized") return "Log in with tofu-oci auth login HOST, or pass -u and --password-stdin.";
  if (code === "not-found") return "Check the repository name and the tag or digest.";
  return undefined;
}

/** The start of an error response's body, as text ("" when it cannot be read). */
async function readErrorBody(body: Readable): Promise<string> {
  try {
    return (await readAll(body, ERROR_BODY_LIMIT)).toString("utf8");
  } catch {
    discard(body);
    return "";
  }
}

function registryErrors(body: string): RegistryErrorDetail[] {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    if (!Array.isArray(parsed.errors)) return [];
    return parsed.errors.filter((e): e is RegistryErrorDetail => typeof e?.code === "string");
  } catch {
    return [];
  }
}
