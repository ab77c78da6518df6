import { answerBody, header, readAll, setBody, specError, textAnswer, type Answer } from "./answer.js";
import type { Exchange, FrontContext, Layer } from "./front.js";
import type { Knobs, MediaTypeAllowList } from "./knobs.js";
import type { RegistryStorage } from "../registry-storage.js";

const DOCKER_V2S2 = "application/vnd.docker.distribution.manifest.v2+json";
const DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
const OCI_ARTIFACT_MANIFEST = "application/vnd.oci.artifact.manifest.v1+json";
const ECR_INVALID = "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'";

/** The fields of a manifest or index the checks read. */
interface ManifestDocument {
  mediaType?: string;
  artifactType?: string;
  config?: { mediaType?: string; digest?: string };
  layers?: { mediaType?: string; digest?: string }[];
  manifests?: { mediaType?: string; artifactType?: string }[];
  subject?: { digest?: string };
}

/**
 * Manifest reads, writes and deletes as the personality treats them (sections 4, 5 and 8 of
 * docs/contract/registry-quirks.md).
 */
export function manifestLayer(front: FrontContext): Layer {
  return {
    async before(exchange) {
      if (exchange.route.kind !== "manifest") return undefined;
      if (exchange.method === "GET" || exchange.method === "HEAD") return read(front, exchange);
      if (exchange.method === "PUT") return write(front, exchange);
      if (exchange.method === "DELETE") return remove(front.knobs, exchange);
      return undefined;
    },
  };
}

function read(front: FrontContext, exchange: Exchange): undefined {
  const { repo, reference } = exchange.route as { repo: string; reference: string };
  const hex = /^sha256-([0-9a-f]{64})$/.exec(reference)?.[1];
  // gitlab-dash-tag-resolves-digest: a missing fallback tag answers with the subject itself.
  if (
    front.knobs.dashTagResolvesDigest &&
    hex &&
    !front.storage.tagDigest(repo, reference) &&
    front.storage.manifestDigests(repo).includes(`sha256:${hex}`)
  ) {
    const url = new URL(exchange.forward.path, "http://registry");
    exchange.forward.path = `/v2/${repo}/manifests/sha256:${hex}${url.search}`;
  }
  // ecr-get-manifest-no-digest: GET loses the header, HEAD keeps it; redhat-head-no-digest the other way round.
  const keep = exchange.method === "GET" ? front.knobs.getManifestDigestHeader : front.knobs.headManifestDigestHeader;
  if (keep === false) {
    exchange.after.push((answer) => void delete answer.headers["docker-content-digest"]);
  }
  return undefined;
}

async function write(front: FrontContext, exchange: Exchange): Promise<Answer | undefined> {
  const body = await readAll(exchange.req, 32 * 1024 * 1024);
  exchange.forward.body = body;
  let document: ManifestDocument | undefined;
  try {
    document = JSON.parse(body.toString("utf8")) as ManifestDocument;
  } catch {
    // distribution answers malformed JSON itself (400 MANIFEST_INVALID, or 405 below for ECR).
  }
  const contentType = header(exchange.req, "content-type")?.split(";")[0]?.trim();
  const refusal = document && refuse(front, document, contentType);
  if (refusal) return refusal;
  if (front.knobs.validationErrors405) exchange.after.push(validationAs405);
  if (front.knobs.referrers === "api" && document?.subject?.digest) {
    const subject = document.subject.digest;
    exchange.after.push((answer) => {
      if (answer.status === 201) answer.headers["oci-subject"] = subject;
    });
  }
  return undefined;
}

