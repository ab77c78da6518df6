import { createHmac, timingSafeEqual } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { header, textAnswer, type Answer } from "./answer.js";
import type { FrontContext, Layer } from "./front.js";
import type { BlobRedirect } from "./knobs.js";

const GAR_DOWNLOADS = /^\/artifacts-downloads\/namespaces\/[^/]+\/repositories\/.+\/downloads\/([^/]+)$/;
const STORAGE_PATH =
  /^\/(s3|azure|cdn)\/[^/]+\/docker\/registry\/v2\/blobs\/sha256\/[0-9a-f]{2}\/([0-9a-f]{64})\/data$/;

/**
 * Blob GETs redirected away from the registry (section 3 of docs/contract/registry-quirks.md): the
 * registry checks access (a HEAD with the client's credentials), then the client is sent to a
 * signed URL on the storage host, or for GAR to a relative URL on the registry host itself.
 */
export function blobRedirectLayer(front: FrontContext): Layer {
  return {
    async before(exchange) {
      const style = front.knobs.blobRedirect;
      if (!style) return undefined;
      const download = GAR_DOWNLOADS.exec(exchange.url.pathname)?.[1];
      if (style === "relative-same-host" && download !== undefined)
        return serveGarDownload(front, exchange.req, download);
      if (exchange.route.kind !== "blob" || exchange.method !== "GET") return undefined;
      const { range: _range, ...headers } = exchange.forward.headers;
      const head = await front.upstream.fetch("HEAD", exchange.forward.path, headers);
      // Anything but 200 is forwarded, so the client sees the registry's own answer.
      if (head.status !== 200) return undefined;
      return redirect(front, style, exchange.route.repo!, exchange.route.reference!);
    },
  };
}

function redirect(front: FrontContext, style: BlobRedirect, repo: string, digest: string): Answer {
  const ttl = front.knobs.presignedTtlSeconds ?? 300;
  const expires = Math.floor(Date.now() / 1000) + ttl;
  const hex = digest.slice("sha256:".length);
  const signature = sign(front, style, digest, expires);
  const blobPath = `docker/registry/v2/blobs/sha256/${hex.slice(0, 2)}/${hex}/data`;
  let location: string;
  if (style === "s3-presigned") {
    const issued = new Date((expires - ttl) * 1000).toISOString().replace(/[-:]|\.\d+/g, "");
    const query = new URLSearchParams({
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Credential": `AKIATESTBED/${issued.slice(0, 8)}/us-east-1/s3/aws4_request`,
      "X-Amz-Date": issued,
      "X-Amz-Expires": String(ttl),
      "X-Amz-SignedHeaders": "host",
      "X-Amz-Signature": signature,
    });
    location = `${front.storageOrigin}/s3/prod-us-east-1-starport-layer-bucket/${blobPath}?${query}`;
  } else if (style === "azure-sas") {
    const query = new URLSearchParams({
      sv: "2019-12-12",
      se: new Date(expires * 1000).toISOString().replace(/\.\d+/, ""),
      sr: "b",
      sp: "r",
      sig: signature,
    });
    location = `${front.storageOrigin}/azure/registry/${blobPath}?${query}`;
  } else if (style === "cdn") {
    location = `${front.storageOrigin}/cdn/registry-v2/${blobPath}?verify=${expires}-${signature}`;
  } else {
    const token = `${Buffer.from(JSON.stringify({ digest, expires })).toString("base64url")}.${signature}`;
    const [project, ...rest] = repo.split("/");
    location = `/artifacts-downloads/namespaces/${project}/repositories/${
      rest.join("/") || project
    }/downloads/${token}`;
  }
  return {
    status: style === "relative-same-host" ? 302 : 307,
    headers: { location, "content-length": 0 },
    body: Buffer.alloc(0),
  };
}

function sign(front: FrontContext, style: BlobRedirect, digest: string, expires: number): string {
  return createHmac("sha256", front.secret).update(`${style}\n${digest}\n${expires}`).digest("hex");
}

function signatureMatches(
  front: FrontContext,
  style: BlobRedirect,
  digest: string,
  expires: number,
  signature: string,
): boolean {
  const expected = Buffer.from(sign(front, style, digest, expires));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function serveGarDownload(front: FrontContext, req: IncomingMessage, token: string): Answer {
  const [payload = "", signature = ""] = token.split(".");
  let claims: { digest?: string; expires?: number } = {};
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as typeof claims;
  } catch {
    // An unreadable token is refused below like a forged one.
  }
  const { digest = "", expires = 0 } = claims;
  if (!signatureMatches(front, "relative-same-host", digest, expires, signature) || expires * 1000 < Date.now()) {
    return textAnswer(403, "Forbidden: the download URL is invalid or expired\n", "text/plain; charset=utf-8");
  }
  return serveBlob(front, req, digest);
}

/**
 * The storage host: serves blobs for signed URLs the way S3 (s3-one-auth-mechanism,
 * presigned-head-and-expiry), Azure Blob SAS (acr-sas-auth-forward) and a CDN
 * (dockerhub-cdn-redirect) do, and the GitHub page a GHCR referrers 303 lands on
 * (ghcr-referrers-404-then-303).
 */
