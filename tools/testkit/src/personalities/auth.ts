import type { IncomingMessage } from "node:http";
import {
  formatChallenge,
  header,
  jsonAnswer,
  parseChallenge,
  readAll,
  setBody,
  specError,
  type Answer,
} from "./answer.js";
import type { Exchange, FrontContext, Layer } from "./front.js";
import type { TokenEndpoint } from "./knobs.js";

/** ACR's user for refresh-token logins (acr-refresh-token-exchange). */
export const ACR_REFRESH_USER = "00000000-0000-0000-0000-000000000000";

// A registry in token mode whose personality names no realm gets one on its own host.
const DEFAULT_ENDPOINT: TokenEndpoint = { host: "same", path: "/token", service: "{host}" };

/** The token endpoint a personality serves in front of a token-mode registry. */
export function tokenEndpoint(front: FrontContext): TokenEndpoint {
  return front.knobs.tokenEndpoint ?? DEFAULT_ENDPOINT;
}

/** The realm URL of the personality's Bearer challenge. */
export function tokenRealm(front: FrontContext): string {
  const endpoint = tokenEndpoint(front);
  return `${endpoint.host === "auth" ? front.authOrigin : front.origin}${endpoint.path}`;
}

function tokenService(front: FrontContext): string {
  return tokenEndpoint(front).service.replace("{host}", front.host);
}

/** The challenge of a 401 the front makes itself, for a scope like `repository:a/b:pull`. */
export function challengeFor(front: FrontContext, scope: string): string | undefined {
  if (front.backend.kind === "token") {
    return formatChallenge({
      scheme: "Bearer",
      params: { realm: tokenRealm(front), service: tokenService(front), scope, error: "insufficient_scope" },
    });
  }
  if (front.backend.kind === "basic") return basicChallenge(front);
  return undefined;
}

function basicChallenge(front: FrontContext): string | undefined {
  const style = front.knobs.basicChallenge;
  if (!style) return undefined;
  const params: Record<string, string> = { realm: style.realm.replace("{host}", front.host) };
  if (style.service) params.service = style.service;
  return formatChallenge({ scheme: style.scheme, params });
}

/**
 * Authentication as the personality shows it: its challenge (ecr-basic-challenge,
 * nexus-basic-uppercase, gitlab-jwt-realm, ...), its login user name mapped to the registry's own,
 * its token endpoint on the registry host, and its refusals of credentials sent the wrong way
 * (ecr-public-bearer, ghcr-missing-or-private-403).
 */
export function authLayer(front: FrontContext): Layer {
  const sameHostToken = front.backend.kind === "token" && tokenEndpoint(front).host === "same";
  return {
    async before(exchange) {
      const { pathname } = exchange.url;
      if (sameHostToken && pathname === tokenEndpoint(front).path) return serveToken(front, exchange.req, exchange.url);
      if (front.knobs.acrRefreshTokens && pathname === "/oauth2/exchange") return acrExchange(front, exchange.req);
      return refuseOrTranslate(front, exchange);
    },
    decorate(_exchange, answer) {
      if (answer.fromRegistry && answer.status === 401) rewriteChallenge(front, answer);
    },
  };
}

function refuseOrTranslate(front: FrontContext, exchange: Exchange): Answer | undefined {
  const authorization = header(exchange.req, "authorization") ?? "";
  if (exchange.route.kind !== "other" && front.backend.kind === "token") {
    if (front.knobs.basicOnBearer403 && /^basic /i.test(authorization))
      return specError(403, "DENIED", "Your Authorization Token is invalid.");
    if (
      front.knobs.passwordAsBearer403 &&
      front.registryPassword &&
      authorization === `Bearer ${front.registryPassword}`
    ) {
      return specError(403, "DENIED", "invalid token");
    }
  }
  const translated = translateAuthorization(front, authorization);
  if (translated) exchange.forward.headers.authorization = translated;
  return undefined;
}

/** Basic credentials of the personality's user rewritten to the registry's own user. */
function translateAuthorization(front: FrontContext, authorization: string | undefined): string | undefined {
  const credentials = parseBasic(authorization);
  if (!credentials || credentials.user !== front.knobs.username || !front.registryUser)
    return authorization || undefined;
  return `Basic ${Buffer.from(`${front.registryUser}:${credentials.password}`).toString("base64")}`;
}

