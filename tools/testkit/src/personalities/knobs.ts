/**
 * The settings of a registry personality: each one switches on one deviation from the
 * distribution spec that the HTTP layer in front of the real registry reproduces. An unset knob
 * means "what distribution 2.8 does". Row ids in the comments are those of
 * docs/contract/registry-quirks.md.
 */

/** How a 429 answer looks (see the rows of section 7 of the catalogue). */
export type ThrottleBody =
  /**
   * `{"errors":[{"code":"TOOMANYREQUESTS","message":<message>}]}`; a Retry-After header only if `retryAfterSeconds`.
   */
  | "json"
  /** text/plain `Too Many Requests (HAP429).` (dockerhub-hap429-plaintext). */
  | "hap429-text"
  /**
   * JSON whose message holds the wait as a Go duration: `retry-after: 10.305464ms, allowed: 2000/minute`
   * (ghcr-429-hint-in-message).
   */
  | "json-go-duration"
  /** nginx's HTML 429 page (quay-429-html). */
  | "nginx-html"
  /** Azure Front Door's plain text `Ref A: ... Ref B: ... Ref C: <time>` (mcr-acr-429). */
  | "afd-ref-text";

/** A request budget per window; requests over it get a 429 in the given form. */
export interface Throttle {
  body: ThrottleBody;
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
  /** Adds `Retry-After: <n>`. Unset: no header (most registries send none). */
  retryAfterSeconds?: number;
  /** Only these methods count (e.g. writes). Default: all. */
  methods?: string[];
  /** Only these routes count. Default: all /v2/ routes. */
  routes?: RouteKind[];
  /** The message of the `json` form. Default `Rate exceeded`. */
  message?: string;
}

/** What the front recognises in a request path. */
export type RouteKind =
  | "base"
  | "manifest"
  | "blob"
  | "upload-start"
  | "upload-session"
  | "tags"
  | "referrers"
  | "catalog"
  | "other";

/** Where blob GETs go (section 3 of the catalogue). */
export type BlobRedirect =
  /**
   * 307 to a presigned S3 URL on the storage host, which rejects `Authorization` with S3's XML 400 and HEAD with 403
   * (s3-one-auth-mechanism, presigned-head-and-expiry).
   */
  | "s3-presigned"
  /** 307 to an Azure SAS URL on the storage host, which rejects `Authorization` with a 400 (acr-sas-auth-forward). */
  | "azure-sas"
  /**
   * 302 with a relative Location on the registry host itself, which works with or without `Authorization`
   * (gar-relative-redirect).
   */
  | "relative-same-host"
  /** 307 to a CDN host that ignores `Authorization` and honours Range (dockerhub-cdn-redirect). */
  | "cdn";

/** Bearer token endpoint served by the personality (the realm of its challenge). */
export interface TokenEndpoint {
  /** `same`: on the registry host; `auth`: on a separate loopback listener (another host). */
  host: "same" | "auth";
  /** Path of the realm, e.g. `/token`, `/v2/token`, `/jwt/auth`. */
  path: string;
  /** The `service` of the challenge; `{host}` is replaced by the registry's host:port. */
  service: string;
  /** Which fields the token answer carries. Default both `token` and `access_token`. */
  reply?: "both" | "token" | "access_token";
  /** Content-Type of the token answer. Default application/json. */
  contentType?: string;
}

/** How a Basic challenge of the registry looks. */
export interface BasicChallenge {
  /** The scheme as written, `Basic` or `BASIC` (nexus-basic-uppercase). */
  scheme: "Basic" | "BASIC";
  /** `{host}` is replaced by the registry's host:port. */
  realm: string;
  service?: string;
  /** Answer the 401 with `Content-Type: application/json` and an empty body (nexus-basic-uppercase). */
  emptyJsonBody?: boolean;
}

/** Tag listing (section 8 of the catalogue). */
export interface TagPaging {
  /**
   * `spec`: `n` and `last` with a `Link: <...?last=&n=>; rel="next"` header (distribution v3);
   * `opaque-next-page`: Quay's `next_page=<opaque>` link, `last` ignored (quay-tags-next-page).
   */
  style: "spec" | "opaque-next-page";
  /** Page size when the request has no `n`. Unset: every tag on one page. */
  defaultN?: number;
  /** Largest `n`. */
  maxN?: number;
  /** Over `maxN`: ECR's 400 UNSUPPORTED (ecr-tags-n-max-1000) or ACR's silent cap (acr-tags-cap-1000). */
  overMax?: "error" | "cap";
}

