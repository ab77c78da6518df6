import { readAll } from "../content.js";
import { anonymous, type Credential, type CredentialProvider } from "../credentials.js";
import { TofuOciError } from "../errors.js";
import { header, type HttpRequest, type RegistryRequest, type Send } from "./http.js";
import { assertRealmTransport } from "./realm-policy.js";
import { parseChallenge, type Challenge } from "./www-authenticate.js";

const TOKEN_RESPONSE_LIMIT = 1024 * 1024;
const CLIENT_ID = "tofu-oci";
/**
 * The user name that says "the password is a refresh token" (registry-quirks:
 * acr-refresh-token-exchange: `az acr login --expose-token`): exchanged at the realm with an
 * OAuth2 POST `grant_type=refresh_token`, as docker does with an identity token.
 */
const REFRESH_TOKEN_USER = "00000000-0000-0000-0000-000000000000";

interface CachedToken {
  header: string;
  expiresAt: number;
}

/**
 * Authorization headers already obtained: Basic per host, Bearer tokens per host and scope set
 * until they expire. One cache can serve several clients, so a token is fetched once per run.
 */
export class TokenCache {
  readonly #basic = new Map<string, string>();
  readonly #tokens = new Map<string, CachedToken>();
  readonly #now: () => number;

  /** `now` is the clock tokens expire by. Default `Date.now`. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The Authorization header known for this host and scope set, if any. */
  get(host: string, scopes: string[]): string | undefined {
    const token = this.#tokens.get(tokenKey(host, scopes));
    if (token && token.expiresAt > this.#now()) return token.header;
    return this.#basic.get(host);
  }

  /** Remembers a Basic header for every request to `host`. */
  setBasic(host: string, value: string): void {
    this.#basic.set(host, value);
  }

  /** Remembers a Bearer header for `host` and `scopes` for `expiresInMs`. */
  setToken(host: string, scopes: string[], value: string, expiresInMs: number): void {
    this.#tokens.set(tokenKey(host, scopes), { header: value, expiresAt: this.#now() + expiresInMs });
  }
}

/** Options of {@link authenticating}. */
export interface AuthOptions {
  /** Where credentials come from, per registry and repository. Default: anonymous. */
  credentials?: CredentialProvider;
  /** Headers already obtained. Default: a new cache for this decorator. */
  cache?: TokenCache;
  /**
   * Send credentials to an `http://` token realm of an `https://` registry (--plain-http or
   * --insecure). Default false: refused (see assertRealmTransport).
   */
  allowInsecureRealm?: boolean;
}

/**
 * A decorator that answers a registry's 401 challenge (distribution token spec): Basic
 * credentials, or a Bearer token fetched from the challenge's realm through `send` itself, then
 * sends the request again once. Known headers come from the cache without a round trip.
 * @throws TofuOciError "unauthorized" (exit 4) when there are no credentials or they are refused.
 */
export function authenticating(send: Send, options: AuthOptions = {}): Send<RegistryRequest> {
  const flow = new AuthFlow(
    options.credentials ?? anonymous,
    send,
    options.cache ?? new TokenCache(),
    options.allowInsecureRealm ?? false,
  );
  return async (request) => {
    const host = request.url.host;
    const response = await send(withAuthorization(request, flow.cache.get(host, request.scopes)));
    if (response.status !== 401) return response;
    await response.body.dump();
    const challenge = parseChallenge(header(response.headers, "www-authenticate"));
    if (!challenge) throw new TofuOciError("unauthorized", `${host} answered 401 without an authentication challenge`);
    const fresh = await flow.authorize(request.url, request.repository, challenge, request.scopes, request.signal);
    const retried = await send(withAuthorization(request, fresh));
    // Basic credentials the registry refuses are wrong. A 401 with a token the token service just
    // issued is about the repository: Docker Hub answers so for one that does not exist
    // (registry-quirks: dockerhub-missing-repo-401), so the caller, who knows what it asked, says.
    if (retried.status === 401 && challenge.scheme === "basic") {
      await retried.body.dump();
      throw refused(host);
    }
    return retried;
  };
}

function withAuthorization<R extends HttpRequest>(request: R, authorization: string | undefined): R {
  if (!authorization) return request;
  return { ...request, headers: { ...request.headers, authorization } };
}

/** Obtains the Authorization header that answers a challenge, and caches it. */
class AuthFlow {
  /** Token requests under way, so requests challenged at once share one (rate-limited registries count them). */
  readonly #inFlight = new Map<string, Promise<{ value: string; expiresInMs: number }>>();

  constructor(
    readonly credentials: CredentialProvider,
    readonly send: Send,
    readonly cache: TokenCache,
    readonly allowInsecureRealm: boolean,
  ) {}

  async authorize(
    registry: URL,
    repository: string,
    challenge: Challenge,
    scopes: string[],
    signal?: AbortSignal,
  ): Promise<string> {
    const host = registry.host;
    const credential = await this.credentials(host, repository);
    // registry-quirks: ecr-basic-challenge: Basic, with no token service.
    if (challenge.scheme === "basic") {
      if (!credential?.username && !credential?.password) throw noCredentials(host);
      const value = `Basic ${Buffer.from(`${credential.username ?? ""}:${credential.password ?? ""}`).toString("base64")}`;
      this.cache.setBasic(host, value);
      return value;
    }
    if (challenge.scheme !== "bearer") {
      throw new TofuOciError(
        "unauthorized",
        `${host} asks for unsupported authentication scheme "${challenge.scheme}"`,
      );
    }
    const allScopes = mergeScopes([...scopes, ...(challenge.params.scope?.split(" ") ?? [])]);
    const token = credential?.accessToken
      ? { value: credential.accessToken, expiresInMs: 60_000 }
      : await this.#sharedToken(registry, challenge, allScopes, credential, signal);
    const value = `Bearer ${token.value}`;
    this.cache.setToken(host, scopes, value, token.expiresInMs);
    return value;
  }

