import { readAll } from "../content.js";
import type { HttpResponse } from "./http.js";

const HINT_BODY_LIMIT = 16 * 1024;
/** A 429 without a hint waits this long: rate limits count per second or longer, so a quicker retry is refused again. */
const RATE_LIMIT_WAIT_MS = 1000;
const GO_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "\u00b5s": 1e-3,
  "\u03bcs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * How long a 429 or 503 asks the client to wait, in milliseconds: the `Retry-After` header
 * (seconds or an HTTP date; registry-quirks: dockerhub-hap429-plaintext), else a Go duration in
 * the error message, as GHCR writes it (`retry-after: 10.305464ms, allowed: 2000/minute`;
 * registry-quirks: ghcr-429-hint-in-message). Reads and drops the body; a body that is not JSON
 * (nginx's HTML page, plain text: quay-429-html, mcr-acr-429) carries no hint, and a 429
 * without a hint waits a second (registry-quirks: ecr-throttle, dockerhub-ratelimit-headers).
 */
export async function retryHint(response: HttpResponse): Promise<number | undefined> {
  const value = response.headers["retry-after"];
  const fromHeader = parseRetryAfter(Array.isArray(value) ? value[0] : value);
  if (fromHeader !== undefined || response.status !== 429) {
    await response.body.dump().catch(() => {});
    return fromHeader;
  }
  try {
    const text = (await readAll(response.body, HINT_BODY_LIMIT)).toString("utf8");
    const parsed = JSON.parse(text) as { errors?: Array<{ message?: unknown }> };
    const messages = (parsed.errors ?? []).map((e) => (typeof e?.message === "string" ? e.message : ""));
    for (const message of messages) {
      const match = /retry-after:\s*([0-9.]+[a-zµμ]+(?:[0-9.]+[a-zµμ]+)*)/i.exec(message);
      const wait = match ? goDuration(match[1]!) : undefined;
      if (wait !== undefined) return wait;
    }
  } catch {
    // Not JSON, or too long: no hint.
    response.body.destroy();
  }
  return RATE_LIMIT_WAIT_MS;
}

/** `Retry-After` as milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** A Go `time.Duration` string (`1m30s`, `10.305464ms`, `250µs`) as milliseconds; undefined when it is not one. */
export function goDuration(text: string): number | undefined {
  const parts = [...text.matchAll(/([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join("") !== text) return undefined;
  return parts.reduce((total, [, value, unit]) => total + Number(value) * GO_UNITS[unit!]!, 0);
}
