import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { parseRegistryJson, readAll } from "../content.js";
import { checkedDigest, digestHex, sha256Digest, verifiedStream } from "../digest.js";
import { TofuOciError, isTofuOciError, type ErrorCode } from "../errors.js";
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
import { discard, expectStatus, header, responseError, type HttpResponse, type Method } from "./http.js";
import { resumingDownload } from "./resuming-download.js";
import { DEFAULT_CHUNK_SIZE, uploadBlob, type UploadTransport } from "./blob-upload.js";
import type { RegistryClient } from "./registry-client.js";

/** Options of one remote repository. */
export interface RemoteRepositoryOptions {
  /** Resumable blobs larger than this are uploaded in PATCH chunks of this size. Default: the client's. */
  chunkSize?: number;
  /** Tags per page when listing. Default 1000. */
  pageSize?: number;
}

type Scope = "pull" | "push";

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
  #referrersApi: boolean | undefined;
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

  async fetch(descriptor: Descriptor, options: OperationOptions = {}): Promise<Readable> {
    const digest = checkedDigest(descriptor, this.name);
    const manifest = isManifestMediaType(descriptor.mediaType);
    if (manifest && descriptor.size > MANIFEST_SIZE_LIMIT) throw manifestTooLarge(this.name, descriptor.size, "network");
    const what = `${descriptor.digest} from ${this.name}`;
    const resolved = manifest ? this.#resolved.get(digest) : undefined;
    if (resolved) return verifiedStream(Readable.from([resolved]), descriptor, what);
    const response = await this.#request("GET", `${manifest ? "manifests" : "blobs"}/${digest}`, "pull", {
      signal: options.signal,
      headers: manifest ? { accept: MANIFEST_ACCEPT } : {},
    });
    if (response.status !== 200) throw await responseError(response, `fetching ${descriptor.digest} from ${this.name}`);
    const length = Number(header(response.headers, "content-length") ?? descriptor.size);
    if (length !== descriptor.size) {
      discard(response.body);
      throw new TofuOciError("verification-failed", `${this.name} sent ${length} bytes for ${descriptor.digest}, expected ${descriptor.size}`);
    }
    if (manifest) return Readable.from([await manifestBody(response, descriptor, what)], { objectMode: false });
    const body = resumingDownload(response, {
      what,
      retries: this.#client.options.retry?.retries ?? 4,
      log: this.#client.options.log,
      reopen: (offset) => this.#request("GET", `blobs/${descriptor.digest}`, "pull", { signal: options.signal, headers: { range: `bytes=${offset}-` } }),
    });
    return verifiedStream(body, descriptor, what);
  }

  async exists(descriptor: Descriptor, options: OperationOptions = {}): Promise<boolean> {
    const kind = isManifestMediaType(descriptor.mediaType) ? "manifests" : "blobs";
    const response = await this.#request("HEAD", `${kind}/${checkedDigest(descriptor, this.name)}`, "pull", {
      signal: options.signal,
      headers: kind === "manifests" ? { accept: MANIFEST_ACCEPT } : {},
    });
    await response.body.dump();
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw await responseError(response, `checking ${descriptor.digest} in ${this.name}`);
  }

  async resolve(reference: string, options: OperationOptions = {}): Promise<Descriptor> {
    const response = await this.#request("GET", `manifests/${reference}`, "pull", {
      signal: options.signal,
      headers: { accept: MANIFEST_ACCEPT },
    });
    if (response.status !== 200) throw await responseError(response, `resolving ${this.name}:${reference}`);
    const length = Number(header(response.headers, "content-length") ?? 0);
    if (length > MANIFEST_SIZE_LIMIT) {
      discard(response.body);
      throw manifestTooLarge(this.name, length, "network");
    }
    const what = `the manifest of ${this.name}:${reference}`;
    const bytes = await readAll(response.body, MANIFEST_SIZE_LIMIT, what, "network");
    const digest = sha256Digest(bytes);
    const reported = header(response.headers, "docker-content-digest");
    if ((isValidDigest(reference) && reference !== digest) || (reported && reported !== digest)) {
      throw new TofuOciError("verification-failed", `${this.name}:${reference}: manifest digest mismatch, got ${digest}`);
    }
    const descriptor = fromRegistry(() => describeManifest(bytes, digest, contentType(response)), what);
    this.#keepResolved(digest, bytes);
    return descriptor;
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

  async *tags(options: OperationOptions = {}): AsyncIterable<string> {
    let path: string | undefined = `tags/list?n=${this.#options.pageSize ?? 1000}`;
    while (path) {
      const response = await this.#request("GET", path, "pull", { signal: options.signal });
      if (response.status === 404) {
        await response.body.dump();
        return;
      }
      if (response.status !== 200) throw await responseError(response, `listing tags of ${this.name}`);
      const page = parseRegistryJson<{ tags?: unknown }>(await readAll(response.body, 16 * 1024 * 1024, `the tag list of ${this.name}`, "network"), `the tag list of ${this.name}`);
      for (const tag of Array.isArray(page.tags) ? page.tags : []) if (typeof tag === "string") yield tag;
      path = this.#nextPage(response);
    }
  }

  async referrers(subject: Descriptor, options: ReferrersOptions = {}): Promise<Descriptor[]> {
    const found = this.#referrersApi === false ? undefined : await this.#referrersFromApi(subject, options);
    const list = found ?? (await this.#referrersFromTagSchema(subject, options));
    return options.artifactType ? list.filter((d) => d.artifactType === options.artifactType) : list;
  }

  async mount(descriptor: Descriptor, fromRepository: string, options: OperationOptions = {}): Promise<boolean> {
    const query = `mount=${encodeURIComponent(checkedDigest(descriptor, this.name))}&from=${encodeURIComponent(fromRepository)}`;
    // Retried like the POST that starts an upload: a lost answer leaves at most an unused session.
    const response = await this.#request("POST", `blobs/uploads/?${query}`, "push", {
      signal: options.signal,
      extraScopes: [`repository:${fromRepository}:pull`],
      retry: true,
    });
    if (response.status !== 201 && response.status !== 202) throw await responseError(response, `mounting ${descriptor.digest} into ${this.name}`);
    await response.body.dump();
    if (response.status === 201) return true;
    await this.#cancelUpload(response);
    return false;
  }


  async #pushManifest(descriptor: Descriptor, content: Content, options: PushOptions): Promise<void> {
    if (descriptor.size > MANIFEST_SIZE_LIMIT) throw manifestTooLarge(this.name, descriptor.size);
    const bytes = await readAll(verifiedStream(await openContent(content), descriptor), MANIFEST_SIZE_LIMIT);
    const subjectSupported = await this.#putManifest(descriptor, bytes, options.tag ?? descriptor.digest, options);
    const manifest = parseManifest(bytes, descriptor.mediaType);
    if (manifest.subject && !subjectSupported) await this.#indexReferrer(manifest.subject, describeManifest(bytes, descriptor.digest), options);
  }

  /** PUTs manifest bytes; returns whether the registry processed `subject` (OCI-Subject header). */
  async #putManifest(descriptor: Descriptor, bytes: Uint8Array, reference: string, options: OperationOptions): Promise<boolean> {
    const response = await this.#request("PUT", `manifests/${reference}`, "push", {
      signal: options.signal,
      headers: { "content-type": descriptor.mediaType },
      body: bytes,
      retry: true,
    });
    await expectStatus(response, 201, `pushing manifest ${descriptor.digest} to ${this.name}`);
    const stored = header(response.headers, "docker-content-digest");
    if (stored && stored !== descriptor.digest) {
      throw new TofuOciError("network", `${this.name} stored the manifest as ${stored}, expected ${descriptor.digest}`, {
        hint: "The registry rewrote the manifest; OpenTofu would not find the pushed digest.",
      });
    }
    return header(response.headers, "oci-subject") !== undefined;
  }

  async #uploadBlob(descriptor: Descriptor, content: Content, options: PushOptions): Promise<void> {
    checkedDigest(descriptor, this.name);
    await uploadBlob(this.#transport(), descriptor, content, options, {
      chunkSize: this.#options.chunkSize ?? this.#client.options.chunkSize ?? DEFAULT_CHUNK_SIZE,
      retries: this.#client.options.retry?.retries ?? 4,
      sessions: this.#client.uploadSessions,
      log: this.#client.options.log,
    });
  }

  #transport(): UploadTransport {
    return {
      name: this.name,
      start: async (signal) => {
        const response = await this.#request("POST", "blobs/uploads/", "push", { signal, retry: true });
        await expectStatus(response, 202, `starting an upload to ${this.name}`);
        return this.#location(response);
      },
      send: (method, url, init) => this.#requestUrl(method, url, "push", init),
      location: (response) => this.#location(response),
    };
  }

  async #cancelUpload(response: HttpResponse): Promise<void> {
    try {
      const cancel = await this.#requestUrl("DELETE", this.#location(response), "push", {});
      await cancel.body.dump();
    } catch {
      // An abandoned upload session expires on its own.
    }
  }

  async #referrersFromApi(subject: Descriptor, options: ReferrersOptions): Promise<Descriptor[] | undefined> {
    const query = options.artifactType ? `?artifactType=${encodeURIComponent(options.artifactType)}` : "";
    const response = await this.#request("GET", `referrers/${checkedDigest(subject, this.name)}${query}`, "pull", {
      signal: options.signal,
      headers: { accept: MediaType.imageIndex },
    });
    if (response.status === 404 || response.status === 400 || response.status === 405) {
      await response.body.dump();
      this.#referrersApi = false;
      return undefined;
    }
    if (response.status !== 200) throw await responseError(response, `listing referrers in ${this.name}`);
    this.#referrersApi = true;
    const what = `the referrers index of ${subject.digest} in ${this.name}`;
    const bytes = await readAll(response.body, MANIFEST_SIZE_LIMIT, what, "network");
    const index = fromRegistry(() => parseManifest(bytes, MediaType.imageIndex), what);
    return "manifests" in index ? index.manifests : [];
  }

  async #referrersFromTagSchema(subject: Descriptor, options: OperationOptions): Promise<Descriptor[]> {
    const index = await this.#tagSchemaIndex(subject, options);
    return index?.manifests ?? [];
  }

  async #tagSchemaIndex(subject: Descriptor, options: OperationOptions): Promise<ImageIndex | undefined> {
    try {
      const descriptor = await this.resolve(referrersTag(subject), options);
      const bytes = await readAll(await this.fetch(descriptor, options), descriptor.size);
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
        const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.imageIndex, manifests: [...listed, ...missing] };
        const bytes = Buffer.from(JSON.stringify(index));
        const descriptor: Descriptor = { mediaType: MediaType.imageIndex, digest: sha256Digest(bytes), size: bytes.length };
        await this.#putManifest(descriptor, bytes, referrersTag(subject), options);
      }
      const cycle = Math.max(50, Date.now() - started);
      await sleep(Math.min(10_000, cycle * (2 + Math.random())), undefined, options.signal ? { signal: options.signal } : {});
    }
    throw new TofuOciError("network", `${this.name}: other writers kept replacing the referrers index ${referrersTag(subject)}; ${referrer.digest} may not be listed`, {
      hint: "Attach again when the other pushes have finished; a registry with the OCI referrers API avoids this race.",
    });
  }

  #nextPage(response: HttpResponse): string | undefined {
    const link = header(response.headers, "link");
    const target = link && /<([^>]+)>\s*;\s*rel="?next"?/.exec(link)?.[1];
    if (!target) return undefined;
    const next = new URL(target, response.url);
    const base = this.#client.baseUrl(this.registry);
    if (next.origin !== base.origin) throw new TofuOciError("network", `${this.registry} sent a tag-list Link to another host (${next.host}); not followed`);
    const prefix = `/v2/${this.repository}/`;
    if (!next.pathname.startsWith(prefix)) throw new TofuOciError("network", `${this.registry} sent an unexpected tag-list Link`);
    return next.pathname.slice(prefix.length) + next.search;
  }

  #location(response: HttpResponse): URL {
    const location = header(response.headers, "location");
    if (!location) throw new TofuOciError("network", `${this.name} started an upload without a Location`);
    const url = new URL(location, response.url);
    if (url.origin !== this.#client.baseUrl(this.registry).origin) {
      throw new TofuOciError("network", `${this.name} sent an upload Location on another host (${url.host}); not followed`);
    }
    return url;
  }

  #keepResolved(digest: string, bytes: Buffer): void {
    this.#resolved.delete(digest);
    this.#resolved.set(digest, bytes);
    if (this.#resolved.size > RESOLVED_KEPT) this.#resolved.delete(this.#resolved.keys().next().value!);
  }

  #request(method: Method, path: string, scope: Scope, init: RequestInit) {
    return this.#requestUrl(method, new URL(`/v2/${this.repository}/${path}`, this.#client.baseUrl(this.registry)), scope, init);
  }

  #requestUrl(method: Method, url: URL, scope: Scope, init: RequestInit) {
    const actions = scope === "push" ? "pull,push" : "pull";
    const { body, extraScopes = [], ...rest } = init;
    return this.#client.send({
      method,
      url,
      repository: this.repository,
      scopes: [`repository:${this.repository}:${actions}`, ...extraScopes],
      ...rest,
      ...(body === undefined ? {} : { body: () => body }),
    });
  }
}

interface RequestInit {
  signal?: AbortSignal | undefined;
  headers?: Record<string, string>;
  body?: Uint8Array | Readable;
  retry?: boolean;
  extraScopes?: string[];
}

/** The referrers tag schema tag of a subject: `sha256-<hex>` (distribution-spec, referrers fallback). */
export function referrersTag(subject: Descriptor): string {
  return `sha256-${digestHex(checkedDigest(subject, "the referrers tag"))}`;
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
 * registry's fault, exit 5 (design.md §2.2), not the user's invalid input.
 */
function fromRegistry<T>(parse: () => T, what: string): T {
  try {
    return parse();
  } catch (error) {
    if (!isTofuOciError(error) || error.code !== "invalid-input") throw error;
    throw new TofuOciError("network", `${what}: ${error.message}`, { cause: error, hint: "The registry serves content that is not a valid OCI manifest; it was not used." });
  }
}
