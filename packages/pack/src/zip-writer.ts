import { open, type FileHandle } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { crc32 } from "node:zlib";
import { DigestMeter, writeStreamAtomic, type DigestedContent } from "@tofu-oci/core";
import { Deflate } from "fflate";
import { DeflatePool, prepareFile, type PreparedFile } from "./deflate-pool.js";
import { unreadable, type ModuleEntry } from "./module-files.js";
import { ZipEncoder, type ZipEntryHeader } from "./zip-encoder.js";
import { ZipOutput } from "./zip-output.js";

export interface ZipWriterOptions {
  /** Deflate level 0-9 (0 stores). */
  level: number;
  /** The timestamp of every entry, from {@link zipTimestamp}. */
  mtime: Date;
  /** Compression threads. Default: one per core, at most 4; 0 compresses on the calling thread. */
  threads?: number | undefined;
  /** Threads already started for these entries by the walk (with the same level); closed here. */
  compression?: CompressionThreads | undefined;
  signal?: AbortSignal | undefined;
  /** Called after each entry is in the zip, in order (progress). */
  onEntry?: ((entry: ModuleEntry) => void) | undefined;
}

/** Files up to this size are read and compressed in one piece; larger ones are streamed. */
const WHOLE_FILE_LIMIT = 1024 * 1024;
/** Compression work (bytes of small files, plus {@link FILE_WORK} per file) from which worker threads are started. */
const POOL_THRESHOLD = 8 * 1024 * 1024;
/** What compressing one more small file costs beyond its bytes, in bytes' worth (fflate's per-call setup: ~100 us). */
const FILE_WORK = 4 * 1024;
/** How far the small-file reader may run ahead of the writer. */
const WINDOW_BYTES = 16 * 1024 * 1024;
const MAX_FILES_AHEAD = 256;
/** Streamed files are fed to the compressor in chunks of exactly this size, so the output does not depend on how reads split. */
const CHUNK_SIZE = 1024 * 1024;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const MSDOS_DIRECTORY = 0x10;

/**
 * Writes `entries` (sorted) as a zip to `dest` through a temp file that is renamed into place
 * only when everything succeeded. The bytes depend only on the entries' paths, modes and
 * contents and on the options: fflate's pure-JS deflate gives the same output on every machine,
 * entries carry no extra fields, and non-ASCII names get the UTF-8 flag.
 */
export async function writeDeterministicZip(
  dest: string,
  entries: readonly ModuleEntry[],
  options: ZipWriterOptions,
): Promise<DigestedContent> {
  const output = new ZipOutput();
  const meter = new DigestMeter();
  const producing = produce(output, entries, options).catch((error: unknown) => {
    output.destroy(error as Error);
    throw error;
  });
  const [produced, written] = await Promise.allSettled([producing, writeStreamAtomic(dest, output, meter)]);
  if (produced.status === "rejected") throw produced.reason;
  if (written.status === "rejected") throw written.reason;
  return meter.result();
}

async function produce(output: ZipOutput, entries: readonly ModuleEntry[], options: ZipWriterOptions): Promise<void> {
  const zip = new ZipEncoder((chunk) => output.write(chunk), options.mtime);
  const compression = options.compression ?? CompressionThreads.for(entries, options);
  const pool = compression.pool;
  try {
    const wholeFiles = new WholeFileReader(entries, options.level, pool);
    for (const [index, entry] of entries.entries()) {
      options.signal?.throwIfAborted();
      if (entry.kind === "directory") addPrepared(zip, entry, EMPTY, options);
      else if (isWhole(entry)) addPrepared(zip, entry, await wholeFiles.take(index), options);
      else await addStreamed(zip, output, entry, options);
      await output.ready();
      options.onEntry?.(entry);
    }
    output.finish(zip.finish());
  } finally {
    await compression.close();
  }
}

const EMPTY: PreparedFile = { crc: 0, size: 0, data: new Uint8Array(0), deflated: false };

/**
 * Decides from the small files seen so far whether they compress on worker threads, and starts
 * the threads once they pay off: from a few MiB of compression work, counting fflate's set-up per
 * file (measured on 2 cores: the threads cost no extra CPU time, even for 10,000 files of 1 kB,
 * since they read the files themselves). Fed while the module is walked, so the threads start
 * while the walk goes on.
 */
export class CompressionThreads {
  readonly #threads: number;
  readonly #level: number;
  #work = 0;
  #pool: DeflatePool | undefined;
  #closed = false;

  /** `threads`: one per core (at most 4) by default; 0, or level 0, never starts any. */
  constructor(options: { level: number; threads?: number | undefined }) {
    this.#level = options.level;
    this.#threads = options.level === 0 ? 0 : (options.threads ?? Math.min(availableParallelism(), 4));
  }

  /** The decision for a complete list of entries. */
  static for(
    entries: readonly ModuleEntry[],
    options: { level: number; threads?: number | undefined },
  ): CompressionThreads {
    const compression = new CompressionThreads(options);
    for (const entry of entries) compression.add(entry);
    return compression;
  }

  /** The started threads, if any. */
  get pool(): DeflatePool | undefined {
    return this.#pool;
  }

