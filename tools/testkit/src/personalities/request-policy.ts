import { randomBytes } from "node:crypto";
import { header, jsonAnswer, setBody, specError } from "./answer.js";
import { challengeFor } from "./auth.js";
import { isRead, type FrontContext, type Layer } from "./front.js";

const MANIFEST_TYPE = /application\/vnd\.(oci\.image\.(manifest|index)|docker\.distribution\.manifest)/;

/**
 * Harbor's CSRF cookies (harbor-csrf-cookie): every answer sets them, and a write that sends them
 * back is refused with 403, as it is from a client with a cookie jar.
 */
export function csrfLayer(front: FrontContext): Layer {
  return {
    before(exchange) {
      if (!front.knobs.csrfCookies || ["GET", "HEAD", "OPTIONS"].includes(exchange.method)) return undefined;
      const cookies = header(exchange.req, "cookie") ?? "";
      return /(^|;\s*)(sid|_gorilla_csrf|__csrf)=/.test(cookies)
        ? specError(403, "FORBIDDEN", "CSRF token invalid")
        : undefined;
    },
    decorate(_exchange, answer) {
      if (!front.knobs.csrfCookies) return;
      const token = randomBytes(16).toString("hex");
      answer.headers["set-cookie"] = [
        `sid=${randomBytes(16).toString("hex")}; Path=/; HttpOnly`,
        `_gorilla_csrf=${token}; Path=/; HttpOnly; SameSite=Strict`,
      ];
      answer.headers["x-harbor-csrf-token"] = token;
    },
  };
}

/**
 * Artifactory's strict Accept (artifactory-accept-406): manifest types in Accept on upload calls,
 * or an Accept without application/json on tags/list, get 406. A request without Accept passes.
 */
export function strictAcceptLayer(front: FrontContext): Layer {
  return {
    before(exchange) {
      const accept = header(exchange.req, "accept");
      if (!front.knobs.strictAccept || accept === undefined || /\*\/\*|application\/json/.test(accept))
        return undefined;
      const kind = exchange.route.kind;
      const refused =
        kind === "tags" || ((kind === "upload-start" || kind === "upload-session") && MANIFEST_TYPE.test(accept));
      return refused ? jsonAnswer(406, { errors: [{ status: 406, message: "Not Acceptable" }] }) : undefined;
    },
  };
}

/**
 * Reads of a repository that does not exist: Docker Hub's 401 (dockerhub-missing-repo-401) or
 * GHCR's 403 denied (ghcr-missing-or-private-403) instead of distribution's 404.
 */
export function missingRepositoryLayer(front: FrontContext): Layer {
  return {
    decorate(exchange, answer) {
      const mode = front.knobs.missingRepository;
      const repo = exchange.route.repo;
      if (
        !mode ||
        !answer.fromRegistry ||
        answer.status !== 404 ||
        !isRead(exchange) ||
        !repo ||
        front.storage.hasRepository(repo)
      )
        return;
      if (mode === "403") {
        answer.status = 403;
        setBody(
          answer,
          JSON.stringify({ errors: [{ code: "DENIED", message: "requested access to the resource is denied" }] }),
          "application/json",
        );
        return;
      }
      answer.status = 401;
      const detail = [{ Type: "repository", Class: "", Name: repo, Action: "pull" }];
      setBody(
        answer,
        JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "authentication required", detail }] }),
        "application/json",
      );
      const challenge = challengeFor(front, `repository:${repo}:pull`);
      if (challenge) answer.headers["www-authenticate"] = challenge;
    },
  };
}
