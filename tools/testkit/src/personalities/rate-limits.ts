import { randomBytes } from "node:crypto";
import { goDuration, header, jsonAnswer, specError, textAnswer, type Answer } from "./answer.js";
import type { Exchange, FrontContext, Layer } from "./front.js";
import type { Throttle } from "./knobs.js";

interface Window {
  start: number;
  count: number;
}

/**
 * Rate limits (section 7 of docs/contract/registry-quirks.md): request budgets per window
 * answered with each registry's own 429, and Docker Hub's pull limit with its `ratelimit-*`
 * headers (dockerhub-ratelimit-headers). Windows are fixed, so a test with a long window and a
 * small limit gets its 429 deterministically.
 */
export function rateLimitLayer(front: FrontContext): Layer {
  const throttles = (front.knobs.throttles ?? []).map((throttle) => ({
    throttle,
    window: { start: Date.now(), count: 0 },
  }));
  const pulls: Window = { start: Date.now(), count: 0 };
  return {
    before(exchange) {
      for (const { throttle, window } of throttles) {
        if (!counts(throttle, exchange)) continue;
        const left = spend(window, throttle.windowSeconds, throttle.limit);
        if (left !== undefined) return tooManyRequests(throttle, left);
      }
      const limit = front.knobs.pullLimit;
      if (limit && isManifestGet(exchange) && overLimit(pulls, limit.windowSeconds, limit.limit)) {
        return pullLimitReached(exchange);
      }
      return undefined;
    },
    decorate(exchange, answer) {
      const limit = front.knobs.pullLimit;
      if (!limit || exchange.route.kind !== "manifest" || (exchange.method !== "GET" && exchange.method !== "HEAD"))
        return;
      // A pull is a manifest served: a 401 challenge, a 404 or a 429 pulls nothing.
      if (isManifestGet(exchange) && answer.status === 200) spend(pulls, limit.windowSeconds, Number.POSITIVE_INFINITY);
      const remaining = Math.max(0, limit.limit - pulls.count);
      answer.headers["ratelimit-limit"] = `${limit.limit};w=${limit.windowSeconds}`;
      answer.headers["ratelimit-remaining"] = `${remaining};w=${limit.windowSeconds}`;
      answer.headers["docker-ratelimit-source"] = exchange.req.socket.remoteAddress ?? "127.0.0.1";
    },
  };
}

function counts(throttle: Throttle, exchange: Exchange): boolean {
  if (throttle.methods && !throttle.methods.includes(exchange.method)) return false;
  return throttle.routes ? throttle.routes.includes(exchange.route.kind) : exchange.route.kind !== "other";
}

function isManifestGet(exchange: Exchange): boolean {
  return exchange.route.kind === "manifest" && exchange.method === "GET";
}

/** Whether a window is at its limit, without counting (a new window starts empty). */
function overLimit(window: Window, windowSeconds: number, limit: number): boolean {
  if (Date.now() - window.start >= windowSeconds * 1000) return false;
  return window.count >= limit;
}

/** Counts one request; returns the milliseconds left in the window when it is over the limit. */
function spend(window: Window, windowSeconds: number, limit: number): number | undefined {
  const now = Date.now();
  if (now - window.start >= windowSeconds * 1000) {
    window.start = now;
    window.count = 0;
  }
  window.count++;
  return window.count > limit ? window.start + windowSeconds * 1000 - now : undefined;
}

function tooManyRequests(throttle: Throttle, leftMs: number): Answer {
  const retryAfter: Record<string, string> =
    throttle.retryAfterSeconds === undefined ? {} : { "retry-after": String(throttle.retryAfterSeconds) };
  switch (throttle.body) {
    case "hap429-text":
      return textAnswer(429, "Too Many Requests (HAP429).\n", "text/plain", retryAfter);
    case "json-go-duration": {
      const per =
        throttle.windowSeconds === 60
          ? "minute"
          : throttle.windowSeconds === 1
            ? "second"
            : `${throttle.windowSeconds}s`;
      return specError(
        429,
        "TOOMANYREQUESTS",
        `retry-after: ${goDuration(leftMs)}, allowed: ${throttle.limit}/${per}`,
        undefined,
        retryAfter,
      );
    }
    case "nginx-html": {
      const page =
        "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n" +
        "<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
      return textAnswer(429, page, "text/html", retryAfter);
    }
    case "afd-ref-text": {
      const ref = `Ref A: ${randomBytes(16)
        .toString("hex")
        .toUpperCase()} Ref B: TESTBED01 Ref C: ${new Date().toISOString()}`;
      return textAnswer(429, ref, "text/plain", retryAfter);
    }
    default:
      return specError(429, "TOOMANYREQUESTS", throttle.message ?? "Rate exceeded", undefined, retryAfter);
  }
}

function pullLimitReached(exchange: Exchange): Answer {
  const message =
    header(exchange.req, "authorization") === undefined
      ? "You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit"
      : "You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: " +
        "https://www.docker.com/increase-rate-limit";
  return jsonAnswer(429, { errors: [{ code: "TOOMANYREQUESTS", message }] });
}