  /** Counts an entry of the package. */
  add(entry: ModuleEntry): void {
    if (this.#pool || this.#closed || this.#threads < 1 || !isWhole(entry)) return;
    this.#work += entry.size + FILE_WORK;
    if (this.#work >= POOL_THRESHOLD) this.#pool = new DeflatePool(this.#threads, this.#level);
  }

  /** Stops the threads, if any; again is a no-op. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#pool?.close();
  }
}

function isWhole(entry: ModuleEntry): boolean {
  return entry.kind === "file" && entry.size <= WHOLE_FILE_LIMIT;
}

function addPrepared(zip: ZipEncoder, entry: ModuleEntry, file: PreparedFile, options: ZipWriterOptions): void {
  zip.begin(header(entry, file.deflated ? options.level : 0));
  zip.data(file.data);
  zip.end(file.crc, file.size);
}

/**
 * Reads and compresses small files ahead of the writer, in zip order, within a bounded window
 * (so memory stays flat), on the pool's threads when there is a pool.
 */
class WholeFileReader {
  readonly #entries: readonly ModuleEntry[];
  readonly #level: number;
  readonly #pool: DeflatePool | undefined;
  readonly #jobs = new Map<number, Promise<PreparedFile>>();
  #next = 0;
  #bytes = 0;

  constructor(entries: readonly ModuleEntry[], level: number, pool: DeflatePool | undefined) {
    this.#entries = entries;
    this.#level = level;
    this.#pool = pool;
  }

  /** The prepared file at `index`; call in increasing order. */
  take(index: number): Promise<PreparedFile> {
    this.#fill(index);
    const job = this.#jobs.get(index)!;
    this.#jobs.delete(index);
    this.#bytes -= this.#entries[index]!.size;
    return job;
  }

  #fill(from: number): void {
    this.#next = Math.max(this.#next, from);
    const ahead = this.#pool ? MAX_FILES_AHEAD : 1;
    while (
      this.#next < this.#entries.length &&
      this.#jobs.size < ahead &&
      (this.#jobs.size === 0 || this.#bytes < WINDOW_BYTES)
    ) {
      const entry = this.#entries[this.#next]!;
      if (isWhole(entry)) {
        const job = this.#prepare(entry);
        job.catch(() => {}); // awaited in order by take(); this only keeps an early failure from going unhandled
        this.#jobs.set(this.#next, job);
        this.#bytes += entry.size;
      }
      this.#next++;
    }
  }

  async #prepare(entry: ModuleEntry): Promise<PreparedFile> {
    if (this.#pool) return this.#pool.prepare(entry);
    try {
      return prepareFile(entry.source, this.#level);
    } catch (error) {
      throw unreadable(entry.path, error);
    }
  }
}

async function addStreamed(
  zip: ZipEncoder,
  output: ZipOutput,
  entry: ModuleEntry,
  options: ZipWriterOptions,
): Promise<void> {
  zip.begin(header(entry, options.level));
  const deflate =
    options.level === 0 ? undefined : new Deflate({ level: options.level as DeflateLevel }, (chunk) => zip.data(chunk));
  const handle = await openEntry(entry);
  try {
    let crc = 0;
    for (let position = 0; ; ) {
      const chunk = await readChunk(handle, position, entry);
      position += chunk.length;
      crc = crc32(chunk, crc);
      const last = chunk.length < CHUNK_SIZE;
      if (deflate) deflate.push(chunk, last);
      else zip.data(chunk);
      if (last) return zip.end(crc, position);
      options.signal?.throwIfAborted();
      await output.ready();
    }
  } finally {
    await handle.close();
  }
}

type DeflateLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/** The headers of an entry stored (`level` 0) or deflated at `level`: Unix permissions, normalized. */
function header(entry: ModuleEntry, level: number): ZipEntryHeader {
  const attributes =
    entry.kind === "directory"
      ? (((S_IFDIR | 0o755) << 16) | MSDOS_DIRECTORY) >>> 0
      : ((S_IFREG | entry.mode) << 16) >>> 0;
  return { name: entry.path, method: level === 0 ? 0 : 8, levelBits: level === 0 ? 0 : deflateFlag(level), attributes };
}

/** The general-purpose flag bits 1-2 for a deflate level (APPNOTE 4.4.4), as fflate sets them. */
function deflateFlag(level: number): 0 | 1 | 2 | 3 {
  return level === 1 ? 3 : level < 6 ? 2 : level === 9 ? 1 : 0;
}

async function openEntry(entry: ModuleEntry): Promise<FileHandle> {
  try {
    return await open(entry.source, "r");
  } catch (error) {
    throw unreadable(entry.path, error);
  }
}

async function readChunk(handle: FileHandle, position: number, entry: ModuleEntry): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(CHUNK_SIZE);
  let filled = 0;
  try {
    while (filled < CHUNK_SIZE) {
      const { bytesRead } = await handle.read(buffer, filled, CHUNK_SIZE - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
  } catch (error) {
    throw unreadable(entry.path, error);
  }
  return buffer.subarray(0, filled);
}

/**
 * The entry timestamp for a SOURCE_DATE_EPOCH (seconds), clamped to what a zip can hold
 * (1980-01-01 to 2099-12-31). Zip times carry no time zone and ZipEncoder writes a Date's local
 * fields, so the Date returned has the epoch's UTC fields as its local ones: the bytes are the
 * same in every time zone.
 */
export function zipTimestamp(sourceDateEpoch?: number): Date {
  const seconds = Math.min(Math.max(sourceDateEpoch ?? ZIP_EPOCH_SECONDS, ZIP_EPOCH_SECONDS), ZIP_LAST_SECONDS);
  const utc = new Date(seconds * 1000);
  return new Date(
    utc.getUTCFullYear(),
    utc.getUTCMonth(),
    utc.getUTCDate(),
    utc.getUTCHours(),
    utc.getUTCMinutes(),
    utc.getUTCSeconds(),
  );
}

/** 1980-01-01T00:00:00Z, the earliest zip time. */
const ZIP_EPOCH_SECONDS = 315_532_800;
/** 2099-12-31T23:59:58Z, the latest time fflate writes. */
const ZIP_LAST_SECONDS = 4_102_444_798;
