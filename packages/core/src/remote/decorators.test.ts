import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { exitCodeOf } from "../errors.js";
import { RetryBudget, withRetryScope } from "../retry-budget.js";
import { authenticating, TokenCache } from "./authenticator.js";
import { retrying, type HttpRequest, type HttpResponse, type RegistryRequest, type Send } from "./http.js";

/** A response as the dispatcher layer returns it, with a body that can be dumped or read. */
function answer(status: number, headers: Record<string, string> = {}, body = ""): HttpResponse {
  const stream = Readable.from([Buffer.from(body)]) as Readable & { dump(): Promise<void> };
  stream.dump = async () => void stream.resume();
  return { status, headers, body: stream as unknown as HttpResponse["body"], url: new URL("https://r.example/") };
}

/** The innermost layer replaced by a script: each request is recorded and answered in turn. */
function scripted(...responses: Array<(request: HttpRequest) => HttpResponse>) {
  const seen: HttpRequest[] = [];
  const send: Send = async (request) => {
    seen.push(request);
    const next = responses.shift();
    if (!next) throw new Error(`unexpected ${request.method} ${request.url}`);
    return next(request);
  };
  return { send, seen };
}

function registryRequest(method: HttpRequest["method"] = "GET", extra: Partial<RegistryRequest> = {}): RegistryRequest {
  return {
    method,
    url: new URL("https://r.example/v2/a/b/manifests/1"),
    repository: "a/b",
    scopes: ["repository:a/b:pull"],
    ...extra,
  };
}

describe("authenticating", () => {
  it("answers a Basic challenge once, then sends the cached header without a round trip", async () => {
    const { send, seen } = scripted(
      () => answer(401, { "www-authenticate": 'Basic realm="r"' }),
      () => answer(200),
      () => answer(200),
    );
    const auth = authenticating(send, { credentials: async () => ({ username: "u", password: "p" }) });
    expect((await auth(registryRequest())).status).toBe(200);
    expect((await auth(registryRequest())).status).toBe(200);
    const basic = `Basic ${Buffer.from("u:p").toString("base64")}`;
    expect(seen.map((r) => r.headers?.authorization)).toEqual([undefined, basic, basic]);
  });

  it("fetches a Bearer token from the realm through the layer below, with the merged scopes", async () => {
    const { send, seen } = scripted(
      () =>
        answer(401, {
          "www-authenticate": 'Bearer realm="https://auth.example/token",service="reg",scope="repository:a/b:push"',
        }),
      () => answer(200, {}, JSON.stringify({ token: "t1", expires_in: 300 })),
      () => answer(200),
    );
    const cache = new TokenCache();
    const auth = authenticating(send, { credentials: async () => undefined, cache });
    await auth(registryRequest());
    expect(seen[1]!.url.searchParams.getAll("scope")).toEqual(["repository:a/b:pull,push"]);
    expect(seen[2]!.headers?.authorization).toBe("Bearer t1");
    // The cache is the caller's: another client given it needs no token request.
    expect(cache.get("r.example", ["repository:a/b:pull"])).toBe("Bearer t1");
  });

  it("fetches one token for requests challenged at once, and passes a 401 with a fresh token to the caller (registry-quirks: dockerhub-missing-repo-401)", async () => {
    const challenge = { "www-authenticate": 'Bearer realm="https://auth.example/token",service="reg"' };
    const { send, seen } = scripted(
      () => answer(401, challenge),
      () => answer(401, challenge),
      (request) => answer(200, {}, JSON.stringify({ token: request.url.hostname === "auth.example" ? "t1" : "?" })),
      () => answer(200),
      () => answer(401, challenge),
    );
    const auth = authenticating(send, { credentials: async () => ({ username: "u", password: "p" }) });
    const [first, second] = await Promise.all([auth(registryRequest()), auth(registryRequest())]);
    expect([first.status, second.status]).toEqual([200, 401]);
    expect(seen.filter((request) => request.url.hostname === "auth.example")).toHaveLength(1);
  });

  it("sends the 0000... user's password as an OAuth2 refresh token (registry-quirks: acr-refresh-token-exchange)", async () => {
    const { send, seen } = scripted(
      () => answer(401, { "www-authenticate": 'Bearer realm="https://r.example/oauth2/token",service="r.example"' }),
      () => answer(200, {}, JSON.stringify({ access_token: "a1" })),
      () => answer(200),
    );
    const auth = authenticating(send, {
      credentials: async () => ({ username: "00000000-0000-0000-0000-000000000000", password: "refresh" }),
    });
    await auth(registryRequest());
    const form = new URLSearchParams(String(await seen[1]!.body!()));
    expect([seen[1]!.method, form.get("grant_type"), form.get("refresh_token"), form.get("scope")]).toEqual([
      "POST",
      "refresh_token",
      "refresh",
      "repository:a/b:pull",
    ]);
    expect(seen[2]!.headers?.authorization).toBe("Bearer a1");
  });

  it("refuses (exit 4) when the registry rejects the credentials it asked for", async () => {
    const { send } = scripted(
      () => answer(401, { "www-authenticate": 'Basic realm="r"' }),
      () => answer(401, { "www-authenticate": 'Basic realm="r"' }),
    );
    const auth = authenticating(send, { credentials: async () => ({ username: "u", password: "wrong" }) });
    expect(exitCodeOf(await auth(registryRequest()).catch((e: unknown) => e))).toBe(4);
  });
});

