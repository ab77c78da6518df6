import { createPrivateKey, randomUUID, sign, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface TokenServerOptions {
  /** PEM files of the signing key and its certificate (distribution's rootcertbundle). */
  keyFile: string;
  certFile: string;
  issuer: string;
  service: string;
  /** username -> password */
  users: Record<string, string>;
  /** Token lifetime. Default 300 s. */
  expiresInSeconds?: number;
}

export interface TokenServer {
  realm: string;
  /** Requests answered, for tests that count token fetches. */
  requests: number;
  close(): Promise<void>;
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

/**
 * A minimal implementation of the distribution token spec: GET with Basic auth, and the OAuth2
 * POST grants `password` and `refresh_token`. Tokens are RS256 JWTs with an `x5c` header that
 * distribution verifies against its rootcertbundle. Valid users get every action they ask for.
 */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const key = createPrivateKey(readFileSync(options.keyFile));
  const certDer = new X509Certificate(readFileSync(options.certFile)).raw.toString("base64");
  const refreshTokens = new Map<string, string>();
  const state = { requests: 0 };

  const issue = (subject: string, scopes: string[]): string => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: options.issuer,
      sub: subject,
      aud: options.service,
      iat: now,
      nbf: now - 10,
      exp: now + (options.expiresInSeconds ?? 300),
      jti: randomUUID(),
      access: scopes.map(parseScope).filter((a): a is Access => a !== undefined),
    };
    const head = base64url(JSON.stringify({ alg: "RS256", typ: "JWT", x5c: [certDer] }));
    const body = base64url(JSON.stringify(claims));
    return `${head}.${body}.${sign("sha256", Buffer.from(`${head}.${body}`), key).toString("base64url")}`;
  };

  const grant = (res: ServerResponse, subject: string, scopes: string[], refresh: boolean) => {
    const token = issue(subject, scopes);
    const reply: Record<string, unknown> = {
      token,
      access_token: token,
      expires_in: options.expiresInSeconds ?? 300,
      issued_at: new Date().toISOString(),
    };
    if (refresh) {
      const refreshToken = randomUUID();
      refreshTokens.set(refreshToken, subject);
      reply.refresh_token = refreshToken;
    }
    send(res, 200, reply);
  };

  const server: Server = createServer(async (req, res) => {
    state.requests++;
    const url = new URL(req.url ?? "/", "http://token");
    if (req.method === "GET") {
      const user = basicUser(req, options.users);
      if (!user) return send(res, 401, { errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] });
      return grant(res, user, url.searchParams.getAll("scope"), url.searchParams.get("offline_token") === "true");
    }
    if (req.method === "POST") {
      const form = new URLSearchParams(await readBody(req));
      const scopes = (form.get("scope") ?? "").split(" ").filter(Boolean);
      if (form.get("grant_type") === "password") {
        const user = form.get("username") ?? "";
        if (options.users[user] === undefined || options.users[user] !== form.get("password"))
          return send(res, 401, { error: "invalid_grant" });
        return grant(res, user, scopes, form.get("access_type") === "offline");
      }
      if (form.get("grant_type") === "refresh_token") {
        const user = refreshTokens.get(form.get("refresh_token") ?? "");
        if (!user) return send(res, 401, { error: "invalid_grant" });
        return grant(res, user, scopes, false);
      }
      return send(res, 400, { error: "unsupported_grant_type" });
    }
    send(res, 405, {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    get requests() {
      return state.requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function parseScope(scope: string): Access | undefined {
  const parts = scope.split(":");
  if (parts.length < 3) return undefined;
  const actions = parts.pop()!.split(",").filter(Boolean);
  const type = parts.shift()!;
  return { type, name: parts.join(":"), actions };
}

function basicUser(req: IncomingMessage, users: Record<string, string>): string | undefined {
  const header = req.headers.authorization ?? "";
  if (!header.startsWith("Basic ")) return undefined;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const user = decoded.slice(0, colon);
  return users[user] !== undefined && users[user] === decoded.slice(colon + 1) ? user : undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function base64url(text: string): string {
  return Buffer.from(text).toString("base64url");
}
