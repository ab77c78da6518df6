import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import type { Descriptor } from "./manifest.js";

/** Cancellation for one operation. */
export interface OperationOptions {
  /** Cancels the operation: it stops transferring and rejects. */
  signal?: AbortSignal;
}

/**
 * Content that can be opened at any byte range, such as a file: an interrupted upload resumes
 * from where the registry stopped instead of starting again.
 */
export interface ResumableContent {
  /** Streams bytes `start` to `end` inclusive (default: to the end). */
  openRange(start: number, end?: number): Readable | Promise<Readable>;
}

/**
 * Content to push: bytes, resumable content, a function that opens a fresh stream each time it
 * is called (so a failed upload can be retried), or a one-shot stream.
 */
export type Content = Uint8Array | ResumableContent | Readable | (() => Readable | Promise<Readable>);

/** Reads content by descriptor. The stream fails unless size and digest match. */
export interface Fetcher {
  /**
   * Opens the content of `descriptor`; the stream errors when the bytes do not match its size and digest. `not-found`
   * when missing.
   */
  fetch(descriptor: Descriptor, options?: OperationOptions): Promise<Readable>;
}

/** Options of {@link Pusher.push}. */
export interface PushOptions extends OperationOptions {
  /** Also point this tag at a pushed manifest, in the same request where the target allows. */
  tag?: string;
  /** Called with the number of bytes sent so far. */
  onProgress?: (bytes: number) => void;
}

/** Stores content under its descriptor. Manifests are stored only when all they reference exists. */
export interface Pusher {
  /**
   * Stores `content` under `descriptor`, checking size and digest. A manifest `mediaType` makes it a
   * manifest, refused unless everything it references is stored.
   */
  push(descriptor: Descriptor, content: Content, options?: PushOptions): Promise<void>;
}

/**
 * Reads part of stored content, so an upload from it can resume mid-blob. A part has no digest of
 * its own: it is not verified here (the receiving registry checks the whole blob's digest).
 */
export interface RangeFetcher {
  /** Streams bytes `start` to `end` inclusive (default: to the end) of the content. */
  fetchRange(descriptor: Descriptor, start: number, end?: number, options?: OperationOptions): Promise<Readable>;
}

/** True when `target` can read parts of its content. */
export function isRangeFetcher(target: object): target is RangeFetcher {
  return typeof (target as Partial<RangeFetcher>).fetchRange === "function";
}

/** Tells whether a blob or manifest is already stored. */
export interface ExistenceChecker {
  /** Whether the blob or manifest is stored (a HEAD request for registries). */
  exists(descriptor: Descriptor, options?: OperationOptions): Promise<boolean>;
}

/** Resolves a tag or digest of this repository to the manifest descriptor it names. */
export interface Resolver {
  /** The descriptor of the manifest a tag or `sha256:` digest names. `not-found` when there is none. */
  resolve(reference: string, options?: OperationOptions): Promise<Descriptor>;
}

/** Points a tag at a manifest. */
export interface Tagger {
  /** Points `tag` at the stored manifest `descriptor`, replacing what it named before. */
  tag(descriptor: Descriptor, tag: string, options?: OperationOptions): Promise<void>;
}

/** Lists a repository's tags. */
export interface TagLister {
  /** The tags, in the order the target lists them (registries page through `/tags/list`). */
  tags(options?: OperationOptions): AsyncIterable<string>;
}

/** Options of {@link ReferrerLister.referrers}. */
export interface ReferrersOptions extends OperationOptions {
  /** List only referrers of this artifact type. Default: all. */
  artifactType?: string;
}

/** Lists manifests whose `subject` is the given descriptor. */
export interface ReferrerLister {
  /**
   * The referrers of `subject`; registries answer through the Referrers API, else the `sha256-<hex>`
   * tag schema (docs/contract/registry-quirks.md).
   */
  referrers(subject: Descriptor, options?: ReferrersOptions): Promise<Descriptor[]>;
}

/** A repository that can be read: fetch, check, resolve, list tags and referrers. */
export interface ReadOnlyTarget extends Fetcher, ExistenceChecker, Resolver, TagLister, ReferrerLister {
  /** A human name for messages: `HOST/REPO` or the layout path. */
  readonly name: string;
}

/** One repository: a remote registry repository, an OCI layout or memory. */
export interface Target extends ReadOnlyTarget, Pusher, Tagger {}

/** A target that can make a blob appear by mounting it from another repository of the same registry. */
export interface Mounter {
  /** The registry host (with port) the mount is asked of. */
  readonly registry: string;
  /** The repository blobs are mounted into. */
  readonly repository: string;
  /** True when the registry mounted the blob; false when it wants it uploaded. */
  mount(descriptor: Descriptor, fromRepository: string, options?: OperationOptions): Promise<boolean>;
}

/** True when `target` can mount blobs from another repository. */
export function isMounter(target: object): target is Mounter {
  return typeof (target as Partial<Mounter>).mount === "function";
}

/** Opens content as a stream, calling a factory afresh. */
export async function openContent(content: Content): Promise<Readable> {
  if (content instanceof Uint8Array) return Readable.from([content]);
  if (content instanceof Readable) return content;
  if (isResumable(content)) return content.openRange(0);
  return content();
}

/** Read-ahead for files: large reads keep an upload's socket full without holding much memory. */
const FILE_READ_CHUNK = 1024 * 1024;

/** A file as resumable content, read in 1 MiB chunks. */
export function fileContent(path: string): ResumableContent {
  return {
    openRange: (start, end) =>
      createReadStream(path, { start, ...(end === undefined ? {} : { end }), highWaterMark: FILE_READ_CHUNK }),
  };
}

/** Bytes, or content with `openRange`, can be read from any offset. */
export function asResumable(content: Content): ResumableContent | undefined {
  if (content instanceof Uint8Array)
    return {
      openRange: (start, end) => Readable.from([content.subarray(start, end === undefined ? undefined : end + 1)]),
    };
  return isResumable(content) ? content : undefined;
}

/** True for content with `openRange` (files, and the staged blobs of a memory target). */
export function isResumable(content: Content): content is ResumableContent {
  return typeof (content as Partial<ResumableContent>).openRange === "function";
}

/** True when the content can be read again for a retry. */
export function isReplayable(content: Content): boolean {
  return !(content instanceof Readable);
}
