import { Annotation, sha256Digest, type CheckResult } from "@tofu-oci/core";
import { MirrorCheckId, checkResult } from "./check-ids.js";
import type { MirroredVersion } from "./mirror-state.js";

/**
 * Annotations of a mirrored provider index that record where its zips' checksums came from: the
 * provider it was mirrored from, the SHA256SUMS URL its registry gave and the digest of that
 * document, whose signature was checked when the version was mirrored. OpenTofu ignores index
 * annotations.
 */
export const SourceAnnotation = {
  provider: "dev.tofu-oci.mirror.provider",
  shasumsUrl: "dev.tofu-oci.mirror.shasums-url",
  shasumsDigest: "dev.tofu-oci.mirror.shasums-digest",
} as const;

const SUMS_LIMIT = 1024 * 1024;

/**
 * The annotations recording where `provider`'s version came from and its verified SHA256SUMS, or
 * none when its platforms name different documents.
 */
export function sourceAnnotations(
  provider: string,
  sums: ReadonlyArray<{ url: URL; document: Uint8Array | undefined }>,
): Record<string, string> | undefined {
  const urls = new Set(sums.map((s) => s.url.href));
  const document = sums[0]?.document;
  if (urls.size !== 1 || !document) return undefined;
  return {
    [SourceAnnotation.provider]: provider,
    [SourceAnnotation.shasumsUrl]: sums[0]!.url.href,
    [SourceAnnotation.shasumsDigest]: sha256Digest(document),
  };
}

/** What the quick re-run needs: the SHA256SUMS document at a URL (one request). */
export type FetchDocument = (url: URL, limit: number, what: string) => Promise<Buffer>;

/**
 * Whether a version of `provider` can be called unchanged from one request: the mirrored index
 * was mirrored from the same provider, holds every wanted platform and records the SHA256SUMS it
 * was mirrored from, the registry still serves that document byte for byte (same digest, so the signature checked then still covers it), and each
 * mirrored zip is the one that document lists for its file name. Returns the checks that say so,
 * or undefined when any of this does not hold (or the document cannot be read): then the full
 * per-platform checks run, as on a first run.
 */
export async function unchangedSinceMirrored(
  provider: string,
  state: MirroredVersion,
  keys: readonly string[],
  fetchDocument: FetchDocument,
): Promise<CheckResult[] | undefined> {
  if (state.kind !== "provider" || state.index.annotations?.[SourceAnnotation.provider] !== provider) return undefined;
  const url = state.index.annotations?.[SourceAnnotation.shasumsUrl];
  const recorded = state.index.annotations?.[SourceAnnotation.shasumsDigest];
  if (!url || !recorded || keys.some((key) => !state.platforms.has(key))) return undefined;
  let document: Buffer;
  try {
    document = await fetchDocument(new URL(url), SUMS_LIMIT, "SHA256SUMS");
  } catch {
    return undefined;
  }
  if (sha256Digest(document) !== recorded) return undefined;
  const listed = sumsLines(document);
  const checks: CheckResult[] = [];
  for (const key of keys) {
    const { layer } = state.platforms.get(key)!;
    const file = layer.annotations?.[Annotation.title];
    if (!file || listed.get(file) !== layer.digest) return undefined;
    checks.push(
      checkResult(
        MirrorCheckId.mirror,
        true,
        `${key}: the mirror already holds ${layer.digest}, the ${file} of the unchanged SHA256SUMS (${recorded}) it was mirrored from`,
      ),
    );
  }
  return checks;
}

/** SHA256SUMS lines as file name -> `sha256:` digest. */
function sumsLines(document: Buffer): Map<string, string> {
  const lines = new Map<string, string>();
  for (const line of document.toString("utf8").split("\n")) {
    const [hex, name] = line.trim().split(/\s+/);
    if (hex && name && /^[a-f0-9]{64}$/.test(hex)) lines.set(name.replace(/^\*/, ""), `sha256:${hex}`);
  }
  return lines;
}
