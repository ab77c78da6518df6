import { Readable } from "node:stream";
import { verifiedStream } from "./digest.js";
import { describeManifest } from "./graph.js";
import type { Descriptor, EncodedManifest } from "./manifest.js";
import type { OperationOptions, ReadOnlyTarget, ReferrersOptions } from "./target.js";

/**
 * `base` seen with a few more manifests held in memory, such as an index rebuilt with fewer
 * platforms: copying a new manifest from it sends the manifest and, from `base`, what it
 * references. Read-only; everything else is `base`'s.
 */
export function withManifests(base: ReadOnlyTarget, manifests: readonly EncodedManifest[]): ReadOnlyTarget {
  const added = new Map(manifests.map((encoded) => [encoded.descriptor.digest, encoded]));
  return {
    name: base.name,
    async fetch(descriptor: Descriptor, options?: OperationOptions): Promise<Readable> {
      const own = added.get(descriptor.digest);
      return own ? verifiedStream(Readable.from([own.bytes]), descriptor) : base.fetch(descriptor, options);
    },
    async exists(descriptor: Descriptor, options?: OperationOptions): Promise<boolean> {
      return added.has(descriptor.digest) || base.exists(descriptor, options);
    },
    async resolve(reference: string, options?: OperationOptions): Promise<Descriptor> {
      const own = added.get(reference);
      return own ? describeManifest(own.bytes, reference, own.descriptor.mediaType) : base.resolve(reference, options);
    },
    tags: (options?: OperationOptions) => base.tags(options),
    referrers: (subject: Descriptor, options?: ReferrersOptions) => base.referrers(subject, options),
  };
}