/** Manifest media-type allow-lists (gitlab-mediatype-allowlist, quay-artifact-allowlist). */
export type MediaTypeAllowList =
  | {
      /**
       * GitLab: config, layer and artifactType must each be known; `400 MANIFEST_INVALID` `unknown media type: <x>`.
       */
      style: "gitlab";
      types: string[];
    }
  | {
      /** Quay: config types map to their allowed layer types; layers are checked against a schema enum. */
      style: "quay";
      configs: Record<string, string[]>;
      layerEnum: string[];
    };

/** The knobs; see each for the catalogue row it reproduces. */
export interface Knobs {
  // --- uploads (section 1) ---
  /** Largest PATCH body in bytes; bigger gets 416 REQUESTED_RANGE_NOT_SATISFIABLE (ghcr-patch-4mib). */
  patchMaxBody?: number;
  /** Smallest non-final PATCH part in bytes; a smaller one fails when the next part arrives (ecr-min-part-5mb). */
  patchMinPart?: number;
  /** Status of an accepted PATCH (ecr-patch-201). Default 202. */
  patchStatus?: 201 | 202;
  /** `first-chunk-stuck`: Range keeps reporting the end of the first chunk (ecr-range-stale). Default cumulative. */
  rangeMode?: "cumulative" | "first-chunk-stuck";
  /** An empty final PUT after more than one PATCH answers 500 with no body (ecr-empty-final-put-500). */
  emptyFinalPutAfterChunks500?: boolean;
  /** GET on an upload session answers 404 (ecr-upload-status-404). */
  uploadStatusGet404?: boolean;
  /** Refuses chunked uploads: a PATCH with Content-Range, or a second PATCH in a session (gar-no-chunked). */
  refuseChunkedUploads?: boolean;
  /** A POST to start an upload without Content-Length answers Google's 411 HTML page (gar-post-411). */
  requireContentLengthOnPost?: boolean;
  /**
   * The upload `Location`: `absolute` (distribution), `relative` (`/v2/...`), `singular-upload`
   * (`/v2/<n>/blobs/upload/<uuid>`, ghcr-upload-location-singular) or `gar-artifacts-uploads`
   * (relative, outside `/v2/`, gar-upload-location-nonv2) or `other-host` (absolute, on a second
   * listener of the same registry: another port, location-host-port-mismatch). Default absolute.
   */
  uploadLocation?: "absolute" | "relative" | "singular-upload" | "gar-artifacts-uploads" | "other-host";
  /**
   * `strict-spec`: a PATCH Content-Range other than `<start>-<end>` is refused (acr-content-range-format). Default
   * lenient (distribution 2.8 ignores it).
   */
  contentRange?: "lenient" | "strict-spec";
  /**
   * After any failed or interrupted request, the session answers 404 BLOB_UPLOAD_UNKNOWN
   * (ghcr-upload-unknown-on-retry).
   */
  poisonSessionOnError?: boolean;
  /** A PUT with the whole blob on a session that saw no PATCH answers 404 BLOB_UNKNOWN (artifactory-requires-patch). */
  requirePatchBeforePut?: boolean;
  /**
   * A final PUT whose Content-Range does not start at the session's offset gets 416 (put-bad-range-divergence, zot).
   * Default: distribution appends.
   */
  badRangePut416?: boolean;

  // --- mounts (section 2) ---
  /**
   * `202-always`: a mount is never done (artifactory-mount-202-autoshare); `202-unless-referenced`:
   * only a blob a manifest of the source repository references is mounted (ecr-mount-optin-referenced);
   * `401-if-source-project-missing`: 401 `project <p> not found` (harbor-mount-missing-project-401).
   * Default: distribution (201 when the source has the blob, 202 otherwise).
   */
  mount?: "202-always" | "202-unless-referenced" | "401-if-source-project-missing";

  // --- blob GET redirects (section 3) ---
  blobRedirect?: BlobRedirect;
  /** Lifetime of a presigned URL; after it the storage host answers 403. Default 300 s (presigned-head-and-expiry). */
  presignedTtlSeconds?: number;

