import type { RegistryMode } from "../registry.js";
import type { Knobs, Throttle } from "./knobs.js";

/** The registries the test bed imitates; `distribution` adds no deviation. */
export const PERSONALITY_NAMES = [
  "ghcr",
  "ecr",
  "ecr-public",
  "gar",
  "dockerhub",
  "gitlab",
  "harbor",
  "quay",
  "acr",
  "artifactory",
  "nexus",
  "zot",
  "distribution",
] as const;

export type PersonalityName = (typeof PERSONALITY_NAMES)[number];

/**
 * Knob settings that reproduce catalogue rows (docs/contract/registry-quirks.md), with a note where the emulation
 * chooses.
 */
export interface Quirk {
  /** Row ids of the catalogue; empty where the setting is general knowledge rather than a row. */
  rows: string[];
  knobs: Knobs;
  note?: string;
}

/** A catalogue row that the real distribution registry behind the front already reproduces. */
export interface NativeRow {
  row: string;
  note: string;
}

/** One registry's deviations, as data. */
export interface Personality {
  name: PersonalityName;
  title: string;
  /** The registry mode whose auth flow is this registry's own (basic for Basic registries, token for Bearer ones). */
  defaultMode: RegistryMode;
  quirks: Quirk[];
  native: NativeRow[];
  /** Alternative settings, e.g. a later behaviour of a time-bound row; applied over `quirks`. */
  variants?: Record<string, Quirk[]>;
  /** What a client must do to work there, one line. */
  clientMustDo: string;
  /** What the user must set up there (credentials, scopes, allow-lists), one line. */
  userMustConfigure: string;
}

const MiB = 1024 * 1024;

// Distribution 2.8.2 (Debian's docker-registry) checked by hand and by tools/testkit/test/personalities.test.ts.
const DISTRIBUTION: Record<string, NativeRow> = {
  state: {
    row: "distribution-location-state-query",
    note: "upload Locations carry `?_state=`, a new one on every answer; an old one gets 404 BLOB_UPLOAD_INVALID",
  },
  postDigest: {
    row: "distribution-post-digest-202",
    note: "POST ?digest= with a body answers 202 and ignores the body",
  },
  range: { row: "range-header-semantics", note: "Range is cumulative (`0-<last>`) and `0-0` for an empty session" },
  streamed: {
    row: "docker-streamed-patch-no-length",
    note: "a PATCH without Content-Length and Content-Range is accepted",
  },
  mount: {
    row: "mount-202-fallback",
    note: "mount answers 201 when the source has the blob, 202 with a session otherwise",
  },
  accept: {
    row: "accept-negotiation-404",
    note: "404 MANIFEST_UNKNOWN `OCI manifest found, but accept header does not support OCI manifests`",
  },
  invalidName: {
    row: "distribution-invalid-name-text-404",
    note: "uppercase in a later path component gets the router's plain-text 404",
  },
  badRange: {
    row: "put-bad-range-divergence",
    note: "2.8.2 ignores Content-Range on PATCH and PUT and appends; the PUT succeeds when the digest matches",
  },
  subject: {
    row: "ghcr-subject-stored-no-header",
    note: "`subject` is stored as sent and no OCI-Subject header is returned",
  },
  noReferrers: {
    row: "dockerhub-no-referrers",
    note: "GET /v2/<n>/referrers/<d> gets the router's plain-text 404; subject accepted without OCI-Subject",
  },
  deleteByTag: {
    row: "delete-unsupported-variants",
    note: "DELETE by tag answers 400 DIGEST_INVALID (deletes are enabled in the test bed)",
  },
  sourcePull: {
    row: "dockerhub-mount-needs-source-pull",
    note: "in token mode distribution checks pull access on `from`, so a token without it gets 401",
  },
};
const DISTRIBUTION_DERIVED = [DISTRIBUTION.state!, DISTRIBUTION.mount!, DISTRIBUTION.accept!];