describe("retrying", () => {
  it("sends a GET again after a 503 and gives up after `retries`", async () => {
    const { send, seen } = scripted(
      () => answer(503),
      () => answer(200),
    );
    expect((await retrying(send, { minDelayMs: 1 })(registryRequest())).status).toBe(200);
    expect(seen).toHaveLength(2);
    const failing = scripted(
      () => answer(503),
      () => answer(503),
    );
    expect((await retrying(failing.send, { retries: 1, minDelayMs: 1 })(registryRequest())).status).toBe(503);
    expect(failing.seen).toHaveLength(2);
  });

  it("sends a PUT once unless the request says it may be retried", async () => {
    const once = scripted(() => answer(503));
    expect((await retrying(once.send, { minDelayMs: 1 })(registryRequest("PUT"))).status).toBe(503);
    expect(once.seen).toHaveLength(1);
    const twice = scripted(
      () => answer(503),
      () => answer(201),
    );
    expect((await retrying(twice.send, { minDelayMs: 1 })(registryRequest("PUT", { retry: true }))).status).toBe(201);
  });

  it("turns a socket failure of an unretried request into a network error (exit 5)", async () => {
    const send: Send = async () => Promise.reject(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    expect(exitCodeOf(await retrying(send)(registryRequest("PATCH")).catch((e: unknown) => e))).toBe(5);
  });

  it("never retries an authentication failure from the layer below", async () => {
    const { send, seen } = scripted(
      () => answer(401, { "www-authenticate": 'Basic realm="r"' }),
      () => answer(401, { "www-authenticate": 'Basic realm="r"' }),
    );
    const client = retrying(authenticating(send, { credentials: async () => ({ username: "u", password: "p" }) }), {
      minDelayMs: 1,
    });
    expect(exitCodeOf(await client(registryRequest()).catch((e: unknown) => e))).toBe(4);
    expect(seen).toHaveLength(2);
  });
});

// Issue 22, item 10: one retry budget per operation, shared by every layer that retries, so a
// stalled registry costs `retries` attempts rather than copy x upload x resume x request.
describe("one retry budget per operation", () => {
  const reset = () =>
    Promise.reject(Object.assign(new Error("Headers Timeout Error"), { code: "UND_ERR_HEADERS_TIMEOUT" }));

  it("bounds the attempts of nested retry loops by the operation's budget, then fails at once (exit 5)", async () => {
    let sends = 0;
    const client = retrying<RegistryRequest>(async () => (sends++, reset()), { retries: 3, minDelayMs: 1 });
    // An upload-like layer that retries by itself five times, inside a copy-like layer that retries three times.
    const layered = async () => {
      for (let copyTry = 0; copyTry < 3; copyTry++) {
        for (let uploadTry = 0; uploadTry < 5; uploadTry++) await client(registryRequest("PATCH")).catch(() => {});
        await client(registryRequest()).catch(() => {});
      }
      return client(registryRequest());
    };
    const error = await withRetryScope(layered).catch((e: unknown) => e);
    expect(sends).toBe(4);
    expect(exitCodeOf(error)).toBe(5);
    expect((error as Error).message).toMatch(/giving up after 4 failed attempts .*Headers Timeout/);
    // Outside an operation every request has a budget of its own, as before.
    sends = 0;
    await client(registryRequest()).catch(() => {});
    await client(registryRequest()).catch(() => {});
    expect(sends).toBe(8);
  });

  it("gives the budget back when a request moves content, and counts a body that breaks", async () => {
    const budget = new RetryBudget({ retries: 1 });
    expect(budget.spend("a")).toBe(true);
    budget.progress();
    expect(budget.spend("b")).toBe(true);
    expect(budget.spend("c")).toBe(false);
    const operation = withRetryScope(async () => {
      const client = retrying<RegistryRequest>(async () => answer(200, { "content-length": "10" }), { retries: 1 });
      const response = await client(registryRequest());
      response.body.destroy(Object.assign(new Error("Body Timeout Error"), { code: "UND_ERR_BODY_TIMEOUT" }));
      await new Promise((resolve) => setImmediate(resolve));
      const again = await client(registryRequest());
      again.body.destroy(Object.assign(new Error("Body Timeout Error"), { code: "UND_ERR_BODY_TIMEOUT" }));
      await new Promise((resolve) => setImmediate(resolve));
      return client(registryRequest());
    });
    expect(exitCodeOf(await operation.catch((e: unknown) => e))).toBe(5);
  });

  it("starts no retry after the deadline, counted from the first failure since progress", () => {
    let now = 0;
    const budget = new RetryBudget({ retries: 100, deadlineMs: 1000, now: () => now });
    expect(budget.spend("a")).toBe(true);
    now = 900;
    expect(budget.spend("b")).toBe(true);
    now = 1001;
    expect(budget.spend("c")).toBe(false);
    budget.progress();
    expect(budget.spend("d")).toBe(true);
  });
});

describe("retrying and 429", () => {
  const throttled = () => answer(429, { "retry-after": "0" });

  it("waits out more 429s than the retry count, within the deadline", async () => {
    const { send, seen } = scripted(throttled, throttled, throttled, throttled, () => answer(200));
    const response = await retrying(send, { retries: 2, minDelayMs: 1, maxDelayMs: 2 })(registryRequest());
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(5);
  });

  it("still counts 5xx answers against the retries", async () => {
    const failing = () => answer(503, { "retry-after": "0" });
    const { send, seen } = scripted(failing, failing, failing, () => answer(200));
    const response = await retrying(send, { retries: 2, minDelayMs: 1, maxDelayMs: 2 })(registryRequest());
    expect(response.status).toBe(503);
    expect(seen).toHaveLength(3);
  });

  it("with retries 0 answers the first 429", async () => {
    const { send, seen } = scripted(throttled, () => answer(200));
    const response = await retrying(send, { retries: 0 })(registryRequest());
    expect(response.status).toBe(429);
    expect(seen).toHaveLength(1);
  });
});
