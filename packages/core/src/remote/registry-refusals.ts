import { RegistryError, type RegistryErrorDetail } from "../errors.js";
import type { Manifest } from "../manifest.js";
import { ArtifactType, MediaType } from "../media-types.js";

/**
 * A read answered 401 or 403 by a registry that accepted the credentials (or gave an anonymous
 * token): Docker Hub says 401 and GHCR 403 `denied` for a repository that does not exist as for
 * one the credentials may not read (registry-quirks: dockerhub-missing-repo-401,
 * ghcr-missing-or-private-403), so it is reported as either, with exit code 3.
 */
export function notFoundOrDenied(error: RegistryError, registry: string): RegistryError {
  return new RegistryError(
    "not-found",
    `${error.message}: not found, or not authorised to read it`,
    error.status,
    error.errors,
    {
      hint:
        `Check the repository name and the tag or digest (${registry} answers the same for a missing repository); ` +
        `if it is private, log in with tofu-oci auth login ${registry} or pass -u and --password-stdin.`,
    },
  );
}

/** A write refused with 401 or 403 although the credentials were accepted: they may not push there. */
export function pushDenied(error: RegistryError, repository: string): RegistryError {
  return new RegistryError(
    "unauthorized",
    `${error.message}: not authorised to push to ${repository}`,
    error.status,
    error.errors,
    {
      hint:
        "Use credentials that may push to this repository: e.g. a token with write:packages on GHCR, write_registry on " +
        "GitLab, a Harbor robot account with push permission, content/write in an ACR scope map.",
    },
  );
}

// The types of OpenTofu's artifacts (docs/contract/design.md §3) that registries with allow-lists refuse.
const OPENTOFU_TYPES: readonly string[] = [
  MediaType.zip,
  ArtifactType.module,
  ArtifactType.provider,
  ArtifactType.providerTarget,
  ArtifactType.providerPackage,
  MediaType.spdxJson,
  MediaType.cyclonedxJson,
];
const REFUSAL_STATUSES = new Set([400, 405, 415, 422]);

/**
 * A manifest PUT refused because of a media type (registry-quirks: gitlab-mediatype-allowlist,
 * quay-artifact-allowlist, ecr-manifest-validation-405): says which type, quotes the registry's
 * own words, and what its settings need. Undefined for other failures.
 */
export function mediaTypeRefusal(error: RegistryError, manifest: Manifest, name: string): RegistryError | undefined {
  if (!REFUSAL_STATUSES.has(error.status)) return undefined;
  const words = registryWords(error.errors);
  const types = typesOf(manifest);
  const named = [...types.filter((type) => OPENTOFU_TYPES.includes(type)), ...types].find((type) =>
    words.includes(type),
  );
  const validation =
    error.errors.some((e) => e.code === "UNSUPPORTED" || e.code === "MANIFEST_INVALID") || error.status === 415;
  if (!named && !(validation && /media ?type|schema|artifact|not allowed|unknown|ImageManifest/i.test(words || "415")))
    return undefined;
  const suspects = named ? [named] : types.filter((type) => OPENTOFU_TYPES.includes(type));
  const which = suspects.length > 0 ? suspects.join(", ") : "a media type of the manifest";
  return new RegistryError(
    "network",
    `${name} refused the manifest because of ${which}: HTTP ${error.status}${words ? ` (${words})` : ""}`,
    error.status,
    error.errors,
    {
      hint:
        `The registry must accept OpenTofu's media types (${OPENTOFU_TYPES.join(", ")}). GitLab: the container ` +
        "registry's media-type allow-list must have them; Quay: FEATURE_GENERAL_OCI_SUPPORT with these config and " +
        "layer types in ALLOWED_OCI_ARTIFACT_TYPES (or IGNORE_UNKNOWN_MEDIATYPES: true); other registries: allow " +
        "OCI artifacts of these types in the repository's settings.",
    },
  );
}

/**
 * The registry's error codes, messages and details (GitLab puts `unknown media type: ...` in
 * `detail`, Quay a `{message}` there) as one line: control characters and runs of white space
 * become one space, at most 500 characters.
 */
export function registryWords(errors: readonly RegistryErrorDetail[]): string {
  const text = errors
    .map((e) =>
      [e.code, e.message, detailText(e.detail)].filter((part) => part !== undefined && part !== "").join(": "),
    )
    .join("; ")
    .replace(/[\p{Cc}\s]+/gu, " ")
    .trim();
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

function detailText(detail: unknown): string | undefined {
  if (typeof detail === "string") return detail;
  if (detail && typeof detail === "object") {
    const message = (detail as { message?: unknown }).message;
    if (typeof message === "string") return message;
    try {
      return JSON.stringify(detail);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function typesOf(manifest: Manifest): string[] {
  const types: (string | undefined)[] = [manifest.mediaType, manifest.artifactType];
  if ("config" in manifest) types.push(manifest.config.mediaType, ...manifest.layers.map((layer) => layer.mediaType));
  else types.push(...manifest.manifests.flatMap((entry) => [entry.mediaType, entry.artifactType]));
  return [...new Set(types.filter((type): type is string => typeof type === "string"))];
}