const ECR_UPLOADS: Quirk[] = [
  { rows: ["ecr-patch-201"], knobs: { patchStatus: 201 } },
  { rows: ["ecr-range-stale"], knobs: { rangeMode: "first-chunk-stuck" } },
  {
    rows: ["ecr-min-part-5mb"],
    knobs: { patchMinPart: 5 * MiB },
    note: "the HTTP status was never captured; the emulation answers 400 when the part after a small one arrives",
  },
  {
    rows: ["ecr-empty-final-put-500"],
    knobs: { emptyFinalPutAfterChunks500: true },
    note: "only after two or more PATCHes: docker's one PATCH + empty PUT works on ECR",
  },
  { rows: ["ecr-get-manifest-no-digest"], knobs: { getManifestDigestHeader: false } },
  {
    rows: ["s3-one-auth-mechanism", "presigned-head-and-expiry"],
    knobs: { blobRedirect: "s3-presigned", presignedTtlSeconds: 300 },
  },
  { rows: ["ecr-tags-n-max-1000"], knobs: { tags: { style: "spec", defaultN: 100, maxN: 1000, overMax: "error" } } },
  { rows: ["ecr-manifest-validation-405"], knobs: { requireTopLevelMediaType: true, validationErrors405: true } },
  { rows: ["ecr-mediatype-params"], knobs: { rejectMediaTypeParams: true } },
];

// An approximation of GitLab's seeded media types (container-registry migration
// 20210503150438_seed_media_types_table.go and later additions); OpenTofu's types are not on it
// (gitlab.com gitlab-org/gitlab#562714).
const GITLAB_MEDIA_TYPES = [
  "application/vnd.docker.container.image.v1+json",
  "application/vnd.oci.image.config.v1+json",
  "application/vnd.oci.empty.v1+json",
  "application/vnd.cncf.helm.config.v1+json",
  "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
  "application/vnd.cncf.helm.chart.provenance.v1.prov",
  "application/vnd.docker.image.rootfs.diff.tar.gzip",
  "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
  "application/vnd.oci.image.layer.v1.tar",
  "application/vnd.oci.image.layer.v1.tar+gzip",
  "application/vnd.oci.image.layer.v1.tar+zstd",
  "application/vnd.oci.image.layer.nondistributable.v1.tar",
  "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
  "application/vnd.dev.cosign.simplesigning.v1+json",
  "application/vnd.dsse.envelope.v1+json",
  "application/vnd.in-toto+json",
  "application/vnd.sylabs.sif.config.v1+json",
  "application/vnd.sylabs.sif.layer.v1.sif",
  "application/tar+gzip",
  "text/spdx+json",
  "text/spdx",
];

// Quay's ALLOWED_OCI_ARTIFACT_TYPES and layer schema enum as quay-artifact-allowlist quotes them.
const QUAY_LAYER_ENUM = [
  "application/vnd.oci.image.layer.v1.tar",
  "application/vnd.oci.image.layer.v1.tar+gzip",
  "application/vnd.oci.image.layer.v1.tar+zstd",
  "application/vnd.oci.image.layer.nondistributable.v1.tar",
  "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
  "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
  "application/vnd.docker.image.rootfs.diff.tar.gzip",
  "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
  "application/vnd.sylabs.sif.layer.v1.sif",
  "application/tar+gzip",
  "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
  "text/spdx+json",
  "application/vnd.in-toto+json",
];
const QUAY_CONFIGS: Record<string, string[]> = {
  "application/vnd.oci.image.config.v1+json": QUAY_LAYER_ENUM,
  "application/vnd.docker.container.image.v1+json": QUAY_LAYER_ENUM,
  "application/vnd.oci.empty.v1+json": QUAY_LAYER_ENUM,
  "application/vnd.cncf.helm.config.v1+json": [
    "application/tar+gzip",
    "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
  ],
  "application/vnd.sylabs.sif.config.v1+json": ["application/vnd.sylabs.sif.layer.v1.sif"],
};

/** OpenTofu's media types (design.md), which GitLab and Quay admins must allow. */
export const OPENTOFU_MEDIA_TYPES = [
  "archive/zip",
  "application/vnd.opentofu.modulepkg",
  "application/vnd.opentofu.provider",
  "application/vnd.opentofu.provider-target",
  "application/vnd.opentofu.providerpkg",
  "application/vnd.cyclonedx+json",
];

