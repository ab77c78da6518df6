import { TofuOciError, usageError, type EncodedManifest, type ImageIndex, type ImageManifest } from "@tofu-oci/core";
import { buildProviderIndex, buildProviderManifest, versionToTag } from "@tofu-oci/opentofu";
import { CONFIG_UPLOAD, fileUpload } from "./blobs.js";
import { titleOf } from "./local-file.js";
import type { ProviderInput } from "./package-records.js";
import type { Uploader } from "./uploader.js";

/** Everything a provider push will store, computed before any network request. */
export interface ProviderPlan {
  type: "provider";
  input: ProviderInput;
  /** One per platform, in the input's order. */
  manifests: EncodedManifest<ImageManifest>[];
  index: EncodedManifest<ImageIndex>;
  /** The version tag (`+` -> `_`) first, then extra `--tag`s. */
  tags: string[];
  /** What the version tag named before the push; set by {@link checkProviderTag}. */
  previous?: string;
}

const VERSION_LIKE = /^v?\d+(?:\.\d+)*(?:[-_].*)?$/;

/** The per-platform manifests and the index of design.md §3 for a provider version. */
export function planProvider(
  input: ProviderInput,
  settings: { refTag?: string; tags: readonly string[]; annotations: Record<string, string> },
): ProviderPlan {
  const manifests = input.platforms.map(({ os, arch, zip }) =>
    buildProviderManifest({ layer: zip, platform: { os, architecture: arch }, title: titleOf(zip.file) }),
  );
  const index = buildProviderIndex({ manifests, annotations: settings.annotations });
  return { type: "provider", input, manifests, index, tags: providerTags(input.version, settings.refTag, settings.tags) };
}

/**
 * The version tag plus extra tags. REF's tag must be the version's tag; an extra tag that
 * OpenTofu would read as another version is refused too.
 * @throws TofuOciError "usage" (exit 2).
 */
export function providerTags(version: string, refTag: string | undefined, extra: readonly string[]): string[] {
  const versionTag = versionToTag(version);
  if (refTag !== undefined && refTag !== versionTag) {
    throw usageError(`the reference's tag "${refTag}" is not the provider version ${version}`, `Give the repository only (the tag is always ${versionTag}), or the tag ${versionTag}.`);
  }
  for (const tag of extra) {
    if (tag !== versionTag && VERSION_LIKE.test(tag)) {
      throw usageError(`--tag ${tag} looks like a version but the provider version is ${version}`, "OpenTofu reads version-like tags as provider versions; use another tag name.");
    }
  }
  return [...new Set([versionTag, ...extra])];
}

/**
 * Provider versions are immutable for lock files: refuses (exit 1, before anything is sent) when
 * the version tag already names different content, unless `force`.
 */
export async function checkProviderTag(plan: ProviderPlan, uploader: Uploader, where: string, force: boolean): Promise<void> {
  const tag = plan.tags[0]!;
  const current = await uploader.currentDigest(tag);
  if (current !== undefined) plan.previous = current;
  if (current === undefined || current === plan.index.descriptor.digest || force) return;
  throw new TofuOciError("verification-failed", `${where}:${tag} already holds different content (${current}); provider versions are immutable`, {
    hint: "Lock files pin the hashes of a published version. Publish a new version, or pass --force to replace it anyway.",
    reference: `${where}:${tag}`,
  });
}

/** Release zips and config first, then each platform manifest, then the tagged index. */
export async function pushProvider(plan: ProviderPlan, uploader: Uploader): Promise<void> {
  // The registry stored the index only once everything it references was there.
  if (plan.previous === plan.index.descriptor.digest) return uploader.manifest(plan.index, plan.tags);
  await uploader.blobs([CONFIG_UPLOAD, ...plan.input.platforms.map(({ zip }) => fileUpload(zip))]);
  for (const manifest of plan.manifests) await uploader.manifest(manifest);
  await uploader.manifest(plan.index, plan.tags);
}
