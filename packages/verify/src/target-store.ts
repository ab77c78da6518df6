import type { Readable } from "node:stream";
import { isTofuOciError, type Descriptor, type OperationOptions, type ReadOnlyTarget } from "@tofu-oci/core";
import { ContentMismatch, readUpTo, type ArtifactStore } from "./artifact-store.js";

/**
 * An OCI image layout (or a memory target in tests) seen as OpenTofu would see the same content
 * pushed to a registry. A tag resolves to its index.json entry, which may carry artifactType,
 * as ORAS-Go's oci.Store does.
 */
export class TargetStore implements ArtifactStore {
  readonly name: string;
  readonly #target: ReadOnlyTarget;

  constructor(target: ReadOnlyTarget) {
    this.#target = target;
    this.name = target.name;
  }

  async resolve(reference: string, options: OperationOptions = {}): Promise<Descriptor> {
    const { mediaType, digest, size, artifactType } = await this.#target.resolve(reference, options);
    return artifactType ? { mediaType, digest, size, artifactType } : { mediaType, digest, size };
  }

  async readManifest(descriptor: Descriptor, options: OperationOptions = {}): Promise<Buffer> {
    try {
      return await readUpTo(await this.#target.fetch(descriptor, options), descriptor.size);
    } catch (error) {
      if (isTofuOciError(error) && error.code === "verification-failed") throw new ContentMismatch(error.message);
      throw error;
    }
  }

  fetchBlob(descriptor: Descriptor, options: OperationOptions = {}): Promise<Readable> {
    return this.#target.fetch(descriptor, options);
  }

  tags(options: OperationOptions = {}): AsyncIterable<string> {
    return this.#target.tags(options);
  }

  referrers(subject: Descriptor, options: OperationOptions = {}): Promise<Descriptor[]> {
    return this.#target.referrers(subject, options);
  }

  async close(): Promise<void> {}
}
