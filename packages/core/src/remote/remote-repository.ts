import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { parseRegistryJson, readAll } from "../content.js";
import { checkedDigest, digestHex, sha256Digest, verifiedStream } from "../digest.js";
import { RegistryError, TofuOciError, isTofuOciError, type ErrorCode } from "../errors.js";
import { describeManifest } from "../graph.js";
import { parseManifest, type Descriptor, type ImageIndex } from "../manifest.js";
import { MANIFEST_ACCEPT, MANIFEST_SIZE_LIMIT, MediaType, isManifestMediaType } from "../media-types.js";
import { assertTag, isValidDigest } from "../reference.js";
import {
  openContent,
  type Content,
  type Mounter,
  type OperationOptions,
  type PushOptions,
  type ReferrersOptions,
  type Target,
} from "../target.js";
import { uploadBlob, type UploadTransport } from "./blob-upload.js";
import { discard, header, responseError, type HttpResponse, type Method } from "./http.js";
import type { RegistryClient } from "./registry-client.js";
import type { RegistryKnowledge } from "./registry-knowledge.js";
import { mediaTypeRefusal, notFoundOrDenied, pushDenied } from "./registry-refusals.js";
import { resumingDownload } from "./resuming-download.js";
import { TagPages } from "./tag-pages.js";

/** Options of one remote repository. */
export interface RemoteRepositoryOptions {
  /**
   * Resumable blobs larger than this are uploaded in PATCH chunks of this size (within the
   * registry's limits). Default: the client's, which by default uploads each blob in one PUT.
   */
  chunkSize?: number;
  /** Tags per page when listing, at most 1000. Default 1000. */
  pageSize?: number;
}

type Scope = "pull" | "push";

const JSON_ACCEPT = "application/json";
/** Manifests a resolve read, kept for the fetch that usually follows it. */
const RESOLVED_KEPT = 8;
/** Rounds of read, merge and write of a referrers tag-schema index before giving up. */
const REFERRER_MERGE_ROUNDS = 16;

/** One repository of a remote registry, spoken to over the OCI distribution API. */
export class RemoteRepository implements Target, Mounter {
  readonly registry: string;
  readonly repository: string;
  readonly name: string;
  readonly #client: RegistryClient;
  readonly #options: RemoteRepositoryOptions;
  /** Upload sessions a refused mount left, by digest: the blob goes up into them (registry-quirks: mount-202-fallback). */
  readonly #mountSessions = new Map<string, URL>();
  /**
   * The bytes of the last manifests `resolve` read (and hashed), by digest: a resolve is a GET,
   * so the fetch of the same manifest that follows it (a copy, a verify) is answered from here
   * instead of reading it from the registry again. Content-addressed, so never stale.
   */
  readonly #resolved = new Map<string, Buffer>();

  constructor(client: RegistryClient, registry: string, repository: string, options: RemoteRepositoryOptions = {}) {
    this.#client = client;
    this.registry = registry;
    this.repository = repository;
    this.name = `${registry}/${repository}`;
    this.#options = options;
  }

