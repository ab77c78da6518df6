import { mkdir, readFile, realpath, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { invalidInput, type ModulePackageRecord } from "@tofu-oci/core";
import { DEFAULT_EXCLUDES, IgnoreRules } from "./ignore-rules.js";
import { collectModuleEntries, type ModuleEntry } from "./module-files.js";
import { CompressionThreads, writeDeterministicZip, zipTimestamp } from "./zip-writer.js";

/** The default deflate level; see the README for the measurements behind it. */
export const DEFAULT_LEVEL = 1;
/** A zip without ZIP64 holds at most 4 GiB. */
export const MAX_PACKAGE_SIZE = 4 * 1024 ** 3;

/** Where the zip goes and what is left out; every field has a default. */
export interface PackModuleOptions {
  /** The zip to write (its directory is created when missing). Default: `<module directory name>.zip` in `outDir`. */
  output?: string | undefined;
  /** Where the default-named zip goes (created when missing). Default: `cwd`. */
  outDir?: string | undefined;
  /** More `.terraformignore`-syntax patterns, applied after `.terraformignore` itself. */
  excludes?: readonly string[] | undefined;
  /** Leave out `.git/`, `.terraform/`, state files and crash logs. Default true. */
  defaultExcludes?: boolean | undefined;
  /** Seconds since 1970 for every entry's timestamp. Default: 1980-01-01 00:00. */
  sourceDateEpoch?: number | undefined;
  /** Deflate level 0-9. Default {@link DEFAULT_LEVEL}. */
  level?: number | undefined;
  /**
   * Compression worker threads, used for a few MiB of files or more. Default: one per core, at
   * most 4; 0 compresses on the calling thread. The bytes are the same either way.
   */
  threads?: number | undefined;
  /** Relative paths are resolved against this. Default: the process's working directory. */
  cwd?: string | undefined;
  /** Refuse a package whose files add up to more. Default {@link MAX_PACKAGE_SIZE}. */
  maxSize?: number | undefined;
  /** Aborts packing; the output zip is then not written (writes are atomic). */
  signal?: AbortSignal | undefined;
  /** Reports the bytes of files packed so far and the total, after each entry (progress bars). */
  onProgress?: ((bytes: number, total: number) => void) | undefined;
}

/** What {@link planModule} found: the package's entries, checked, before anything is written. */
export interface ModulePlan {
  /** The module directory, absolute. */
  source: string;
  /** The zip that {@link packModule} would write, absolute. */
  output: string;
  /** Every entry the zip would hold, files and directories, in zip order. */
  entries: ModuleEntry[];
  /** Number of file entries. */
  files: number;
  /** Sum of the files' sizes. */
  size: number;
}

/** Extensions OpenTofu reads configuration from. */
const CONFIGURATION_FILE = /\.(tf|tofu)(\.json)?$/;

/**
 * Lists and validates what {@link packModule} would pack, writing nothing (`--dry-run`).
 * Throws an exit-code-6 error when the directory is missing, holds no OpenTofu file at its
 * root, has a symlink leading outside it, an unreadable file, or more than 4 GiB of files.
 */
export async function planModule(dir: string, options: PackModuleOptions = {}): Promise<ModulePlan> {
  return plan(dir, options);
}

async function plan(
  dir: string,
  options: PackModuleOptions,
  onEntry?: (entry: ModuleEntry) => void,
): Promise<ModulePlan> {
  const cwd = resolve(options.cwd ?? ".");
  const source = resolve(cwd, dir);
  const root = await moduleRoot(source, dir);
  const output = resolve(cwd, options.output ?? join(options.outDir ?? ".", `${basename(source)}.zip`));
  const rules = await ignoreRules(root, options);
  const skip = await outputFilter(output);
  const entries = await collectModuleEntries(root, { rules, skip, onEntry });
  const files = entries.filter((entry) => entry.kind === "file");
  if (!files.some((entry) => !entry.path.includes("/") && CONFIGURATION_FILE.test(entry.path))) {
    throw invalidInput(
      `${dir} has no .tf, .tf.json, .tofu or .tofu.json file at its root`,
      "Pack the module's root directory (the one with its main.tf), and check .terraformignore and --exclude.",
    );
  }
  const size = files.reduce((sum, entry) => sum + entry.size, 0);
  const maxSize = options.maxSize ?? MAX_PACKAGE_SIZE;
  if (size > maxSize) {
    throw invalidInput(
      `${dir} holds ${size} bytes of files, over the ${formatLimit(maxSize)} limit of a module package`,
      "Exclude large files with .terraformignore or --exclude; a zip without ZIP64 holds at most 4 GiB.",
    );
  }
  return { source, output, entries, files: files.length, size };
}

/**
 * Packs the module at `dir` into a deterministic zip (sorted entries, fixed timestamps,
 * normalized modes) and returns its package record (docs/contract/design.md §2.2). Everything is validated
 * before the first byte is written, and the zip appears only when it is complete.
 */
export async function packModule(dir: string, options: PackModuleOptions = {}): Promise<ModulePackageRecord> {
  const level = options.level ?? DEFAULT_LEVEL;
  if (!Number.isInteger(level) || level < 0 || level > 9)
    throw invalidInput(`compression level ${level} is not an integer from 0 to 9`);
  // The compression threads start during the walk, as soon as the files found make them worth it.
  const compression = new CompressionThreads({ level, threads: options.threads });
  try {
    const planned = await plan(dir, options, (entry) => compression.add(entry));
    // The zip's directory is created when missing (-o dist/net.zip), as --out-dir is.
    await mkdir(dirname(planned.output), { recursive: true }).catch(() => assertDirectory(dirname(planned.output)));
    let packed = 0;
    const { onProgress } = options;
    const { digest, size } = await writeDeterministicZip(planned.output, planned.entries, {
      level,
      mtime: zipTimestamp(options.sourceDateEpoch),
      compression,
      signal: options.signal,
      ...(onProgress ? { onEntry: (entry: ModuleEntry) => onProgress((packed += entry.size), planned.size) } : {}),
    });
    return {
      kind: "package",
      type: "module",
      file: planned.output,
      digest,
      size,
      mediaType: "archive/zip",
      files: planned.files,
      source: planned.source,
    };
  } finally {
    await compression.close();
  }
}

async function moduleRoot(source: string, given: string): Promise<string> {
  let info;
  try {
    info = await stat(source);
  } catch {
    throw invalidInput(`module directory ${given} does not exist`, "Give the path of the module's root directory.");
  }
  if (!info.isDirectory())
    throw invalidInput(
      `${given} is not a directory`,
      "Give the path of the module's root directory, not a file in it.",
    );
  return realpath(source);
}

async function ignoreRules(root: string, options: PackModuleOptions): Promise<IgnoreRules> {
  const rules = new IgnoreRules();
  if (options.defaultExcludes ?? true) rules.add(DEFAULT_EXCLUDES);
  const terraformignore = await readFile(join(root, ".terraformignore"), "utf8").catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return "";
      throw invalidInput(`cannot read .terraformignore: ${error.message}`, "Make it readable.", error);
    },
  );
  return rules.add(terraformignore).add(options.excludes ?? []);
}

/** Keeps the output zip (and its temp files) out of the package when it is written inside the module. */
async function outputFilter(output: string): Promise<(realPath: string) => boolean> {
  const directory = await realpath(dirname(output)).catch(() => undefined);
  if (directory === undefined) return () => false;
  const name = basename(output);
  return (path) =>
    dirname(path) === directory &&
    (basename(path) === name || (basename(path).startsWith(`.${name}.`) && path.endsWith(".tmp")));
}

async function assertDirectory(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw invalidInput(
      `cannot write the package: ${dir} is not a directory`,
      "Create it first, or choose another path with -o.",
    );
}

function formatLimit(bytes: number): string {
  return bytes % 1024 ** 3 === 0 ? `${bytes / 1024 ** 3} GiB` : `${bytes}-byte`;
}