  #sharedToken(
    registry: URL,
    challenge: Challenge,
    scopes: string[],
    credential: Credential | undefined,
    signal: AbortSignal | undefined,
  ) {
    const key = [registry.host, challenge.params.realm, challenge.params.service, ...scopes].join(" ");
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = this.#fetchToken(registry, challenge, scopes, credential, signal).finally(() =>
        this.#inFlight.delete(key),
      );
      this.#inFlight.set(key, pending);
    }
    return pending;
  }

  async #fetchToken(
    registry: URL,
    challenge: Challenge,
    scopes: string[],
    credential: Credential | undefined,
    signal: AbortSignal | undefined,
  ): Promise<{ value: string; expiresInMs: number }> {
    const host = registry.host;
    // The realm may be on another host (registry-quirks: gitlab-jwt-realm, dockerhub-misc-headers).
    const realm = parseRealm(host, challenge.params.realm);
    if (credential?.refreshToken || credential?.username || credential?.password)
      assertRealmTransport(registry, realm, this.allowInsecureRealm);
    const service = challenge.params.service;
    const refreshToken =
      credential?.refreshToken ?? (credential?.username === REFRESH_TOKEN_USER ? credential.password : undefined);
    const request = refreshToken
      ? refreshTokenRequest(realm, service, scopes, refreshToken)
      : basicTokenRequest(realm, service, scopes, credential);
    const response = await this.send({ ...request, signal });
    if (response.status === 401 || response.status === 403) {
      await response.body.dump();
      throw refused(host);
    }
    if (response.status !== 200) {
      await response.body.dump();
      throw new TofuOciError("network", `the token service of ${host} answered HTTP ${response.status}`);
    }
    return parseTokenResponse(await readAll(response.body, TOKEN_RESPONSE_LIMIT, "the token response"), host);
  }
}

function basicTokenRequest(
  realm: URL,
  service: string | undefined,
  scopes: string[],
  credential: Credential | undefined,
): HttpRequest {
  const url = new URL(realm);
  if (service) url.searchParams.set("service", service);
  for (const scope of scopes) url.searchParams.append("scope", scope);
  const headers: Record<string, string> = {};
  if (credential?.username || credential?.password) {
    headers.authorization = `Basic ${Buffer.from(`${credential.username ?? ""}:${credential.password ?? ""}`).toString("base64")}`;
  }
  return { method: "GET", url, headers };
}

function refreshTokenRequest(
  realm: URL,
  service: string | undefined,
  scopes: string[],
  refreshToken: string,
): HttpRequest {
  const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: CLIENT_ID });
  if (service) form.set("service", service);
  if (scopes.length > 0) form.set("scope", scopes.join(" "));
  const body = form.toString();
  return {
    method: "POST",
    url: realm,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: () => body,
  };
}

function parseRealm(host: string, realm: string | undefined): URL {
  try {
    if (!realm) throw new Error("no realm");
    const url = new URL(realm);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("bad scheme");
    return url;
  } catch {
    throw new TofuOciError("unauthorized", `${host} sent a Bearer challenge without a valid realm URL`);
  }
}

/** The token answer, whatever its Content-Type (registry-quirks: dockerhub-misc-headers: text/plain JSON). */
function parseTokenResponse(body: Buffer, host: string): { value: string; expiresInMs: number } {
  let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown };
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new TofuOciError("network", `the token service of ${host} sent invalid JSON`);
  }
  const value = typeof parsed.access_token === "string" && parsed.access_token ? parsed.access_token : parsed.token;
  if (typeof value !== "string" || value === "")
    throw new TofuOciError("network", `the token service of ${host} sent no token`);
  const seconds = typeof parsed.expires_in === "number" && parsed.expires_in > 0 ? parsed.expires_in : 60;
  // Renew ahead of expiry so a long upload does not start with a token about to lapse.
  return { value, expiresInMs: Math.max(1, seconds - 10) * 1000 };
}

/**
 * Merges scopes of the same resource: `repository:a:pull` + `repository:a:push` becomes
 * `repository:a:pull,push`. The result is sorted so equal sets give equal cache keys.
 */
export function mergeScopes(scopes: string[]): string[] {
  const actions = new Map<string, Set<string>>();
  for (const scope of scopes) {
    const last = scope.lastIndexOf(":");
    if (last <= 0) continue;
    const resource = scope.slice(0, last);
    const set = actions.get(resource) ?? new Set<string>();
    for (const action of scope.slice(last + 1).split(",")) if (action) set.add(action);
    actions.set(resource, set);
  }
  return [...actions].map(([resource, set]) => `${resource}:${[...set].sort().join(",")}`).sort();
}

function tokenKey(host: string, scopes: string[]): string {
  return `${host} ${mergeScopes(scopes).join(" ")}`;
}

function noCredentials(host: string): TofuOciError {
  return new TofuOciError("unauthorized", `${host} requires authentication and no credentials were found`, {
    hint: `Run tofu-oci auth login ${host}, or pass -u USER --password-stdin.`,
  });
}

/** The registry rejected the credentials it was given. */
export function refused(host: string): TofuOciError {
  return new TofuOciError("unauthorized", `${host} rejected the credentials`, {
    hint: `Check the username and password for ${host} (tofu-oci auth resolve shows which ones were used).`,
  });
}