  /** What the client learned about this repository's registry. */
  get #knowledge(): RegistryKnowledge {
    return this.#client.knowledge(this.registry);
  }

  async fetch(descriptor: Descriptor, options: OperationOptions = {}): Promise<Readable> {
    const digest = checkedDigest(descriptor, this.name);
    const manifest = isManifestMediaType(descriptor.mediaType);
    if (manifest && descriptor.size > MANIFEST_SIZE_LIMIT)
      throw manifestTooLarge(this.name, descriptor.size, "network");
    const what = `${digest} from ${this.name}`;
    const resolved = manifest ? this.#resolved.get(digest) : undefined;
    if (resolved) return verifiedStream(Readable.from([resolved]), descriptor, what);
    const response = manifest
      ? await this.#request("GET", `manifests/${digest}`, "pull", {
          signal: options.signal,
          headers: { accept: MANIFEST_ACCEPT },
        })
      : await this.#blobRequest(descriptor, options.signal, {});
    if (response.status !== 200) throw await this.#fetchError(response, `fetching ${what}`);
    const length = Number(header(response.headers, "content-length") ?? descriptor.size);
    if (length !== descriptor.size) {
      discard(response.body);
      throw new TofuOciError(
        "verification-failed",
        `${this.name} sent ${length} bytes for ${descriptor.digest}, expected ${descriptor.size}`,
      );
    }
    if (manifest) return Readable.from([await manifestBody(response, descriptor, what)], { objectMode: false });
    const body = resumingDownload(response, {
      what,
      retries: this.#client.options.retry?.retries ?? 4,
      log: this.#client.options.log,
      // Range survives the redirect to the storage host (registry-quirks: dockerhub-cdn-redirect).
      reopen: (offset) => this.#blobRequest(descriptor, options.signal, { range: `bytes=${offset}-` }),
    });
    return verifiedStream(body, descriptor, what);
  }

  /**
   * GETs a blob. Registries redirect to storage (S3, Azure, a CDN) whose signed URLs refuse a
   * HEAD and expire: a 403 or 400 from another host is answered by asking the registry again
   * for a fresh URL, once (registry-quirks: presigned-head-and-expiry, s3-one-auth-mechanism).
   */
  async #blobRequest(
    descriptor: Descriptor,
    signal: AbortSignal | undefined,
    headers: Record<string, string>,
  ): Promise<HttpResponse> {
    const send = () => this.#request("GET", `blobs/${descriptor.digest}`, "pull", { signal, headers });
    const response = await send();
    const fromStorage = response.url.origin !== this.#client.baseUrl(this.registry).origin;
    if (!fromStorage || (response.status !== 403 && response.status !== 400)) return response;
    await response.body.dump();
    this.#client.options.log?.(
      `${response.url.host} refused ${descriptor.digest} (HTTP ${response.status}); asking ${this.registry} again`,
    );
    return send();
  }

  async exists(descriptor: Descriptor, options: OperationOptions = {}): Promise<boolean> {
    const kind = isManifestMediaType(descriptor.mediaType) ? "manifests" : "blobs";
    const response = await this.#request("HEAD", `${kind}/${checkedDigest(descriptor, this.name)}`, "pull", {
      signal: options.signal,
      headers: kind === "manifests" ? { accept: MANIFEST_ACCEPT } : {},
    });
    await response.body.dump();
    if (response.status === 200) return true;
    // A repository that does not exist yet: 401 on Docker Hub, 403 on GHCR (registry-quirks:
    // dockerhub-missing-repo-401, ghcr-missing-or-private-403). Uploading tells the rest.
    if (response.status === 404 || response.status === 401 || response.status === 403) return false;
    throw await responseError(response, `checking ${descriptor.digest} in ${this.name}`);
  }

  async resolve(reference: string, options: OperationOptions = {}): Promise<Descriptor> {
    return (await this.#getManifest(reference, options)).descriptor;
  }

  /**
   * GETs a manifest by tag or digest: its descriptor and its bytes, from one request (Docker Hub
   * counts every manifest GET against the pull limit; registry-quirks: dockerhub-ratelimit-headers).
   */
  async #getManifest(reference: string, options: OperationOptions): Promise<{ descriptor: Descriptor; bytes: Buffer }> {
    const response = await this.#request("GET", `manifests/${reference}`, "pull", {
      signal: options.signal,
      // registry-quirks: accept-negotiation-404, quay-schema1-downconvert: every manifest type, always.
      headers: { accept: MANIFEST_ACCEPT },
    });
    if (response.status !== 200) throw await this.#readError(response, `resolving ${this.name}:${reference}`);
    const length = Number(header(response.headers, "content-length") ?? 0);
    if (length > MANIFEST_SIZE_LIMIT) {
      discard(response.body);
      throw manifestTooLarge(this.name, length, "network");
    }
    const what = `the manifest of ${this.name}:${reference}`;
    const bytes = await readAll(response.body, MANIFEST_SIZE_LIMIT, what, "network");
    // registry-quirks: ecr-get-manifest-no-digest: the digest is always computed from the bytes.
    const digest = sha256Digest(bytes);
    const reported = header(response.headers, "docker-content-digest");
    if ((isValidDigest(reference) && reference !== digest) || (reported && reported !== digest)) {
      throw new TofuOciError(
        "verification-failed",
        `${this.name}:${reference}: manifest digest mismatch, got ${digest}`,
      );
    }
    const descriptor = fromRegistry(() => describeManifest(bytes, digest, contentType(response)), what);
    this.#keepResolved(digest, bytes);
    return { descriptor, bytes };
  }

  async push(descriptor: Descriptor, content: Content, options: PushOptions = {}): Promise<void> {
    if (isManifestMediaType(descriptor.mediaType)) await this.#pushManifest(descriptor, content, options);
    else await this.#uploadBlob(descriptor, content, options);
  }

  async tag(descriptor: Descriptor, tag: string, options: OperationOptions = {}): Promise<void> {
    assertTag(tag);
    const bytes = await readAll(await this.fetch(descriptor, options), descriptor.size);
    await this.#putManifest(descriptor, bytes, tag, options);
  }

  /**
   * The repository's tags, page by page: the `Link` header is followed as sent and a page seen
   * before ends the listing (registry-quirks: quay-tags-next-page, acr-tags-cap-1000,
   * ecr-tags-n-max-1000: `n` is at most 1000).
   */
  async *tags(options: OperationOptions = {}): AsyncIterable<string> {
    const pages = new TagPages(
      this.#client.baseUrl(this.registry),
      this.repository,
      Math.min(this.#options.pageSize ?? 1000, 1000),
    );
    for (let path: string | undefined = pages.first(); path !== undefined; ) {
      // registry-quirks: artifactory-accept-406: JSON, not manifest types, on tags/list.
      const response = await this.#request("GET", path, "pull", {
        signal: options.signal,
        headers: { accept: JSON_ACCEPT },
      });
      if (response.status === 404) {
        await response.body.dump();
        return;
      }
      if (response.status !== 200) {
        const error = await this.#readError(response, `listing tags of ${this.name}`);
        // registry-quirks: ecr-tags-n-max-1000: a registry that says how many it allows gets that many.
        const allowed = pages.smallerFirstPage(path, error);
        if (allowed === undefined) throw error;
        path = allowed;
        continue;
      }
      const page = parseRegistryJson<{ tags?: unknown }>(
        await readAll(response.body, 16 * 1024 * 1024, `the tag list of ${this.name}`, "network"),
        `the tag list of ${this.name}`,
      );
      const tags = (Array.isArray(page.tags) ? page.tags : []).filter((tag): tag is string => typeof tag === "string");
      if (!pages.isNew(tags)) return;
      yield* tags;
      path = pages.next(header(response.headers, "link"), response.url);
    }
  }

  async referrers(subject: Descriptor, options: ReferrersOptions = {}): Promise<Descriptor[]> {
    const found = this.#knowledge.referrersApi === false ? undefined : await this.#referrersFromApi(subject, options);
    const list = uniqueByDigest(found ?? (await this.#referrersFromTagSchema(subject, options)));
    return options.artifactType ? list.filter((d) => d.artifactType === options.artifactType) : list;
  }

  /**
   * Mounts a blob from another repository of the registry. Only a 201 that a HEAD confirms is a
   * mount (registry-quirks: mount-202-fallback, ghcr-phantom-mount-201); a 202 leaves an upload
   * session that the blob's upload then uses; a refusal of any kind (401 or 403 for the source,
   * registry-quirks: harbor-mount-missing-project-401, dockerhub-mount-needs-source-pull,
   * quay-anon-mount-rejected) means a plain upload. A 202 is what Artifactory always answers and
   * ECR for a blob no manifest of the source references (artifactory-mount-202-autoshare,
   * ecr-mount-optin-referenced).
   */
  async mount(descriptor: Descriptor, fromRepository: string, options: OperationOptions = {}): Promise<boolean> {
    const query = `mount=${encodeURIComponent(checkedDigest(descriptor, this.name))}&from=${encodeURIComponent(fromRepository)}`;
    let response: HttpResponse;
    try {
      // Retried like the POST that starts an upload: a lost answer leaves at most an unused session.
      response = await this.#request("POST", `blobs/uploads/?${query}`, "push", {
        signal: options.signal,
        headers: { "content-length": "0" },
        extraScopes: [`repository:${fromRepository}:pull`],
        retry: true,
      });
    } catch (error) {
      if (error instanceof TofuOciError && error.code === "cancelled") throw error;
      this.#client.options.log?.(
        `mounting ${descriptor.digest} from ${fromRepository} failed (${(error as Error).message}); uploading`,
      );
      return false;
    }
    await response.body.dump();
    if (response.status === 202 && header(response.headers, "location")) {
      this.#mountSessions.set(descriptor.digest, this.#location(response));
      return false;
    }
    if (response.status !== 201) {
      this.#client.options.log?.(
        `${this.registry} did not mount ${descriptor.digest} (HTTP ${response.status}); uploading`,
      );
      return false;
    }
    return this.exists(descriptor, options);
  }

  async #pushManifest(descriptor: Descriptor, content: Content, options: PushOptions): Promise<void> {
    if (descriptor.size > MANIFEST_SIZE_LIMIT) throw manifestTooLarge(this.name, descriptor.size);
    const bytes = await readAll(verifiedStream(await openContent(content), descriptor), MANIFEST_SIZE_LIMIT);
    const subjectSupported = await this.#putManifest(descriptor, bytes, options.tag ?? descriptor.digest, options);
    const manifest = parseManifest(bytes, descriptor.mediaType);
    if (manifest.subject && !subjectSupported)
      await this.#indexReferrer(manifest.subject, describeManifest(bytes, descriptor.digest), options);
  }

  /** PUTs manifest bytes; returns whether the registry processed `subject` (OCI-Subject header). */
  async #putManifest(
    descriptor: Descriptor,
    bytes: Uint8Array,
    reference: string,
    options: OperationOptions,
  ): Promise<boolean> {
    const response = await this.#request("PUT", `manifests/${reference}`, "push", {
      signal: options.signal,
      headers: { "content-type": descriptor.mediaType },
      body: bytes,
      retry: true,
    });
    if (response.status !== 201) throw await this.#manifestRefused(response, descriptor, bytes);
    await response.body.dump();
    const stored = header(response.headers, "docker-content-digest");
    if (stored && stored !== descriptor.digest) {
      throw new TofuOciError(
        "network",
        `${this.name} stored the manifest as ${stored}, expected ${descriptor.digest}`,
        {
          hint: "The registry rewrote the manifest; OpenTofu would not find the pushed digest.",
        },
      );
    }
    return header(response.headers, "oci-subject") !== undefined;
  }

  async #manifestRefused(response: HttpResponse, descriptor: Descriptor, bytes: Uint8Array): Promise<RegistryError> {
    const error = await this.#writeError(response, `pushing manifest ${descriptor.digest} to ${this.name}`);
    if (error.code === "unauthorized") return error;
    let manifest;
    try {
      manifest = parseManifest(bytes, descriptor.mediaType);
    } catch {
      return error;
    }
    return mediaTypeRefusal(error, manifest, this.name) ?? error;
  }

  async #uploadBlob(descriptor: Descriptor, content: Content, options: PushOptions): Promise<void> {
    const chunkSize = this.#options.chunkSize ?? this.#client.options.chunkSize;
    checkedDigest(descriptor, this.name);
    await uploadBlob(this.#transport(), descriptor, content, options, {
      chunkSize,
      retry: this.#client.options.retry ?? {},
      sessions: this.#client.uploadSessions,
      log: this.#client.options.log,
    });
  }

  #transport(): UploadTransport {
    return {
      name: this.name,
      knowledge: this.#knowledge,
      start: async (descriptor, signal) => {
        const left = this.#mountSessions.get(descriptor.digest);
        this.#mountSessions.delete(descriptor.digest);
        if (left) return left;
        // registry-quirks: gar-post-411: an empty POST says Content-Length: 0.
        const response = await this.#request("POST", "blobs/uploads/", "push", {
          signal,
          headers: { "content-length": "0" },
          retry: true,
        });
        if (response.status !== 202) throw await this.#writeError(response, `starting an upload to ${this.name}`);
        await response.body.dump();
        this.#learnChunkMinimum(response);
        return this.#location(response);
      },
      send: (method, url, { body, ...init }) =>
        this.#requestUrl(method, url, "push", { ...init, ...(body ? { open: body } : {}) }),
      location: (response, previous) =>
        previous && !header(response.headers, "location") ? previous : this.#location(response),
      exists: (descriptor, signal) => this.exists(descriptor, { signal }),
      authorize: async (signal) => {
        const response = await this.#requestUrl("GET", new URL("/v2/", this.#client.baseUrl(this.registry)), "push", {
          signal,
        });
        await response.body.dump();
      },
    };
  }

  /** distribution-spec 1.1: `OCI-Chunk-Min-Length` on the POST answer is the smallest chunk it takes. */
  #learnChunkMinimum(response: HttpResponse): void {
    const minimum = Number(header(response.headers, "oci-chunk-min-length"));
    const knowledge = this.#knowledge;
    if (Number.isSafeInteger(minimum) && minimum > 0)
      knowledge.chunkMinBytes = Math.max(knowledge.chunkMinBytes ?? 0, minimum);
  }

  /**
   * The referrers API, when the registry has one: only a 200 with an OCI index counts; 404, 400,
   * 405, 406, a 303 to a web page or anything else mean "use the tag schema" (registry-quirks:
   * ghcr-referrers-404-then-303, artifactory-referrers-406, quay-referrers-quirks).
   */
  async #referrersFromApi(subject: Descriptor, options: ReferrersOptions): Promise<Descriptor[] | undefined> {
    const query = options.artifactType ? `?artifactType=${encodeURIComponent(options.artifactType)}` : "";
    const response = await this.#request("GET", `referrers/${checkedDigest(subject, this.name)}${query}`, "pull", {
      signal: options.signal,
      headers: { accept: MediaType.imageIndex },
      followRedirects: false,
    });
    if (response.status !== 200 || contentType(response) !== MediaType.imageIndex) {
      await response.body.dump();
      if (response.status !== 429 && response.status < 500) this.#knowledge.referrersApi = false;
      return undefined;
    }
    this.#knowledge.referrersApi = true;
    const what = `the referrers index of ${subject.digest} in ${this.name}`;
    const bytes = await readAll(response.body, MANIFEST_SIZE_LIMIT, what, "network");
    const index = fromRegistry(() => parseManifest(bytes, MediaType.imageIndex), what);
    return "manifests" in index ? index.manifests : [];
  }

  async #referrersFromTagSchema(subject: Descriptor, options: OperationOptions): Promise<Descriptor[]> {
    const index = await this.#tagSchemaIndex(subject, options);
    return index?.manifests ?? [];
  }

  /**
   * The subject's `sha256-<hex>` index, if it is one: an image index whose digest is not the
   * subject's. GitLab answers a missing `sha256-<hex>` tag with the manifest `sha256:<hex>`
   * itself, which must never be taken for its own referrers (registry-quirks:
   * gitlab-dash-tag-resolves-digest; oras-go does the same check).
   */
  async #tagSchemaIndex(subject: Descriptor, options: OperationOptions): Promise<ImageIndex | undefined> {
    try {
      const { descriptor, bytes } = await this.#getManifest(referrersTag(subject), options);
      if (descriptor.mediaType !== MediaType.imageIndex || descriptor.digest === subject.digest) return undefined;
      const index = parseManifest(bytes, descriptor.mediaType);
      return "manifests" in index ? index : undefined;
    } catch (error) {
      if (error instanceof TofuOciError && error.code === "not-found") return undefined;
      throw error;
    }
  }

  /**
   * Adds a referrer to the subject's `sha256-<hex>` index (the referrers tag schema). The tag has
   * no compare-and-swap, so two writers can each replace the other's list. Each writer therefore
   * keeps every entry it has seen listed, its own included, and reads the index again until that
   * whole set is listed in two reads in a row, writing the merge whenever something is missing:
   * so it restores what a concurrent writer dropped, its own entry or another's. The pause
   * between reads is twice this writer's last read-and-write time plus jitter, so a writer that
   * read before ours has landed its write by then. This narrows the race; only a registry with
   * the referrers API closes it.
   * The index it replaces is left in place: deleting it by digest would also drop any other tag
   * of it, and many registries refuse deletes (registry-quirks: ghcr-delete-405,
   * delete-unsupported-variants).
   */
  async #indexReferrer(subject: Descriptor, referrer: Descriptor, options: OperationOptions): Promise<void> {
    const known = new Map([[referrer.digest, referrer]]);
    let confirmed = 0;
    for (let round = 0; round < REFERRER_MERGE_ROUNDS; round++) {
      const started = Date.now();
      const listed = (await this.#tagSchemaIndex(subject, options))?.manifests ?? [];
      for (const entry of listed) if (!known.has(entry.digest)) known.set(entry.digest, entry);
      const missing = [...known.values()].filter((entry) => !listed.some((d) => d.digest === entry.digest));
      if (missing.length === 0 && ++confirmed >= 2) return;
      if (missing.length > 0) {
        confirmed = 0;
        const index: ImageIndex = {
          schemaVersion: 2,
          mediaType: MediaType.imageIndex,
          manifests: [...listed, ...missing],
        };
        const bytes = Buffer.from(JSON.stringify(index));
        const descriptor: Descriptor = {
          mediaType: MediaType.imageIndex,
          digest: sha256Digest(bytes),
          size: bytes.length,
        };
        await this.#putManifest(descriptor, bytes, referrersTag(subject), options);
      }
      const cycle = Math.max(50, Date.now() - started);
      await sleep(
        Math.min(10_000, cycle * (2 + Math.random())),
        undefined,
        options.signal ? { signal: options.signal } : {},
      );
    }
    throw new TofuOciError(
      "network",
      `${this.name}: other writers kept replacing the referrers index ${referrersTag(subject)}; ${referrer.digest} may not be listed`,
      {
        hint: "Attach again when the other pushes have finished; a registry with the OCI referrers API avoids this race.",
      },
    );
  }

  /** The error of a failed read; 401 and 403 may mean "no such repository" (see notFoundOrDenied). */
  async #readError(response: HttpResponse, what: string): Promise<RegistryError> {
    const error = await responseError(response, what);
    return response.status === 401 || response.status === 403 ? notFoundOrDenied(error, this.registry) : error;
  }

  /** The error of a failed fetch: the registry's, or the storage host's it redirected to (never about credentials). */
  async #fetchError(response: HttpResponse, what: string): Promise<RegistryError> {
    if (response.url.origin === this.#client.baseUrl(this.registry).origin) return this.#readError(response, what);
    const error = await responseError(response, `${what} (redirected to ${response.url.host})`);
    return new RegistryError("network", error.message, error.status, error.errors, {
      hint: `${this.registry} sent the download to ${response.url.host}, which refused it; try again, or check a proxy or firewall in between.`,
    });
  }

  /** The error of a failed write; 401 and 403 with accepted credentials mean no push permission. */
  async #writeError(response: HttpResponse, what: string): Promise<RegistryError> {
    const error = await responseError(response, what);
    return response.status === 401 || response.status === 403 ? pushDenied(error, this.name) : error;
  }

  #location(response: HttpResponse): URL {
    const location = header(response.headers, "location");
    if (!location) throw new TofuOciError("network", `${this.name} started an upload without a Location`);
    // registry-quirks: gar-upload-location-nonv2, ghcr-upload-location-singular: relative or not
    // under /v2/, the Location is used as sent, resolved against the request URL.
    const url = new URL(location, response.url);
    // registry-quirks: location-host-port-mismatch: credentials never follow a Location to another origin.
    if (url.origin !== this.#client.baseUrl(this.registry).origin) {
      throw new TofuOciError(
        "network",
        `${this.name} sent an upload Location on another host (${url.host}); not followed`,
      );
    }
    return url;
  }

  #keepResolved(digest: string, bytes: Buffer): void {
    this.#resolved.delete(digest);
    this.#resolved.set(digest, bytes);
    if (this.#resolved.size > RESOLVED_KEPT) this.#resolved.delete(this.#resolved.keys().next().value!);
  }

  #request(method: Method, path: string, scope: Scope, init: RequestInit) {
    return this.#requestUrl(
      method,
      new URL(`/v2/${this.repository}/${path}`, this.#client.baseUrl(this.registry)),
      scope,
      init,
    );
  }

  #requestUrl(method: Method, url: URL, scope: Scope, init: RequestInit) {
    const actions = scope === "push" ? "pull,push" : "pull";
    const { body, open, extraScopes = [], ...rest } = init;
    return this.#client.send({
      method,
      url,
      repository: this.repository,
      scopes: [`repository:${this.repository}:${actions}`, ...extraScopes],
      ...rest,
      ...(open ? { body: open } : body === undefined ? {} : { body: () => body }),
    });
  }
}