const writes = ["POST", "PUT", "PATCH", "DELETE"];
const reads = ["GET", "HEAD"];
const ghcrThrottles: Throttle[] = [
  { body: "json-go-duration", limit: 2000, windowSeconds: 60, methods: writes },
  { body: "json-go-duration", limit: 44000, windowSeconds: 60, methods: reads },
];

/** Every personality, by name. */
export const PERSONALITIES: Record<PersonalityName, Personality> = {
  ghcr: {
    name: "ghcr",
    title: "GitHub Container Registry (ghcr.io)",
    defaultMode: "token",
    quirks: [
      {
        rows: ["ghcr-missing-or-private-403"],
        knobs: { tokenEndpoint: { host: "same", path: "/token", service: "{host}" } },
      },
      { rows: ["ghcr-patch-4mib"], knobs: { patchMaxBody: 4 * MiB } },
      { rows: ["ghcr-upload-location-singular"], knobs: { uploadLocation: "singular-upload" } },
      {
        rows: ["ghcr-upload-unknown-on-retry"],
        knobs: { poisonSessionOnError: true },
        note:
          "deterministic here: every failed or interrupted request but a 401 challenge ends the session (GHCR does " +
          "it intermittently)",
      },
      {
        rows: ["ghcr-referrers-404-then-303"],
        knobs: { referrers: "404" },
        note: "the answer until about 2026-04; variant `referrers-303` is the later one",
      },
      { rows: ["ghcr-delete-405"], knobs: { deleteManifest: "405" } },
      { rows: ["ghcr-missing-or-private-403"], knobs: { missingRepository: "403", passwordAsBearer403: true } },
      { rows: ["ghcr-429-hint-in-message"], knobs: { throttles: ghcrThrottles } },
      {
        rows: ["presigned-head-and-expiry"],
        knobs: { blobRedirect: "s3-presigned", presignedTtlSeconds: 300 },
        note: "the 2020 S3 bucket; today pkg-containers.githubusercontent.com, also GET-only and expiring",
      },
      {
        rows: ["tags-pagination-inconsistent"],
        knobs: { tags: { style: "spec" } },
        note: "n and last honoured since the 2021-08 fix",
      },
    ],
    native: [DISTRIBUTION.subject!, DISTRIBUTION.state!],
    variants: {
      "referrers-303": [
        { rows: ["ghcr-referrers-404-then-303"], knobs: { referrers: "303-to-github" }, note: "from about 2026-04-22" },
      ],
    },
    clientMustDo:
      "Upload in one PUT or PATCH chunks of at most 4 MiB, restart a failed session with a new POST, read 403 denied" +
      " as not found or not authorised, use the tag schema when referrers answer 404 or 303, never DELETE.",
    userMustConfigure:
      "A personal access token with read:packages and write:packages (delete:packages to delete through the REST API).",
  },
  ecr: {
    name: "ecr",
    title: "Amazon ECR (private)",
    defaultMode: "basic",
    quirks: [
      {
        rows: ["ecr-basic-challenge"],
        knobs: {
          username: "AWS",
          basicChallenge: { scheme: "Basic", realm: "https://{host}/", service: "ecr.amazonaws.com" },
        },
      },
      ...ECR_UPLOADS,
      {
        rows: ["ecr-mount-optin-referenced"],
        knobs: { mount: "202-unless-referenced" },
        note: "with the BLOB_MOUNTING setting on; off, every mount is a 202",
      },
      {
        rows: ["ecr-oci-subject-without-api"],
        knobs: { referrers: "api" },
        note: "the 2024 header-without-API state is history: AWS now serves the referrers API",
      },
      {
        rows: ["ecr-throttle"],
        knobs: { throttles: [{ body: "json", message: "Rate exceeded", limit: 1000, windowSeconds: 1 }] },
        note: "the limit is an assumption: ECR's API quotas are per action, around a thousand per second",
      },
    ],
    native: [DISTRIBUTION.mount!],
    clientMustDo:
      "Answer the Basic challenge as AWS with a 12-hour token; upload in one PUT or parts of at least 5 MiB with the" +
      " last in the PUT, accepting 201 and tracking the offset locally; hash manifest GETs; always write a top-level" +
      " mediaType and no media-type parameters.",
    userMustConfigure:
      "`aws ecr get-login-password` as the password of user AWS (renew every 12 h); BLOB_MOUNTING on for " +
      "cross-repository mounts.",
  },
  "ecr-public": {
    name: "ecr-public",
    title: "Amazon ECR Public (public.ecr.aws)",
    defaultMode: "token",
    quirks: [
      {
        rows: ["ecr-public-bearer"],
        knobs: {
          username: "AWS",
          tokenEndpoint: { host: "same", path: "/token/", service: "public.ecr.aws", reply: "token" },
          basicOnBearer403: true,
        },
        note: "the DENIED status is not in the reports; 403 here",
      },
      ...ECR_UPLOADS.map((quirk) => ({
        ...quirk,
        note: [quirk.note, "rows name ECR; public.ecr.aws is assumed alike"].filter(Boolean).join("; "),
      })),
      { rows: ["ecr-upload-status-404"], knobs: { uploadStatusGet404: true } },
      {
        rows: ["ecr-throttle"],
        knobs: {
          throttles: [
            {
              body: "json",
              message: "Rate exceeded",
              limit: 10,
              windowSeconds: 1,
              methods: ["GET"],
              routes: ["manifest", "blob"],
            },
          ],
        },
        note: "10 pulls per second authenticated (1 anonymous)",
      },
    ],
    native: [DISTRIBUTION.mount!],
    clientMustDo:
      "Exchange the credentials at the realm and send the result as Bearer, never Basic; never rely on the upload " +
      "status GET; otherwise as ECR (201 PATCH, stale Range, 5 MiB parts, no digest header on GET).",
    userMustConfigure: "`aws ecr-public get-login-password --region us-east-1` as the password of user AWS.",
  },
  gar: {
    name: "gar",
    title: "Google Artifact Registry (*-docker.pkg.dev) and GCR",
    defaultMode: "token",
    quirks: [
      {
        rows: ["gar-oauth2accesstoken"],
        knobs: { username: "oauth2accesstoken", tokenEndpoint: { host: "same", path: "/v2/token", service: "{host}" } },
      },
      {
        rows: ["gar-no-chunked"],
        knobs: { refuseChunkedUploads: true },
        note: "the refusal's status was not captured; 400 BLOB_UPLOAD_INVALID here",
      },
      { rows: ["gar-post-411"], knobs: { requireContentLengthOnPost: true } },
      { rows: ["gar-upload-location-nonv2"], knobs: { uploadLocation: "gar-artifacts-uploads" } },
      { rows: ["gar-relative-redirect"], knobs: { blobRedirect: "relative-same-host" } },
    ],
    native: [DISTRIBUTION.mount!],
    clientMustDo:
      "Send Content-Length: 0 on empty requests, upload in one PUT (or one streamed PATCH) and never in " +
      "Content-Range chunks, and resolve relative Locations (uploads outside /v2/, blob downloads) against the " +
      "request URL.",
    userMustConfigure:
      "User oauth2accesstoken with `gcloud auth print-access-token` (valid 1 h), or _json_key with a service-account" +
      " key.",
  },
  dockerhub: {
    name: "dockerhub",
    title: "Docker Hub (registry-1.docker.io)",
    defaultMode: "token",
    quirks: [
      {
        rows: ["dockerhub-misc-headers"],
        knobs: {
          tokenEndpoint: {
            host: "auth",
            path: "/token",
            service: "registry.docker.io",
            contentType: "text/plain; charset=utf-8",
          },
        },
        note: "the realm is on another host (auth.docker.io)",
      },
      { rows: ["dockerhub-missing-repo-401"], knobs: { missingRepository: "401" } },
      {
        rows: ["dockerhub-ratelimit-headers"],
        knobs: { pullLimit: { limit: 100, windowSeconds: 21600 } },
        note: "the 2020-2024 window; 2025: 10 per hour anonymous, 100 per hour for personal accounts",
      },
      {
        rows: ["dockerhub-hap429-plaintext"],
        knobs: { throttles: [{ body: "hap429-text", retryAfterSeconds: 60, limit: 600, windowSeconds: 60 }] },
        note: "the anti-abuse threshold is not published; 600 a minute here",
      },
      { rows: ["dockerhub-cdn-redirect"], knobs: { blobRedirect: "cdn" } },
      { rows: ["delete-unsupported-variants"], knobs: { deleteManifest: "405" } },
      {
        rows: ["tags-pagination-inconsistent"],
        knobs: { tags: { style: "spec", defaultN: 100 } },
        note: "the 2026 report: the first 100 tags with a Link header",
      },
    ],
    native: [DISTRIBUTION.sourcePull!, DISTRIBUTION.noReferrers!, ...DISTRIBUTION_DERIVED],
    clientMustDo:
      "Ask one token for the destination's push and the source's pull scope before mounting, read a 401 on a fresh " +
      "token as not found, HEAD manifests instead of GET (GETs count against the pull limit), parse 429 bodies only " +
      "when JSON and honour Retry-After.",
    userMustConfigure:
      "A personal access token (read/write) as the password; repositories are <namespace>/<name>, two levels only.",
  },
  gitlab: {
    name: "gitlab",
    title: "GitLab container registry (registry.gitlab.com)",
    defaultMode: "token",
    quirks: [
      {
        rows: ["gitlab-jwt-realm"],
        knobs: {
          username: "gitlab-ci-token",
          tokenEndpoint: { host: "auth", path: "/jwt/auth", service: "container_registry" },
        },
      },
      {
        rows: ["gitlab-dash-tag-resolves-digest"],
        knobs: { dashTagResolvesDigest: true, referrers: "404" },
        note: "only when no tag of that name exists",
      },
      {
        rows: ["gitlab-mediatype-allowlist"],
        knobs: { mediaTypeAllowList: { style: "gitlab", types: GITLAB_MEDIA_TYPES } },
      },
      { rows: [], knobs: { tags: { style: "spec" } } },
    ],
    native: [...DISTRIBUTION_DERIVED, DISTRIBUTION.invalidName!],
    variants: {
      "opentofu-types-allowed": [
        {
          rows: ["gitlab-mediatype-allowlist"],
          knobs: { mediaTypeAllowList: { style: "gitlab", types: [...GITLAB_MEDIA_TYPES, ...OPENTOFU_MEDIA_TYPES] } },
          note: "an instance whose allow-list has OpenTofu's types",
        },
      ],
      "2018": [
        {
          rows: ["token-multi-scope-ignored"],
          knobs: { tokenLastScopeOnly: true },
          note: "GitLab 2017-18 granted only the last scope",
        },
      ],
    },
    clientMustDo:
      "Follow the realm to its other host, accept a `sha256-<hex>` tag as a referrers index only if it is an index " +
      "whose digest differs from the subject's, and show the registry's `unknown media type` words when it refuses a" +
      " type.",
    userMustConfigure:
      "A token with read_registry and write_registry (CI: gitlab-ci-token and $CI_JOB_TOKEN); OpenTofu's media types" +
      " (archive/zip, application/vnd.opentofu.*) must be on GitLab's allow-list.",
  },
  harbor: {
    name: "harbor",
    title: "Harbor",
    defaultMode: "token",
    quirks: [
      {
        rows: ["harbor-robot-usernames"],
        knobs: {
          username: "robot$tofu+ci",
          tokenEndpoint: { host: "same", path: "/service/token", service: "harbor-registry" },
        },
      },
      { rows: ["harbor-csrf-cookie"], knobs: { csrfCookies: true } },
      { rows: ["harbor-mount-missing-project-401"], knobs: { mount: "401-if-source-project-missing" } },
      { rows: ["delete-unsupported-variants"], knobs: { deleteManifest: "by-digest-only" } },
      { rows: ["harbor-referrers"], knobs: { referrers: "api" }, note: "Harbor 2.8 and later" },
      { rows: [], knobs: { tags: { style: "spec" } } },
    ],
    native: DISTRIBUTION_DERIVED,
    clientMustDo:
      "Keep no cookies (send none back on writes), fall back to a plain upload when a mount answers 401, and delete " +
      "by digest only.",
    userMustConfigure:
      "A robot account `robot$<project>+<name>` (quote the `$` in shells) with push and pull; the project must exist" +
      " before the first push.",
  },
  quay: {
    name: "quay",
    title: "Quay (quay.io and self-hosted)",
    defaultMode: "token",
    quirks: [
      {
        rows: [],
        knobs: { username: "tofu+robot", tokenEndpoint: { host: "same", path: "/v2/auth", service: "{host}" } },
        note: "robot accounts are <org>+<name>",
      },
      { rows: ["quay-tags-next-page"], knobs: { tags: { style: "opaque-next-page", defaultN: 50 } } },
      {
        rows: ["quay-artifact-allowlist"],
        knobs: { mediaTypeAllowList: { style: "quay", configs: QUAY_CONFIGS, layerEnum: QUAY_LAYER_ENUM } },
      },
      { rows: ["quay-docker-config-strict"], knobs: { dockerConfigStrict: true } },
      { rows: ["quay-referrers-quirks"], knobs: { referrers: "api", quayReferrersApi: true } },
      {
        rows: ["quay-429-html"],
        knobs: { throttles: [{ body: "nginx-html", limit: 100, windowSeconds: 1 }] },
        note: "quay.io's threshold is not published; 100 a second here",
      },
    ],
    native: [],
    variants: {
      "opentofu-types-allowed": [
        {
          rows: ["quay-artifact-allowlist"],
          knobs: {
            mediaTypeAllowList: {
              style: "quay",
              configs: {
                ...QUAY_CONFIGS,
                "application/vnd.oci.empty.v1+json": [...QUAY_LAYER_ENUM, ...OPENTOFU_MEDIA_TYPES],
              },
              layerEnum: [...QUAY_LAYER_ENUM, ...OPENTOFU_MEDIA_TYPES],
            },
          },
          note: "ALLOWED_OCI_ARTIFACT_TYPES extended with OpenTofu's types",
        },
      ],
      "redhat-cdn": [
        {
          rows: ["redhat-head-no-digest"],
          knobs: { headManifestDigestHeader: false },
          note: "registry.access.redhat.com, a CDN in front of Quay",
        },
      ],
    },
    clientMustDo:
      "Follow the Link header verbatim and stop when a page repeats (never build `last`), treat a non-JSON 429 as " +
      "opaque and back off, read 400 from referrers as no API.",
    userMustConfigure:
      "A robot token (<org>+<name>); FEATURE_GENERAL_OCI_SUPPORT with OpenTofu's config and layer types in " +
      "ALLOWED_OCI_ARTIFACT_TYPES (or IGNORE_UNKNOWN_MEDIATYPES: true).",
  },
  acr: {
    name: "acr",
    title: "Azure Container Registry",
    defaultMode: "token",
    quirks: [
      {
        rows: ["acr-refresh-token-exchange"],
        knobs: {
          username: "00000000-0000-0000-0000-000000000000",
          acrRefreshTokens: true,
          tokenEndpoint: { host: "same", path: "/oauth2/token", service: "{host}", reply: "access_token" },
        },
      },
      { rows: ["acr-sas-auth-forward"], knobs: { blobRedirect: "azure-sas", presignedTtlSeconds: 600 } },
      { rows: ["acr-content-range-format"], knobs: { contentRange: "strict-spec" } },
      { rows: ["acr-tags-cap-1000"], knobs: { tags: { style: "spec", maxN: 1000, overMax: "cap" } } },
      {
        rows: ["acr-referrers-missing-artifactType"],
        knobs: { referrers: "api" },
        note: "ACR serves the referrers API; the missing artifactType is not reproduced",
      },
      {
        rows: ["mcr-acr-429"],
        knobs: {
          throttles: [
            {
              body: "json",
              message: "too many requests",
              retryAfterSeconds: 1,
              limit: 3000,
              windowSeconds: 60,
              methods: reads,
            },
          ],
        },
        note: "Standard tier read limit; the Retry-After value is an assumption",
      },
    ],
    native: DISTRIBUTION_DERIVED,
    variants: {
      mcr: [
        {
          rows: ["mcr-acr-429"],
          knobs: { throttles: [{ body: "afd-ref-text", limit: 3000, windowSeconds: 60 }] },
          note: "MCR behind Azure Front Door",
        },
      ],
    },
    clientMustDo:
      "Log in as 00000000-0000-0000-0000-000000000000 with a refresh token and exchange it at /oauth2/token (POST or" +
      " GET), reading `access_token`; write Content-Range as `<start>-<end>`; follow Link until it is absent.",
    userMustConfigure:
      "`az acr login --expose-token` (a refresh token for user 00000000-0000-0000-0000-000000000000) or a scope-map " +
      "token with content/write.",
  },
  artifactory: {
    name: "artifactory",
    title: "JFrog Artifactory",
    defaultMode: "token",
    quirks: [
      {
        rows: [],
        knobs: { tokenEndpoint: { host: "same", path: "/artifactory/api/docker/docker/v2/token", service: "{host}" } },
      },
      { rows: ["artifactory-accept-406"], knobs: { strictAccept: true } },
      { rows: ["artifactory-referrers-406"], knobs: { referrers: "406" }, note: "before 7.90.1" },
      {
        rows: ["artifactory-mount-202-autoshare"],
        knobs: { mount: "202-always" },
        note: "the automatic sharing across repositories is not reproduced",
      },
      { rows: ["artifactory-history-required"], knobs: { requireConfigHistory: true } },
      { rows: [], knobs: { tags: { style: "spec" } } },
    ],
    native: [DISTRIBUTION.state!],
    variants: {
      "6.x": [
        {
          rows: ["artifactory-requires-patch"],
          knobs: { requirePatchBeforePut: true },
          note: "Artifactory 6 and earlier (RTFACT-19344)",
        },
      ],
    },
    clientMustDo:
      "Send manifest types in Accept only on manifest calls (application/json elsewhere), read 406 from referrers as" +
      " no API, treat a mount's 202 as upload-needed, write config history for image configs.",
    userMustConfigure:
      "An identity token of a user with deploy permission on the Docker repository; the repository key is the first " +
      "path segment.",
  },
  nexus: {
    name: "nexus",
    title: "Sonatype Nexus Repository 3",
    defaultMode: "basic",
    quirks: [
      {
        rows: ["nexus-basic-uppercase"],
        knobs: { basicChallenge: { scheme: "BASIC", realm: "Sonatype Nexus Repository Manager", emptyJsonBody: true } },
      },
      {
        rows: ["nexus-null-realm"],
        knobs: { tokenEndpoint: { host: "same", path: "/v2/token", service: "{host}" } },
        note: "the Docker Bearer Token Realm; the null:// realm of 3.77.1 is not reproduced",
      },
    ],
    native: DISTRIBUTION_DERIVED,
    variants: {
      "behind-proxy": [
        {
          rows: ["location-host-port-mismatch"],
          knobs: { uploadLocation: "other-host" },
          note: "upload Locations name another port, as behind a proxy that rewrites the host",
        },
      ],
    },
    clientMustDo: "Compare auth schemes case-insensitively and tolerate an empty JSON error body.",
    userMustConfigure:
      "A user with nx-repository-view-docker-*-add and -edit; the Docker Bearer Token Realm for token auth.",
  },
  zot: {
    name: "zot",
    title: "zot",
    defaultMode: "basic",
    quirks: [
      { rows: ["zot-docker2s2-rejected"], knobs: { rejectDockerV2s2: true } },
      { rows: ["put-bad-range-divergence"], knobs: { badRangePut416: true } },
      {
        rows: [],
        knobs: { referrers: "api", tags: { style: "spec" } },
        note: "zot serves the OCI 1.1 referrers API and paginates tags",
      },
    ],
    native: [DISTRIBUTION.range!, DISTRIBUTION.streamed!],
    clientMustDo: "Push OCI manifests only (convert Docker schema 2 first).",
    userMustConfigure: 'An htpasswd user; `http.compat: ["docker2s2"]` only if Docker manifests must be accepted.',
  },
  distribution: {
    name: "distribution",
    title: "CNCF distribution 2.8 (registry:2), unchanged",
    defaultMode: "plain",
    quirks: [],
    native: Object.values(DISTRIBUTION),
    clientMustDo:
      "Follow the spec: only 201 completes an upload or a mount, always use the newest Location and add digest as a " +
      "URL parameter, send all four manifest types in Accept.",
    userMustConfigure: "An htpasswd user or a token service; `storage.delete.enabled: true` for deletes.",
  },
};