function parseBasic(authorization: string | undefined): { user: string; password: string } | undefined {
  if (!authorization || !/^basic /i.test(authorization)) return undefined;
  const decoded = Buffer.from(authorization.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function rewriteChallenge(front: FrontContext, answer: Answer): void {
  const value = answer.headers["www-authenticate"];
  if (typeof value !== "string") return;
  const challenge = parseChallenge(value);
  if (challenge.scheme.toLowerCase() === "bearer" && front.backend.kind === "token") {
    challenge.params.realm = tokenRealm(front);
    challenge.params.service = tokenService(front);
    answer.headers["www-authenticate"] = formatChallenge(challenge);
  } else if (challenge.scheme.toLowerCase() === "basic" && front.knobs.basicChallenge) {
    answer.headers["www-authenticate"] = basicChallenge(front);
    if (front.knobs.basicChallenge.emptyJsonBody) setBody(answer, "", "application/json");
  }
}

/**
 * Serves the personality's token realm by asking the test bed's token server: GET with Basic
 * credentials (the personality's user mapped to the registry's), OAuth2 POST grants, and for ACR
 * a GET with the 0000... user whose password is a refresh token. The answer carries the fields
 * and Content-Type the registry's token service uses (dockerhub-misc-headers, ecr-public-bearer).
 */
export async function serveToken(front: FrontContext, req: IncomingMessage, url: URL): Promise<Answer> {
  if (front.backend.kind !== "token") return specError(404, "NOT_FOUND", "no token service");
  const { realm, service } = front.backend;
  let result: TokenResult;
  if (req.method === "GET") {
    const credentials = parseBasic(header(req, "authorization"));
    let scope = url.searchParams
      .getAll("scope")
      .flatMap((value) => value.split(" "))
      .filter(Boolean);
    // token-multi-scope-ignored: only the last scope is granted.
    if (front.knobs.tokenLastScopeOnly) scope = scope.slice(-1);
    if (front.knobs.acrRefreshTokens && credentials?.user === ACR_REFRESH_USER) {
      result = await postForm(realm, {
        grant_type: "refresh_token",
        refresh_token: credentials.password,
        service,
        scope: scope.join(" "),
      });
    } else {
      const query = new URLSearchParams(url.searchParams);
      query.set("service", service);
      query.delete("scope");
      for (const one of scope) query.append("scope", one);
      result = await tokenRequest(`${realm}?${query}`, {
        headers: authorizationHeader(translateAuthorization(front, header(req, "authorization"))),
      });
    }
  } else if (req.method === "POST") {
    const form = new URLSearchParams((await readAll(req)).toString("utf8"));
    form.set("service", service);
    if (front.knobs.tokenLastScopeOnly) form.set("scope", (form.get("scope") ?? "").split(" ").slice(-1).join(""));
    if (front.knobs.acrRefreshTokens && form.get("username") === ACR_REFRESH_USER) {
      form.set("grant_type", "refresh_token");
      form.set("refresh_token", form.get("password") ?? "");
    } else if (form.get("username") === front.knobs.username && front.registryUser)
      form.set("username", front.registryUser);
    result = await postForm(realm, Object.fromEntries(form));
  } else return specError(405, "UNSUPPORTED", "the token endpoint takes GET and POST");
  return shapeToken(tokenEndpoint(front), result);
}

/** ACR's `POST /oauth2/exchange`: an "Entra" access token (here the registry password) for a refresh token. */
async function acrExchange(front: FrontContext, req: IncomingMessage): Promise<Answer> {
  const form = new URLSearchParams((await readAll(req)).toString("utf8"));
  if (front.backend.kind !== "token" || req.method !== "POST" || form.get("grant_type") !== "access_token") {
    return jsonAnswer(400, { error: "unsupported_grant_type" });
  }
  if (!front.registryPassword || form.get("access_token") !== front.registryPassword)
    return specError(401, "UNAUTHORIZED", "invalid access token");
  const refreshToken = await acrRefreshToken(front);
  return refreshToken
    ? jsonAnswer(200, { refresh_token: refreshToken })
    : specError(401, "UNAUTHORIZED", "exchange refused");
}

/** A refresh token of the registry's user from the token server (what `az acr login --expose-token` prints). */
export async function acrRefreshToken(front: FrontContext): Promise<string | undefined> {
  if (front.backend.kind !== "token" || !front.registryUser || !front.registryPassword) return undefined;
  const { realm, service } = front.backend;
  const grant = {
    grant_type: "password",
    username: front.registryUser,
    password: front.registryPassword,
    access_type: "offline",
    service,
    scope: "",
  };
  const result = await postForm(realm, grant);
  return typeof result.json.refresh_token === "string" ? result.json.refresh_token : undefined;
}

interface TokenResult {
  status: number;
  json: Record<string, unknown>;
}

function authorizationHeader(value: string | undefined): Record<string, string> {
  return value ? { authorization: value } : {};
}

function postForm(realm: string, form: Record<string, string>): Promise<TokenResult> {
  const body = new URLSearchParams(form).toString();
  return tokenRequest(realm, {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
}

async function tokenRequest(url: string, init: RequestInit): Promise<TokenResult> {
  const response = await fetch(url, init);
  const text = await response.text();
  try {
    return { status: response.status, json: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { status: response.status, json: { error: text } };
  }
}

function shapeToken(endpoint: TokenEndpoint, { status, json }: TokenResult): Answer {
  const contentType = endpoint.contentType ?? "application/json";
  let reply = json;
  if (status === 200) {
    const token = json.token ?? json.access_token;
    reply = {};
    if (endpoint.reply !== "access_token") reply.token = token;
    if (endpoint.reply !== "token") reply.access_token = token;
    for (const key of ["expires_in", "issued_at", "refresh_token"]) if (json[key] !== undefined) reply[key] = json[key];
  }
  return { status, headers: { "content-type": contentType }, body: Buffer.from(JSON.stringify(reply)) };
}
