import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";
import {
  DigestVerifier,
  MANIFEST_SIZE_LIMIT,
  MediaType,
  TofuOciError,
  invalidInput,
  isDescriptor,
  isIndexMediaType,
  isManifestMediaType,
  parseManifest,
  readAll,
  writeStreamAtomic,
  type Descriptor,
} from "@tofu-oci/core";
import { LAYOUT_INDEX_SIZE_LIMIT } from "@tofu-oci/core/layout";
import { INDEX_FILE, LAYOUT_FILE, blobPath } from "./layout-names.js";

/** What a bundle held, once unpacked and every blob's digest checked. */
export interface ExtractedBundle {
  /** The OCI image layout directory the bundle was unpacked into. */
  directory: string;
  /** Size of every blob unpacked (those index.json reaches), by digest. */
  blobs: Map<string, number>;
  /** Entries that are not part of an OCI layout, or blobs index.json does not reach, skipped. */
  ignored: string[];
}

const BLOB_NAME = /^blobs\/sha256\/([a-f0-9]{64})$/;

/** What the first pass learns: the layout files, and what each small JSON blob would reference as a manifest. */
interface Scan {
  layout?: Buffer;
  index?: Buffer;
  /** For each blob small enough to be a manifest: the descriptors it lists as an index, and as an image manifest. */
  children: Map<string, { asIndex: Descriptor[]; asManifest: Descriptor[] }>;
  /** Blob entries by digest, with the size their tar header declares. */
  present: Map<string, number>;
}

/**
 * Unpacks a tar (or gzip-compressed tar) of an OCI image layout into `directory`, in two passes.
 * The first reads only index.json, oci-layout and the blobs small enough to be manifests (one at a
 * time, never to disk) to learn which blobs index.json reaches; the second writes just those,
 * each through a digest check and bounded by the size the manifest that references it declares.
 * A blob nothing references is skipped unread, so a small gzip bundle carrying a huge
 * unreferenced blob cannot fill the disk; a blob whose bytes do not match fails the whole import
 * (exit 1) before anything is sent anywhere. Links, devices and unsafe names are refused; the
 * layout must have `oci-layout` and `index.json`.
 * @throws TofuOciError "verification-failed" (exit 1) or "invalid-input" (exit 6).
 */
export async function extractBundle(file: string, directory: string): Promise<ExtractedBundle> {
  const scan = await scanBundle(file);
  for (const [required, bytes] of [
    [LAYOUT_FILE, scan.layout],
    [INDEX_FILE, scan.index],
  ] as const) {
    if (!bytes)
      throw invalidInput(
        `${file} is not an OCI layout bundle: it has no ${required}`,
        "Make bundles with tofu-oci-mirror export.",
      );
  }
  await mkdir(join(directory, "blobs", "sha256"), { recursive: true });
  await writeFile(join(directory, LAYOUT_FILE), scan.layout!);
  await writeFile(join(directory, INDEX_FILE), scan.index!);
  const wanted = reachable(scan, file);
  const result: ExtractedBundle = { directory, blobs: new Map(), ignored: [] };
  await eachEntry(file, async (entry, name) => {
    const blob = BLOB_NAME.exec(name);
    const size = blob ? wanted.get(`sha256:${blob[1]}`) : undefined;
    if (!blob || size === undefined) {
      if (name !== LAYOUT_FILE && name !== INDEX_FILE) result.ignored.push(name);
      return drain(entry);
    }
    const digest = `sha256:${blob[1]}`;
    if (result.blobs.has(digest)) return drain(entry);
    if ((entry.header.size ?? 0) !== size) {
      throw new TofuOciError(
        "verification-failed",
        `blob ${digest} in ${file} holds ${entry.header.size ?? 0} bytes, but it is referenced with ${size}`,
        {
          hint: "The bundle is damaged or was tampered with; nothing was written from it.",
        },
      );
    }
    await writeStreamAtomic(
      join(directory, blobPath(digest)),
      entry,
      new DigestVerifier({ digest, size }, `blob ${digest} in ${file}`),
    );
    result.blobs.set(digest, size);
  });
  return result;
}

