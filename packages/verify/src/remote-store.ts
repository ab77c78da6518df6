import type { Readable } from "node:stream";
import { MediaType, checkedDigest, isValidDigest, type Descriptor, type OperationOptions } from "@tofu-oci/core";
import {
  RegistryClient,
  RemoteRepository,
  header,
  notFoundOrDenied,
  responseError,
  type HttpResponse,
  type RegistryClientOptions,
} from "@tofu-oci/core/remote";
import { ContentMismatch, readUpTo, type ArtifactStore } from "./artifact-store.js";

// ORAS-Go's default manifest Accept list (registry/remote/manifest.go defaultManifestMediaTypes).
const ORAS_ACCEPT = [
  MediaType.dockerManifest,
  MediaType.dockerManifestList,
  MediaType.imageManifest,
  MediaType.imageIndex,
  "application/vnd.oci.artifact.manifest.v1+json",
].join(", ");

/**
 * A registry repository read the way OpenTofu's ORAS-Go client reads it
 * (oras-go v2.6 registry/remote/repository.go): `resolve` is a HEAD request whose descriptor
 * comes from Content-Type, Docker-Content-Digest and Content-Length; a manifest GET must
 * answer with the expected Content-Type, Content-Length and Docker-Content-Digest. Unlike
 * @tofu-oci/core's RemoteRepository it applies no 4 MiB cap of its own: OpenTofu's limit is
 * checked by the caller. Blobs and referrers go through RemoteRepository.
 */
export class RemoteStore implements ArtifactStore {
  readonly name: string;
  readonly #client: RegistryClient;
  readonly #repository: RemoteRepository;
  readonly #registry: string;
  readonly #path: string;

  constructor(registry: string, repository: string, clientOptions: RegistryClientOptions = {}) {
    this.#client = new RegistryClient(clientOptions);
    this.#repository = new RemoteRepository(this.#client, registry, repository);
    this.#registry = registry;
    this.#path = repository;
    this.name = `${registry}/${repository}`;
  }

  async resolve(reference: string, options: OperationOptions = {}): Promise<Descriptor> {
    const response = await this.#manifestRequest("HEAD", reference, ORAS_ACCEPT, options);
    await response.body.dump();
    if (response.status !== 200) throw await this.#readError(response, `resolving ${this.name}:${reference}`);
    const mediaType = contentType(response) ?? "";
    const served = header(response.headers, "docker-content-digest");
    const digest = served ?? (isValidDigest(reference) ? reference : undefined);
    if (!digest)
      throw new ContentMismatch(
        `the registry answered HEAD ${reference} without a Docker-Content-Digest header, which ORAS (and so OpenTofu) requires`,
      );
    if (isValidDigest(reference) && digest !== reference)
      throw new ContentMismatch(`the registry reports digest ${digest} for ${reference}`);
    return { mediaType, digest, size: Number(header(response.headers, "content-length") ?? 0) };
  }

  async readManifest(descriptor: Descriptor, options: OperationOptions = {}): Promise<Buffer> {
    // A digest from a manifest is checked before it becomes part of a URL.
    const response = await this.#manifestRequest(
      "GET",
      checkedDigest(descriptor, this.name),
      descriptor.mediaType,
      options,
    );
    if (response.status !== 200)
      throw await this.#readError(response, `fetching manifest ${descriptor.digest} from ${this.name}`);
    const problem = servedProblem(response, descriptor);
    if (problem) {
      await response.body.dump();
      throw new ContentMismatch(problem);
    }
    return readUpTo(response.body, descriptor.size);
  }

  fetchBlob(descriptor: Descriptor, options: OperationOptions = {}): Promise<Readable> {
    return this.#repository.fetch(descriptor, options);
  }

  tags(options: OperationOptions = {}): AsyncIterable<string> {
    return this.#repository.tags(options);
  }

  referrers(subject: Descriptor, options: OperationOptions = {}): Promise<Descriptor[]> {
    return this.#repository.referrers(subject, options);
  }

  close(): Promise<void> {
    return this.#client.close();
  }

  /** A 401 or 403 with accepted credentials may mean "no such repository" (Docker Hub, GHCR): core's reading of it. */
  async #readError(response: HttpResponse, what: string) {
    const error = await responseError(response, what);
    return response.status === 401 || response.status === 403 ? notFoundOrDenied(error, this.#registry) : error;
  }

  #manifestRequest(
    method: "GET" | "HEAD",
    reference: string,
    accept: string,
    options: OperationOptions,
  ): Promise<HttpResponse> {
    return this.#client.send({
      method,
      url: new URL(`/v2/${this.#path}/manifests/${reference}`, this.#client.baseUrl(this.#registry)),
      headers: { accept },
      repository: this.#path,
      scopes: [`repository:${this.#path}:pull`],
      signal: options.signal,
    });
  }
}

/** Why ORAS's manifestStore.Fetch would refuse this response, if it would. */
function servedProblem(response: HttpResponse, descriptor: Descriptor): string | undefined {
  const type = contentType(response);
  if (type !== descriptor.mediaType)
    return `the registry serves ${descriptor.digest} as ${type ?? "(no Content-Type)"}, but it is listed as ${descriptor.mediaType}`;
  const length = header(response.headers, "content-length");
  if (length !== undefined && Number(length) !== descriptor.size)
    return `the registry serves ${length} bytes for ${descriptor.digest}, but it is listed with ${descriptor.size}`;
  const digest = header(response.headers, "docker-content-digest");
  if (digest !== undefined && digest !== descriptor.digest)
    return `the registry reports digest ${digest} for ${descriptor.digest}`;
  return undefined;
}

function contentType(response: HttpResponse): string | undefined {
  return header(response.headers, "content-type")?.split(";")[0]?.trim();
}
