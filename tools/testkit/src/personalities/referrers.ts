import { statSync } from "node:fs";
import { jsonAnswer, specError, type Answer } from "./answer.js";
import type { Exchange, FrontContext, Layer } from "./front.js";

const INDEX = "application/vnd.oci.image.index.v1+json";
const MANIFEST_TYPES = [
  "application/vnd.oci.image.manifest.v1+json",
  INDEX,
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
].join(", ");

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/**
 * `GET /v2/<n>/referrers/<digest>` as the personality answers it: distribution 2.8's plain 404
 * (no knob), GHCR's 303 to a GitHub page (ghcr-referrers-404-then-303), Artifactory's 406
 * (artifactory-referrers-406), or an OCI 1.1 referrers API computed from the registry's storage,
 * with Quay's differences (quay-referrers-quirks).
 */
export function referrersLayer(front: FrontContext): Layer {
  return {
    async before(exchange) {
      if (exchange.route.kind !== "referrers" || exchange.method !== "GET") return undefined;
      switch (front.knobs.referrers) {
        case "406":
          return jsonAnswer(406, { errors: [{ status: 406, message: "Not Acceptable" }] });
        case "303-to-github": {
          const target = `${front.storageOrigin}/-/v2/packages/container/package/${encodeURIComponent(
            exchange.route.repo!,
          )}%2Freferrers%2Fsha256`;
          return { status: 303, headers: { location: target, "content-length": 0 }, body: Buffer.alloc(0) };
        }
        case "api":
          return referrersIndex(front, exchange);
        default:
          return undefined;
      }
    },
  };
}

async function referrersIndex(front: FrontContext, exchange: Exchange): Promise<Answer> {
  const { repo, reference: digest } = exchange.route as { repo: string; reference: string };
  if (!/^sha256:[0-9a-f]{64}$/.test(digest))
    return specError(400, "DIGEST_INVALID", "provided digest did not match uploaded content", { digest });
  // The registry decides access: a HEAD of the subject with the client's credentials.
  const head = await front.upstream.fetch("HEAD", `/v2/${repo}/manifests/${digest}`, {
    ...exchange.forward.headers,
    accept: MANIFEST_TYPES,
  });
  if (head.status === 401 || head.status === 403) return head;
  if (!front.storage.hasRepository(repo))
    return specError(404, "NAME_UNKNOWN", "repository name not known to registry", { name: repo });
  if (head.status === 404 && front.knobs.quayReferrersApi)
    return specError(400, "MANIFEST_INVALID", "manifest invalid", { message: `manifest ${digest} not found` });
  const artifactType = exchange.url.searchParams.get("artifactType");
  let manifests = referrersOf(front, repo, digest);
  if (front.knobs.quayReferrersApi) manifests = merge(manifests, fallbackTagEntries(front, repo, digest));
  if (artifactType) manifests = manifests.filter((descriptor) => descriptor.artifactType === artifactType);
  const headers = artifactType ? { "oci-filters-applied": "artifactType" } : {};
  return {
    ...jsonAnswer(200, { schemaVersion: 2, mediaType: INDEX, manifests }),
    headers: { "content-type": INDEX, ...headers },
  };
}

function referrersOf(front: FrontContext, repo: string, subject: string): Descriptor[] {
  const found: Descriptor[] = [];
  for (const digest of front.storage.manifestDigests(repo)) {
    const doc = front.storage.readJson(digest) as
      | {
          mediaType?: string;
          artifactType?: string;
          config?: { mediaType?: string };
          subject?: { digest?: string };
          annotations?: Record<string, string>;
        }
      | undefined;
    if (doc?.subject?.digest !== subject) continue;
    const descriptor: Descriptor = {
      mediaType: doc.mediaType ?? "application/vnd.oci.image.manifest.v1+json",
      digest,
      size: statSync(front.storage.blobPath(digest)!).size,
    };
    const artifactType = doc.artifactType ?? doc.config?.mediaType;
    if (artifactType) descriptor.artifactType = artifactType;
    if (doc.annotations) descriptor.annotations = doc.annotations;
    found.push(descriptor);
  }
  return found;
}

/** The entries of the `sha256-<hex>` tag-schema index, which Quay merges into its answer. */
function fallbackTagEntries(front: FrontContext, repo: string, subject: string): Descriptor[] {
  const tagged = front.storage.tagDigest(repo, subject.replace(":", "-"));
  const index = tagged ? (front.storage.readJson(tagged) as { manifests?: Descriptor[] } | undefined) : undefined;
  return index?.manifests ?? [];
}

function merge(first: Descriptor[], second: Descriptor[]): Descriptor[] {
  const seen = new Set(first.map((descriptor) => descriptor.digest));
  return [...first, ...second.filter((descriptor) => !seen.has(descriptor.digest))];
}
