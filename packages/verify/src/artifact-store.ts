import type { Readable } from "node:stream";
import { TofuOciError, type Descriptor, type OperationOptions } from "@tofu-oci/core";

/**
 * What verify reads from a repository, shaped like the ORAS calls OpenTofu makes: `resolve`
 * gives a plain descriptor, `readManifest` returns bytes without checking them (OpenTofu checks
 * size and digest itself), `fetchBlob` streams a blob that fails on a size or digest mismatch.
 */
export interface ArtifactStore {
  /** `HOST/REPO` or the layout path, for messages. */
  readonly name: string;
  /**
   * The manifest a tag or digest selects: mediaType, digest, size, and artifactType only where
   * the store keeps it beside the tag (an OCI layout's index.json).
   * @throws TofuOciError "not-found" when it does not exist.
   */
  resolve(reference: string, options?: OperationOptions): Promise<Descriptor>;
  /**
   * Up to `descriptor.size` bytes of a manifest, unverified.
   * @throws ContentMismatch when the store refuses to serve it as described.
   */
  readManifest(descriptor: Descriptor, options?: OperationOptions): Promise<Buffer>;
  fetchBlob(descriptor: Descriptor, options?: OperationOptions): Promise<Readable>;
  /** Every tag of the repository (ORAS `Tags`, as OpenTofu lists a provider's versions). */
  tags(options?: OperationOptions): AsyncIterable<string>;
  referrers(subject: Descriptor, options?: OperationOptions): Promise<Descriptor[]>;
  close(): Promise<void>;
}

/** The store served something other than what its descriptor says (an ORAS fetch error). */
export class ContentMismatch extends Error {
  override readonly name = "ContentMismatch";
}

/** True for errors that mean "the content is not what OpenTofu needs" rather than "cannot reach it". */
export function isContentError(error: unknown): error is Error {
  if (error instanceof ContentMismatch) return true;
  return (
    error instanceof TofuOciError &&
    (error.code === "verification-failed" || error.code === "not-found" || error.code === "invalid-input")
  );
}

/** Reads at most `limit` bytes of a stream, then stops it (Go's io.LimitReader + io.ReadAll). */
export async function readUpTo(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    const room = limit - size;
    chunks.push(buffer.length > room ? buffer.subarray(0, room) : buffer);
    size += Math.min(buffer.length, room);
    if (size >= limit) break;
  }
  stream.destroy();
  return Buffer.concat(chunks, size);
}