/**
 * Catalogue rows no personality reproduces, and why: history that no longer applies, behaviour
 * that depends on load, or registries outside the test bed. Every other row is cited above.
 */
export const UNREPRODUCED_ROWS: Record<string, string> = {
  "ecr-large-stream-reset": "connection resets under load; startFaultProxy's reset faults cover the client side",
  "artifactory-chunked-last-chunk-only":
    "stores corrupt blobs for an unknown reason; the test bed keeps distribution's storage correct",
  "artifactory-orphan-sessions": "a permission rule, not an HTTP exchange",
  "content-range-on-monolithic-put": "the registry is not named",
  "ghcr-phantom-mount-201": "only under throttling during bulk mirrors",
  "quay-anon-mount-rejected": "the statuses were not captured",
  "gar-cross-registry-origin": "a mount across registries; a personality is one registry",
  "redirect-auth-required-elsewhere": "a redirect from one registry to another; a personality is one registry",
  "ecr-referrer-copy-405": "an open report without the manifest that triggers it",
  "zot-subject-first-500": "fixed in zot in 2023",
  "quay-schema1-downconvert": "needs a schema 1 converter; tofu-oci always sends every modern type in Accept",
  "ecr-oci11-history": "history: ECR accepts OCI 1.1 manifests since 2024-03",
  "gar-zero-byte-config": "history (2020)",
  "dockerhub-artifact-history": "history: Docker Hub accepts artifacts since 2022-10",
  "manifest-size-limit":
    "distribution 2.8.2 serves manifests over 4 MiB and tofu-oci writes none; the v3 failure status is not recorded",
  "nexus-list-strict": "too vague to reproduce",
  "artifactory-basic-casing": "seen with Maven only",
  "ghcr-anon-bearer": "the test bed has no public repositories",
  "gcr-tags-nonstandard": "legacy gcr.io; Artifact Registry is the gar personality",
};