  // --- referrers and deletes (section 4) ---
  /**
   * `404`: no API (distribution 2.8's plain-text router 404); `303-to-github`: a 303 to an HTML page
   * that answers 429 (ghcr-referrers-404-then-303); `406` (artifactory-referrers-406); `api`: an
   * OCI 1.1 referrers API computed from storage, with `OCI-Subject` on manifest PUTs.
   */
  referrers?: "404" | "303-to-github" | "406" | "api";
  /** Quay's API: 400 for a subject that does not exist, fallback-tag descriptors merged in (quay-referrers-quirks). */
  quayReferrersApi?: boolean;
  /** A missing `sha256-<hex>` tag resolves to the manifest `sha256:<hex>` (gitlab-dash-tag-resolves-digest). */
  dashTagResolvesDigest?: boolean;
  /**
   * `405`: DELETE of a manifest is UNSUPPORTED (ghcr-delete-405, delete-unsupported-variants); `by-digest-only`: by tag
   * 400 UNSUPPORTED (Harbor).
   */
  deleteManifest?: "405" | "by-digest-only";

  // --- manifest acceptance (section 5) ---
  mediaTypeAllowList?: MediaTypeAllowList;
  /** A media type or artifactType with parameters (`;version=0.2`) is refused (ecr-mediatype-params). */
  rejectMediaTypeParams?: boolean;
  /** A manifest without a top-level `mediaType` is refused (ecr-manifest-validation-405). */
  requireTopLevelMediaType?: boolean;
  /** Manifest validation errors answer 405 UNSUPPORTED instead of 400 (ecr-manifest-validation-405). */
  validationErrors405?: boolean;
  /** A Docker v2 schema 2 manifest is refused with 400 MANIFEST_INVALID (zot-docker2s2-rejected). */
  rejectDockerV2s2?: boolean;
  /** An image config without `history` matching the layers is refused (artifactory-history-required). */
  requireConfigHistory?: boolean;
  /** A Docker schema 2 manifest needs the Docker image config type (quay-docker-config-strict). */
  dockerConfigStrict?: boolean;
  /** `false`: manifest GET answers carry no Docker-Content-Digest; HEAD still does (ecr-get-manifest-no-digest). */
  getManifestDigestHeader?: boolean;
  /** `false`: manifest HEAD answers carry no Docker-Content-Digest (redhat-head-no-digest). */
  headManifestDigestHeader?: boolean;

  // --- authentication (section 6) ---
  /** The login user name clients use; the front maps it to the registry's own user. */
  username?: string;
  /** How a Basic challenge is written (ecr-basic-challenge, nexus-basic-uppercase). */
  basicChallenge?: BasicChallenge;
  /** The token realm served for a token-mode registry (gitlab-jwt-realm, ecr-public-bearer, ...). */
  tokenEndpoint?: TokenEndpoint;
  /** The token service grants only the last `scope` of a request (token-multi-scope-ignored). */
  tokenLastScopeOnly?: boolean;
  /** ACR's `/oauth2/exchange` and refresh-token login with the 0000... user (acr-refresh-token-exchange). */
  acrRefreshTokens?: boolean;
  /** Basic credentials on a Bearer registry: 403 DENIED `Your Authorization Token is invalid.` (ecr-public-bearer). */
  basicOnBearer403?: boolean;
  /** The password used as a Bearer token: 403 DENIED `invalid token` (ghcr-missing-or-private-403). */
  passwordAsBearer403?: boolean;
  /**
   * A read of a repository that does not exist: 401 UNAUTHORIZED (dockerhub-missing-repo-401) or 403 DENIED
   * (ghcr-missing-or-private-403).
   */
  missingRepository?: "401" | "403";
  /**
   * Sets Harbor's session and CSRF cookies and answers 403 `CSRF token invalid` when a write sends them back
   * (harbor-csrf-cookie).
   */
  csrfCookies?: boolean;
  /** 406 when Accept on upload and tag calls names only manifest types (artifactory-accept-406). */
  strictAccept?: boolean;

  // --- rate limits (section 7) ---
  /**
   * Docker Hub's pull limit: `ratelimit-*` headers on manifest answers, a GET answered 200
   * counted (a challenge or a 404 pulls nothing), HEAD free, 429 at the limit
   * (dockerhub-ratelimit-headers).
   */
  pullLimit?: { limit: number; windowSeconds: number };
  throttles?: Throttle[];

  // --- tags (section 8) ---
  tags?: TagPaging;
}