/** Pass one: the layout files, the blobs present, and what every small JSON blob references. */
async function scanBundle(file: string): Promise<Scan> {
  const scan: Scan = { children: new Map(), present: new Map() };
  await eachEntry(file, async (entry, name) => {
    if (name === LAYOUT_FILE) scan.layout = await readAll(entry, 64 * 1024, `${name} in ${file}`);
    else if (name === INDEX_FILE) scan.index = await readAll(entry, LAYOUT_INDEX_SIZE_LIMIT, `${name} in ${file}`);
    else {
      const blob = BLOB_NAME.exec(name);
      const size = entry.header.size ?? 0;
      if (blob) scan.present.set(`sha256:${blob[1]}`, size);
      if (!blob || size > MANIFEST_SIZE_LIMIT) return drain(entry);
      const bytes = await readAll(entry, MANIFEST_SIZE_LIMIT, `${name} in ${file}`);
      // Only a blob whose bytes match its name may say what it references.
      if (`sha256:${createHash("sha256").update(bytes).digest("hex")}` === `sha256:${blob[1]}`) {
        const listed = listedDescriptors(bytes);
        if (listed) scan.children.set(`sha256:${blob[1]}`, listed);
      }
    }
  });
  return scan;
}

/** The descriptors a JSON blob lists, read as an index and as an image manifest; undefined for other blobs. */
function listedDescriptors(bytes: Buffer): { asIndex: Descriptor[]; asManifest: Descriptor[] } | undefined {
  let value: { manifests?: unknown; config?: unknown; layers?: unknown };
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const list = (items: unknown) => (Array.isArray(items) ? items.filter(isDescriptor) : []);
  return { asIndex: list(value.manifests), asManifest: [...list([value.config]), ...list(value.layers)] };
}

/** The blobs index.json reaches, each with the size its first reference declares. */
function reachable(scan: Scan, file: string): Map<string, number> {
  let index: Descriptor[];
  try {
    const parsed = parseManifest(scan.index!, MediaType.imageIndex);
    index = "manifests" in parsed ? parsed.manifests : [];
  } catch (error) {
    throw invalidInput(`${file}: index.json is not an OCI index`, "Make bundles with tofu-oci-mirror export.", error);
  }
  const wanted = new Map<string, number>();
  const queue = [...index];
  for (let descriptor = queue.shift(); descriptor; descriptor = queue.shift()) {
    if (wanted.has(descriptor.digest)) continue;
    wanted.set(descriptor.digest, descriptor.size);
    if (!isManifestMediaType(descriptor.mediaType)) continue;
    const listed = scan.children.get(descriptor.digest);
    if (listed) queue.push(...(isIndexMediaType(descriptor.mediaType) ? listed.asIndex : listed.asManifest));
  }
  return wanted;
}

/** Streams every entry of the (gzipped) tar to `visit`, refusing links, devices and other special entries. */
async function eachEntry(file: string, visit: (entry: tar.Entry, name: string) => Promise<void>): Promise<void> {
  const extract = tar.extract();
  const gzip = await isGzip(file);
  const source = createReadStream(file);
  const reading = (gzip ? pipeline(source, createGunzip(), extract) : pipeline(source, extract)).catch(
    (error: unknown) => {
      throw notATar(file, error);
    },
  );
  try {
    for await (const entry of extract) {
      const name = entry.header.name.replace(/^\.\//, "");
      const type = entry.header.type ?? "file";
      if (type === "directory" || type === "pax-header" || type === "pax-global-header") await drain(entry);
      else if (type !== "file" && type !== "contiguous-file")
        throw invalidInput(
          `${file}: ${name} is a ${type}, which a bundle must not contain`,
          "Make bundles with tofu-oci-mirror export.",
        );
      else await visit(entry, name);
    }
    await reading;
  } catch (error) {
    extract.destroy();
    await reading.catch(() => {});
    throw notATar(file, error);
  }
}

/** True when the file starts with the gzip magic bytes. */
async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, "r").catch((error: unknown) => {
    throw invalidInput(`cannot read the bundle ${file}: ${(error as Error).message}`);
  });
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    return head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function drain(entry: Readable): Promise<void> {
  for await (const _ of entry);
}

function notATar(file: string, error: unknown): unknown {
  if (error instanceof TofuOciError) return error;
  return invalidInput(
    `${file} is not a readable tar file: ${(error as Error).message}`,
    "The bundle is damaged or truncated; copy it again.",
    error,
  );
}