/** Options that change a personality's knobs. */
export interface KnobSelection {
  /** A named variant of the personality (e.g. ghcr `referrers-303`), applied over its quirks. */
  variant?: string;
  /** Knob values that win over the personality's (e.g. small limits for tests). */
  knobs?: Knobs;
}

/** The knobs of a personality: its quirks merged in order, then the variant, then the overrides. */
export function personalityKnobs(name: PersonalityName, selection: KnobSelection = {}): Knobs {
  const personality = PERSONALITIES[name];
  if (!personality) throw new Error(`unknown personality ${name}: use one of ${PERSONALITY_NAMES.join(", ")}`);
  const variant = selection.variant === undefined ? [] : personality.variants?.[selection.variant];
  if (!variant)
    throw new Error(
      `personality ${name} has no variant ${selection.variant}: ${
        Object.keys(personality.variants ?? {}).join(", ") || "none"
      }`,
    );
  const merged: Knobs = {};
  for (const quirk of [...personality.quirks, ...variant]) Object.assign(merged, quirk.knobs);
  return Object.assign(merged, selection.knobs);
}

/** One line per registry: what a client must do there, and what the user must set up. */
export interface PersonalityGuide {
  name: PersonalityName;
  title: string;
  clientMustDo: string;
  userMustConfigure: string;
  /** Catalogue rows the personality reproduces, by id. */
  rows: string[];
}

/** The guide for every personality, in PERSONALITY_NAMES order (the README's "Registries" table is built from it). */
export function personalityGuide(): PersonalityGuide[] {
  return PERSONALITY_NAMES.map((name) => {
    const { title, clientMustDo, userMustConfigure, quirks, native } = PERSONALITIES[name];
    const rows = [...new Set([...quirks.flatMap((quirk) => quirk.rows), ...native.map((row) => row.row)])];
    return { name, title, clientMustDo, userMustConfigure, rows };
  });
}
