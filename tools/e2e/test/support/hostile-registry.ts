import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { EMPTY_CONFIG, EMPTY_CONFIG_BYTES, MediaType, sha256Digest } from "@tofu-oci/core";
import { buildModuleManifest } from "@tofu-oci/opentofu";
import { buildZip } from "@tofu-oci/testkit";

// Responses distribution never sends, so they cannot come from the real registry: this server
// plays a hostile one. Each manifest tag misbehaves in one way; the zip layer of repository
// `endless` never ends, that of every other repository needs Basic auth and redirects to another
// origin (the "blob storage"); repository `sboms` lists 10,000 SBOM referrers it does not have.
const ZIP = buildZip([{ name: "main.tf", content: 'variable "x" {}\n' }]);
const LAYER = { mediaType: MediaType.zip, digest: sha256Digest(ZIP), size: ZIP.length };
const MANIFEST = buildModuleManifest({ layer: LAYER, title: "module.zip" });
const OVERSIZED = Buffer.from(
  JSON.stringify({ ...MANIFEST.manifest, annotations: { pad: "x".repeat(4 * 1024 * 1024) } }),
);
/** A module manifest whose layer digest would make a path of the registry's API (`.../blobs/sha256:../../admin/...`). */
const ESCAPING = Buffer.from(
  JSON.stringify({ ...MANIFEST.manifest, layers: [{ ...LAYER, digest: "sha256:../../admin/secrets" }] }),
);
/** The referrers API answer in repository `sboms`, for every subject: 10,000 SBOMs the registry does not have. */
const PHANTOM_SBOMS = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.imageIndex,
    manifests: Array.from({ length: 10_000 }, (_, i) => ({
      mediaType: MediaType.imageManifest,
      digest: sha256Digest(`phantom ${i}`),
      size: 400,
      artifactType: MediaType.spdxJson,
    })),
  }),
);

/** What the hostile server saw: each request's path and Authorization header. */
export interface SeenRequest {
  origin: "registry" | "storage";
  path: string;
  authorization: string | undefined;
}

export interface HostileRegistry {
  /** `127.0.0.1:PORT` of the registry. */
  host: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const manifestTags: Record<string, Handler> = {
  "oversized-declared": (_req, res) =>
    res.writeHead(200, { "content-type": MediaType.imageManifest, "content-length": OVERSIZED.length }).end(OVERSIZED),
  "oversized-chunked": (_req, res) => res.writeHead(200, { "content-type": MediaType.imageManifest }).end(OVERSIZED),
  endless: (req, res) => endless(req, res, MediaType.imageManifest),
  "wrong-content-type": (_req, res) =>
    res
      .writeHead(200, {
        "content-type": "text/html",
        "docker-content-digest": MANIFEST.descriptor.digest,
        "content-length": MANIFEST.bytes.length,
      })
      .end(MANIFEST.bytes),
  "lying-digest": (_req, res) =>
    res
      .writeHead(200, {
        "content-type": MediaType.imageManifest,
        "docker-content-digest": sha256Digest(Buffer.from("other")),
      })
      .end(MANIFEST.bytes),
  "1.0.0": (_req, res) =>
    res
      .writeHead(200, {
        "content-type": MediaType.imageManifest,
        "docker-content-digest": MANIFEST.descriptor.digest,
        "content-length": MANIFEST.bytes.length,
      })
      .end(MANIFEST.bytes),
  escaping: (_req, res) =>
    res
      .writeHead(200, {
        "content-type": MediaType.imageManifest,
        "docker-content-digest": sha256Digest(ESCAPING),
        "content-length": ESCAPING.length,
      })
      .end(ESCAPING),
};

/** Streams filler until the client goes away, at most 64 MiB. */
function endless(req: IncomingMessage, res: ServerResponse, contentType: string): void {
  res.writeHead(200, { "content-type": contentType });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = () => {
    while (sent < 64 * 1024 * 1024 && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
    res.end();
  };
  req.socket.on("close", () => res.destroy());
  pump();
}

/** Starts the hostile registry and the "blob storage" it redirects to (another origin). */
export async function startHostileRegistry(): Promise<HostileRegistry> {
  const requests: SeenRequest[] = [];
  const storage = await listen((req, res) => {
    requests.push({ origin: "storage", path: req.url ?? "", authorization: req.headers.authorization });
    res.writeHead(200, { "content-length": ZIP.length }).end(ZIP);
  });
  const registry = await listen((req, res) => {
    const path = req.url ?? "";
    requests.push({ origin: "registry", path, authorization: req.headers.authorization });
    const tag = /\/manifests\/([^/?]+)$/.exec(path)?.[1];
    if (tag && manifestTags[tag]) return manifestTags[tag]!(req, res);
    if (tag === MANIFEST.descriptor.digest) return manifestTags["1.0.0"]!(req, res);
    if (tag === sha256Digest(ESCAPING)) return manifestTags.escaping!(req, res);
    if (path.startsWith("/v2/sboms/referrers/"))
      return void res
        .writeHead(200, { "content-type": MediaType.imageIndex, "content-length": PHANTOM_SBOMS.length })
        .end(PHANTOM_SBOMS);
    if (path.includes("/tags/list"))
      return void res
        .writeHead(200, {
          "content-type": "application/json",
          link: '<http://127.0.0.2:9/v2/a/tags/list?last=x>; rel="next"',
        })
        .end(JSON.stringify({ name: "a", tags: ["1.0.0"] }));
    if (path.endsWith(`/blobs/${EMPTY_CONFIG.digest}`))
      return void res.writeHead(200, { "content-length": 2 }).end(EMPTY_CONFIG_BYTES);
    if (path.endsWith(`/blobs/${LAYER.digest}`)) return blob(req, res, storage);
    res
      .writeHead(404, { "content-type": "application/json" })
      .end(JSON.stringify({ errors: [{ code: "NAME_UNKNOWN" }] }));
  });
  return {
    host: `127.0.0.1:${port(registry)}`,
    requests,
    close: async () => {
      await Promise.all(
        [registry, storage].map(
          (server) => new Promise((resolve) => (server.close(resolve), server.closeAllConnections())),
        ),
      );
    },
  };
}

/** The zip layer: Basic auth required, then a redirect to the storage origin (or an endless body). */
function blob(req: IncomingMessage, res: ServerResponse, storage: Server): void {
  if (req.url?.startsWith("/v2/endless/")) return endless(req, res, "application/octet-stream");
  if (!req.headers.authorization) return void res.writeHead(401, { "www-authenticate": 'Basic realm="hostile"' }).end();
  res.writeHead(307, { location: `http://localhost:${port(storage)}/storage/${LAYER.digest}` }).end();
}

async function listen(handler: Handler): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

function port(server: Server): number {
  return (server.address() as AddressInfo).port;
}
