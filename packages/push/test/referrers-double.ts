import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";

interface Referrer {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
}

/** A front for the real registry that also implements the referrers API. */
export interface ReferrersDouble {
  host: string;
  /** Requests to the referrers endpoint served so far. */
  referrerRequests: number;
  close(): Promise<void>;
}

/**
 * A small test double: forwards every request to the real (plain HTTP) registry, and adds what
 * distribution 2.8 lacks: `OCI-Subject` on manifest PUTs that carry a subject, and
 * `GET /v2/<name>/referrers/<digest>`. Allowed for the referrers-API case only.
 */
export async function startReferrersDouble(upstream: string): Promise<ReferrersDouble> {
  const referrers = new Map<string, Referrer[]>();
  const state = { referrerRequests: 0 };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://double").pathname;
    const listing = /^\/v2\/(.+)\/referrers\/(sha256:[a-f0-9]{64})$/.exec(path);
    if (req.method === "GET" && listing) {
      state.referrerRequests++;
      const body = JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests: referrers.get(`${listing[1]}@${listing[2]}`) ?? [],
      });
      res.writeHead(200, {
        "content-type": "application/vnd.oci.image.index.v1+json",
        "content-length": Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    void forward(req, res, upstream, (name, bytes) => {
      const manifest = JSON.parse(bytes.toString("utf8")) as {
        subject?: { digest: string };
        mediaType: string;
        artifactType?: string;
      };
      if (!manifest.subject) return undefined;
      const key = `${name}@${manifest.subject.digest}`;
      const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
      const entry: Referrer = { mediaType: manifest.mediaType, digest, size: bytes.length };
      if (manifest.artifactType) entry.artifactType = manifest.artifactType;
      referrers.set(key, [...(referrers.get(key) ?? []).filter((r) => r.digest !== digest), entry]);
      return manifest.subject.digest;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    get referrerRequests() {
      return state.referrerRequests;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type OnManifest = (repository: string, bytes: Buffer) => string | undefined;

async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: string,
  onManifest: OnManifest,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  // The Host header stays the double's, so distribution builds upload Locations that point here.
  const proxied = request(
    {
      host: upstream.split(":")[0],
      port: Number(upstream.split(":")[1]),
      method: req.method,
      path: req.url,
      headers: req.headers,
    },
    (upstreamRes) => {
      const headers = { ...upstreamRes.headers };
      const manifestPut =
        req.method === "PUT" &&
        /^\/v2\/(.+)\/manifests\/[^/]+$/.exec(new URL(req.url ?? "/", "http://double").pathname);
      if (manifestPut && upstreamRes.statusCode === 201) {
        const subject = onManifest(manifestPut[1]!, body);
        if (subject) headers["oci-subject"] = subject;
      }
      res.writeHead(upstreamRes.statusCode ?? 502, headers);
      upstreamRes.pipe(res);
    },
  );
  proxied.on("error", () => res.destroy());
  proxied.end(body);
}
