import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { HttpResponse } from "./http.js";
import { goDuration, parseRetryAfter, retryHint } from "./retry-hint.js";

function answer(status: number, headers: Record<string, string>, body: string): HttpResponse {
  const stream = Readable.from([Buffer.from(body)]) as unknown as HttpResponse["body"];
  Object.assign(stream, { dump: async () => void stream.resume() });
  return { status, headers, body: stream, url: new URL("https://r.example/v2/") };
}

describe("retryHint: the wait a 429 asks for, in every form registries send", () => {
  it("honours Retry-After in seconds or as a date, whatever the body (registry-quirks: dockerhub-hap429-plaintext)", async () => {
    expect(
      await retryHint(
        answer(429, { "retry-after": "60", "content-type": "text/plain" }, "Too Many Requests (HAP429).\n"),
      ),
    ).toBe(60_000);
    expect(await retryHint(answer(503, { "retry-after": "2" }, ""))).toBe(2000);
    const date = new Date(Date.now() + 5000).toUTCString();
    expect(await retryHint(answer(429, { "retry-after": date }, ""))).toBeGreaterThan(3000);
  });

  it("reads GHCR's Go duration from the error message (registry-quirks: ghcr-429-hint-in-message)", async () => {
    const body = JSON.stringify({
      errors: [{ code: "TOOMANYREQUESTS", message: "retry-after: 10.305464ms, allowed: 2000/minute" }],
    });
    expect(await retryHint(answer(429, { "content-type": "application/json" }, body))).toBeCloseTo(10.305464, 5);
    const longer = JSON.stringify({
      errors: [{ code: "TOOMANYREQUESTS", message: "retry-after: 1m2.5s, allowed: 44000/minute" }],
    });
    expect(await retryHint(answer(429, {}, longer))).toBe(62_500);
  });

  it("waits a second for a 429 whose body is HTML, plain text or JSON without a hint (registry-quirks: quay-429-html, mcr-acr-429, ecr-throttle)", async () => {
    const nginx = "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body></body></html>\r\n";
    expect(await retryHint(answer(429, { "content-type": "text/html" }, nginx))).toBe(1000);
    expect(
      await retryHint(
        answer(429, { "content-type": "text/plain" }, "Ref A: 0AF3 Ref B: X Ref C: 2026-01-01T00:00:00Z"),
      ),
    ).toBe(1000);
    expect(
      await retryHint(
        answer(429, {}, JSON.stringify({ errors: [{ code: "TOOMANYREQUESTS", message: "Rate exceeded" }] })),
      ),
    ).toBe(1000);
    expect(await retryHint(answer(502, {}, "<html>bad gateway</html>"))).toBeUndefined();
  });
});

describe("goDuration and parseRetryAfter", () => {
  it("parse what Go and RFC 9110 write, and nothing else", () => {
    expect(goDuration("250µs")).toBe(0.25);
    expect(goDuration("1h")).toBe(3_600_000);
    expect(goDuration("1.5s")).toBe(1500);
    expect(goDuration("10 ms")).toBeUndefined();
    expect(goDuration("soon")).toBeUndefined();
    expect(parseRetryAfter("0")).toBe(0);
    expect(parseRetryAfter("tomorrow")).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