function refuse(front: FrontContext, document: ManifestDocument, contentType: string | undefined): Answer | undefined {
  const { knobs } = front;
  const mediaType = document.mediaType ?? contentType;
  // zot-docker2s2-rejected
  if (knobs.rejectDockerV2s2 && mediaType === DOCKER_V2S2) {
    return specError(400, "MANIFEST_INVALID", "manifest invalid", {
      description: "zot does not accept Docker schema 2 manifests without http.compat docker2s2",
      mediaType,
    });
  }
  // ecr-manifest-validation-405
  if (knobs.requireTopLevelMediaType && document.mediaType === undefined)
    return specError(405, "UNSUPPORTED", ECR_INVALID);
  // ecr-mediatype-params
  const parameterised = knobs.rejectMediaTypeParams ? typesOf(document).find((type) => type.includes(";")) : undefined;
  if (parameterised)
    return specError(
      405,
      "UNSUPPORTED",
      `Invalid parameter at 'mediaType' failed to satisfy constraint: '${parameterised}' has parameters`,
    );
  // quay-docker-config-strict
  if (knobs.dockerConfigStrict && mediaType === DOCKER_V2S2 && document.config?.mediaType !== DOCKER_CONFIG) {
    return specError(400, "MANIFEST_INVALID", "manifest invalid", {
      message: `failed to parse manifest: unknown config media type ${document.config?.mediaType}`,
    });
  }
  if (knobs.mediaTypeAllowList) {
    const refused = allowListRefusal(knobs.mediaTypeAllowList, document, mediaType);
    if (refused) return refused;
  }
  // artifactory-history-required
  if (knobs.requireConfigHistory && !historyMatches(front.storage, document)) {
    return specError(
      400,
      "MANIFEST_INVALID",
      "manifest invalid",
      "the image config needs a history entry for every layer (RTFACT-17134)",
    );
  }
  return undefined;
}

/** Every media type a manifest or index names besides its own. */
function typesOf(document: ManifestDocument): string[] {
  const types = [
    document.artifactType,
    document.config?.mediaType,
    ...(document.layers ?? []).map((layer) => layer.mediaType),
  ];
  for (const child of document.manifests ?? []) types.push(child.mediaType, child.artifactType);
  return types.filter((type): type is string => typeof type === "string");
}

function allowListRefusal(
  list: MediaTypeAllowList,
  document: ManifestDocument,
  mediaType: string | undefined,
): Answer | undefined {
  if (list.style === "gitlab") {
    // gitlab-mediatype-allowlist: config, layers and artifactType each checked.
    const own = [
      document.artifactType,
      document.config?.mediaType,
      ...(document.layers ?? []).map((layer) => layer.mediaType),
    ];
    const unknown = own.find((type) => typeof type === "string" && !list.types.includes(type));
    return unknown
      ? specError(400, "MANIFEST_INVALID", "manifest invalid", `unknown media type: ${unknown}`)
      : undefined;
  }
  // quay-artifact-allowlist
  if (mediaType === OCI_ARTIFACT_MANIFEST) return textAnswer(415, "", "application/json");
  if (!document.config) return undefined;
  const config = document.config.mediaType ?? "";
  const allowedLayers = list.configs[config];
  if (!allowedLayers)
    return specError(400, "MANIFEST_INVALID", "manifest invalid", {
      message: `failed to parse manifest: config media type ${config} is not allowed`,
    });
  for (const layer of document.layers ?? []) {
    const type = layer.mediaType ?? "";
    if (!list.layerEnum.includes(type) || !allowedLayers.includes(type)) {
      const choices = list.layerEnum.map((choice) => `'${choice}'`).join(", ");
      return specError(400, "MANIFEST_INVALID", "manifest invalid", {
        message: `failed to parse manifest: manifest data does not match schema: '${type}' is not one of [${choices}]`,
      });
    }
  }
  return undefined;
}

function historyMatches(storage: RegistryStorage, document: ManifestDocument): boolean {
  const config = document.config;
  if (!config?.digest || (config.mediaType !== OCI_CONFIG && config.mediaType !== DOCKER_CONFIG)) return true;
  const image = storage.readJson(config.digest) as { history?: { empty_layer?: boolean }[] } | undefined;
  // A config the registry lacks is refused by distribution itself (MANIFEST_BLOB_UNKNOWN).
  if (!image) return true;
  const filled = (image.history ?? []).filter((entry) => !entry.empty_layer).length;
  return Array.isArray(image.history) && filled === (document.layers ?? []).length;
}

async function validationAs405(answer: Answer): Promise<void> {
  if (answer.status !== 400) return;
  const text = (await answerBody(answer)).toString("utf8");
  if (!text.includes("MANIFEST_INVALID")) return;
  answer.status = 405;
  setBody(
    answer,
    JSON.stringify({ errors: [{ code: "UNSUPPORTED", message: ECR_INVALID }] }),
    "application/json; charset=utf-8",
  );
}

function remove(knobs: Knobs, exchange: Exchange): Answer | undefined {
  // ghcr-delete-405, delete-unsupported-variants
  if (knobs.deleteManifest === "405") return specError(405, "UNSUPPORTED", "The operation is unsupported.");
  if (knobs.deleteManifest === "by-digest-only" && !exchange.route.reference?.includes(":"))
    return specError(400, "UNSUPPORTED", "The operation is unsupported.");
  return undefined;
}
