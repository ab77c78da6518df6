import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Writes content straight into a distribution registry's filesystem storage, bypassing its API.
 * Tests use it to serve what the API would refuse to store: manifests over 4 MiB, blobs whose
 * bytes do not match their digest. The layout is distribution's registry/storage/paths.go.
 */
export class RegistryStorage {
  readonly #root: string;

  constructor(dataDir: string) {
    this.#root = join(dataDir, "docker", "registry", "v2");
  }

  /** Stores bytes as a blob of `repository` under `digest` (default: their real digest). */
  plantBlob(repository: string, bytes: Uint8Array, digest = sha256(bytes)): string {
    const hex = digest.slice("sha256:".length);
    this.#write(["blobs", "sha256", hex.slice(0, 2), hex, "data"], bytes);
    this.#write(["repositories", repository, "_layers", "sha256", hex, "link"], digest);
    return digest;
  }

  /** Stores manifest bytes (under their real digest unless given) and points `tag` at them. */
  plantManifest(repository: string, bytes: Uint8Array, tag?: string, digest = sha256(bytes)): string {
    const hex = digest.slice("sha256:".length);
    this.#write(["blobs", "sha256", hex.slice(0, 2), hex, "data"], bytes);
    this.#write(["repositories", repository, "_manifests", "revisions", "sha256", hex, "link"], digest);
    if (tag) {
      this.#write(["repositories", repository, "_manifests", "tags", tag, "current", "link"], digest);
      this.#write(["repositories", repository, "_manifests", "tags", tag, "index", "sha256", hex, "link"], digest);
    }
    return digest;
  }

  #write(parts: string[], content: Uint8Array | string): void {
    const path = join(this.#root, ...parts);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, content);
  }
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
