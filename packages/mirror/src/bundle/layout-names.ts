/** The marker file of an OCI image layout (image-spec image-layout.md). */
export const LAYOUT_FILE = "oci-layout";
/** The layout's index of tagged artifacts and referrers. */
export const INDEX_FILE = "index.json";
/** The content of {@link LAYOUT_FILE}. */
export const LAYOUT_VERSION = { imageLayoutVersion: "1.0.0" } as const;

/** The tar path of a blob: `blobs/sha256/<hex>`. */
export function blobPath(digest: string): string {
  return `blobs/sha256/${digest.slice("sha256:".length)}`;
}

/**
 * The annotation containerd, nerdctl and BuildKit use for an artifact's full name in an OCI
 * layout (`HOST/REPO:TAG`); `org.opencontainers.image.ref.name` holds only the tag, as skopeo
 * and ORAS write it. Import maps the full name through `--to TEMPLATE`.
 */
export const FULL_NAME_ANNOTATION = "io.containerd.image.name";