export function storageHostAnswer(front: FrontContext, req: IncomingMessage): Answer {
  const url = new URL(req.url ?? "/", front.storageOrigin);
  if (url.pathname.startsWith("/-/v2/packages/")) return githubRateLimitPage();
  const match = STORAGE_PATH.exec(url.pathname);
  if (!match) return s3Error(404, "NoSuchKey", "The specified key does not exist.");
  const style = ({ s3: "s3-presigned", azure: "azure-sas", cdn: "cdn" } as const)[match[1] as "s3" | "azure" | "cdn"];
  const digest = `sha256:${match[2]}`;
  const refusal = storageRefusal(front, style, req, url, digest);
  return refusal ?? serveBlob(front, req, digest);
}

function storageRefusal(
  front: FrontContext,
  style: BlobRedirect,
  req: IncomingMessage,
  url: URL,
  digest: string,
): Answer | undefined {
  const authorization = header(req, "authorization") !== undefined;
  const query = url.searchParams;
  if (style === "s3-presigned") {
    if (authorization) {
      return s3Error(
        400,
        "InvalidArgument",
        "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter" +
          " or the Authorization header should be specified",
        "<ArgumentName>Authorization</ArgumentName>",
      );
    }
    // A presigned URL is signed for GET: HEAD gets 403 with no body.
    if (req.method === "HEAD")
      return { status: 403, headers: { "content-type": "application/xml" }, body: Buffer.alloc(0) };
    const issued = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get("X-Amz-Date") ?? "");
    const expires = issued
      ? Date.UTC(+issued[1]!, +issued[2]! - 1, +issued[3]!, +issued[4]!, +issued[5]!, +issued[6]!) / 1000 +
        Number(query.get("X-Amz-Expires"))
      : 0;
    if (!signatureMatches(front, style, digest, expires, query.get("X-Amz-Signature") ?? "")) {
      return s3Error(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided.",
      );
    }
    return expires * 1000 < Date.now() ? s3Error(403, "AccessDenied", "Request has expired") : undefined;
  }
  if (style === "azure-sas") {
    if (authorization) {
      return azureError(
        400,
        "InvalidAuthenticationInfo",
        "Authentication information is not given in the correct format. Check the value of Authorization header.",
      );
    }
    const expires = Date.parse(query.get("se") ?? "") / 1000;
    if (!signatureMatches(front, style, digest, expires, query.get("sig") ?? "") || expires * 1000 < Date.now()) {
      return azureError(
        403,
        "AuthenticationFailed",
        "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly " +
          "including the signature.",
      );
    }
    return undefined;
  }
  const [expires = "0", signature = ""] = (query.get("verify") ?? "").split("-");
  const valid =
    signatureMatches(front, style, digest, Number(expires), signature) && Number(expires) * 1000 >= Date.now();
  return valid ? undefined : textAnswer(403, "403 Forbidden\n", "text/plain; charset=utf-8");
}

/** Serves a blob's bytes from the registry's storage, honouring a single `Range: bytes=a-b`. */
export function serveBlob(front: FrontContext, req: IncomingMessage, digest: string): Answer {
  const path = front.storage.blobPath(digest);
  if (!path) return textAnswer(404, "blob not found\n", "text/plain; charset=utf-8");
  const size = statSync(path).size;
  const headers = { "content-type": "application/octet-stream", "accept-ranges": "bytes", etag: `"${digest}"` };
  const range = /^bytes=(\d*)-(\d*)$/.exec(header(req, "range") ?? "");
  let start = 0;
  let end = size - 1;
  if (range && (range[1] || range[2])) {
    start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start >= size || start > end) return textAnswer(416, "", "text/plain", { "content-range": `bytes */${size}` });
  }
  const partial = start !== 0 || end !== size - 1;
  const answer: Answer = {
    status: partial ? 206 : 200,
    headers: {
      ...headers,
      "content-length": end - start + 1,
      ...(partial ? { "content-range": `bytes ${start}-${end}/${size}` } : {}),
    },
  };
  if (req.method !== "HEAD" && size > 0) answer.stream = createReadStream(path, { start, end });
  else answer.body = Buffer.alloc(0);
  return answer;
}

function s3Error(status: number, code: string, message: string, extra = ""): Answer {
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}` +
    "<RequestId>TESTBED</RequestId></Error>";
  return textAnswer(status, xml, "application/xml");
}

function azureError(status: number, code: string, message: string): Answer {
  const request = `RequestId:00000000-0000-0000-0000-000000000000\nTime:${new Date().toISOString()}`;
  const body = `<Error><Code>${code}</Code><Message>${message}\n${request}</Message></Error>`;
  return textAnswer(status, `<?xml version="1.0" encoding="utf-8"?>${body}`, "application/xml");
}

function githubRateLimitPage(): Answer {
  const page =
    "<!DOCTYPE html>\n<html><head><title>Too many requests &middot; GitHub</title></head>" +
    "<body><h1>Whoa there!</h1><p>You have exceeded a secondary rate limit.</p></body></html>\n";
  return textAnswer(429, page, "text/html; charset=utf-8");
}