interface RequestInit {
  signal?: AbortSignal | undefined;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Opens a streamed body afresh for each attempt. */
  open?: () => Promise<Readable>;
  retry?: boolean;
  followRedirects?: boolean;
  extraScopes?: string[];
}

/** The referrers tag schema tag of a subject: `sha256-<hex>` (distribution-spec, referrers fallback). */
export function referrersTag(subject: Descriptor): string {
  return `sha256-${digestHex(checkedDigest(subject, "the referrers tag"))}`;
}

/** Descriptors once each: Quay merges its tag-schema index into the API's answer (registry-quirks: quay-referrers-quirks). */
function uniqueByDigest(descriptors: Descriptor[]): Descriptor[] {
  const seen = new Set<string>();
  return descriptors.filter((descriptor) => !seen.has(descriptor.digest) && seen.add(descriptor.digest));
}

function contentType(response: HttpResponse): string | undefined {
  return header(response.headers, "content-type")?.split(";")[0]?.trim();
}

/** `code` is "network" (exit 5) when the registry serves it, "invalid-input" (exit 6) when we would push it. */
function manifestTooLarge(name: string, size: number, code: ErrorCode = "invalid-input"): TofuOciError {
  return new TofuOciError(code, `${name}: manifest of ${size} bytes is over the 4 MiB limit`, {
    hint: "OpenTofu refuses manifests over 4 MiB.",
  });
}

/** A manifest body, verified against its descriptor and checked to parse. */
async function manifestBody(response: HttpResponse, descriptor: Descriptor, what: string): Promise<Buffer> {
  const bytes = await readAll(verifiedStream(response.body, descriptor, what), MANIFEST_SIZE_LIMIT, what, "network");
  fromRegistry(() => parseManifest(bytes, descriptor.mediaType), what);
  return bytes;
}

/**
 * Runs a parse of what the registry sent: content that is not a valid manifest is the
 * registry's fault, exit 5 (docs/contract/design.md §2.2), not the user's invalid input.
 */
function fromRegistry<T>(parse: () => T, what: string): T {
  try {
    return parse();
  } catch (error) {
    if (!isTofuOciError(error) || error.code !== "invalid-input") throw error;
    throw new TofuOciError("network", `${what}: ${error.message}`, {
      cause: error,
      hint: "The registry serves content that is not a valid OCI manifest; it was not used.",
    });
  }
}
