import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import {
  ProgressStream,
  digestHex,
  type Descriptor,
  type DownloadHooks,
  type Fetcher,
  type Semaphore,
} from "@tofu-oci/core";
import type { DownloadedFile, PackageMetadata, RegistryHttp } from "@tofu-oci/registry-protocol";

/** A release zip on local disk. */
export interface LocalZip extends DownloadedFile {
  file: string;
}

/** Streams a platform's zip from the registry's `download_url` into `dir`, hashing it. */
export async function downloadZip(
  http: RegistryHttp,
  metadata: PackageMetadata,
  dir: string,
  slots: Semaphore,
  hooks: DownloadHooks = {},
): Promise<LocalZip> {
  const file = join(dir, safeName(metadata.filename, `${metadata.os}_${metadata.arch}.zip`));
  const id = `download:${file}`;
  const announced = metadata.packages?.[`${metadata.os}_${metadata.arch}`]?.packageSize;
  return slots.run(async () => {
    hooks.onDownloadStart?.(id, metadata.filename, announced ?? 0);
    try {
      const downloaded = await http.download(metadata.downloadUrl, file, {
        what: metadata.filename,
        ...(announced && announced > 0 ? { maxSize: announced } : {}),
        onProgress: (bytes, total) => hooks.onDownloadProgress?.(id, bytes, announced ?? total),
      });
      return { file, ...downloaded };
    } finally {
      hooks.onDownloadDone?.(id);
    }
  });
}

/** Copies a zip the mirror already holds into `dir` (the target verifies its digest). */
export async function fetchMirroredZip(
  target: Fetcher,
  layer: Descriptor,
  name: string,
  dir: string,
  slots: Semaphore,
  options: { signal?: AbortSignal; hooks?: DownloadHooks } = {},
): Promise<LocalZip> {
  const file = join(dir, safeName(name, `${digestHex(layer.digest)}.zip`));
  const id = `mirror:${file}`;
  return slots.run(async () => {
    options.hooks?.onDownloadStart?.(id, `${name} (from the mirror)`, layer.size);
    try {
      const stream = await target.fetch(layer, options.signal ? { signal: options.signal } : {});
      await pipeline(
        stream,
        new ProgressStream((bytes) => options.hooks?.onDownloadProgress?.(id, bytes)),
        createWriteStream(file),
      );
      return { file, sha256: digestHex(layer.digest), size: layer.size };
    } finally {
      options.hooks?.onDownloadDone?.(id);
    }
  });
}

/** A registry's file name if it is a plain name, else a fallback: never a path. */
function safeName(name: string, fallback: string): string {
  return /^[A-Za-z0-9._+-]+$/.test(name) && name !== "." && name !== ".." ? name : fallback;
}
