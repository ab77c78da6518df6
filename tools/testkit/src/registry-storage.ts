import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Writes content straight into a distribution registry's filesystem storage, bypassing its API,
 * and reads what it holds. Tests use it to serve what the API would refuse to store (manifests
 * over 4 MiB, blobs whose bytes do not match their digest) and to see what a client left behind
 * without a request. The layout is distribution's registry/storage/paths.go.
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

  /** A repository's tags and the number of its manifest revisions, read from storage. */
  repositoryState(repository: string): { tags: string[]; manifests: number } {
    const manifests = join(this.#root, "repositories", repository, "_manifests");
    return { tags: list(join(manifests, "tags")), manifests: list(join(manifests, "revisions", "sha256")).length };
  }

  /** Bytes held by the repository's unfinished upload sessions. */
  uploadSessionBytes(repository: string): number {
    const uploads = join(this.#root, "repositories", repository, "_uploads");
    return list(uploads).reduce((sum, session) => {
      const data = join(uploads, session, "data");
      return sum + (existsSync(data) ? statSync(data).size : 0);
    }, 0);
  }

  /** Where a blob's bytes are, or undefined when the registry holds no such blob. Only sha256 digests. */
  blobPath(digest: string): string | undefined {
    const hex = /^sha256:([0-9a-f]{64})$/.exec(digest)?.[1];
    const path = hex && join(this.#root, "blobs", "sha256", hex.slice(0, 2), hex, "data");
    return path && existsSync(path) ? path : undefined;
  }

  /** A blob parsed as JSON (a manifest or config), or undefined when absent or not JSON. */
  readJson(digest: string): unknown {
    const path = this.blobPath(digest);
    if (!path) return undefined;
    try {
      return JSON.parse(readFileSync(path, "utf8"));
    } catch {
      return undefined;
    }
  }

  /** Whether anything was ever pushed to the repository (or, with a one-segment name, below it). */
  hasRepository(repository: string): boolean {
    return !repository.split("/").includes("..") && existsSync(join(this.#root, "repositories", repository));
  }

  /** The digest a tag points at, or undefined. */
  tagDigest(repository: string, tag: string): string | undefined {
    if (!/^[\w][\w.-]{0,127}$/.test(tag) || !this.hasRepository(repository)) return undefined;
    const link = join(this.#root, "repositories", repository, "_manifests", "tags", tag, "current", "link");
    return existsSync(link) ? readFileSync(link, "utf8").trim() : undefined;
  }

  /** Digests of the manifests the repository holds. */
  manifestDigests(repository: string): string[] {
    if (!this.hasRepository(repository)) return [];
    const revisions = join(this.#root, "repositories", repository, "_manifests", "revisions", "sha256");
    return list(revisions).map((hex) => `sha256:${hex}`);
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

function list(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}
