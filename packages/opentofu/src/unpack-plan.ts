import { posix } from "node:path";

/** A zip entry as the unpack plan needs it. */
export interface PlannedEntry {
  /** The entry's name as stored in the zip. */
  name: string;
  /** The name ends with `/`. */
  isDirectory: boolean;
}

/** Where each entry lands when go-getter unpacks the zip on Linux, and what the tree looks like after. */
export interface UnpackPlan {
  /** Directories, as `/`-separated paths relative to the target ("" is the target). */
  dirs: Set<string>;
  /** Files by relative path, each with the index of the entry written last there. */
  files: Map<string, number>;
  /** Where entry i lands (relative path), for every entry. */
  targets: string[];
}

/**
 * Replays go-getter's ZipDecompressor.Decompress (decompress_zip.go:29, v1.8.6, dir mode) over the entry list: a
 * path is `filepath.Join(dst, name)`, directories are made with os.MkdirAll, files replace
 * files of the same name (os.O_TRUNC). Returns the plan, or why unpacking would fail:
 * a directory needed where a file was written, or a file written over a directory.
 */
export function planUnpack(entries: readonly PlannedEntry[]): UnpackPlan | { problem: string } {
  const plan: UnpackPlan = { dirs: new Set([""]), files: new Map(), targets: [] };
  for (const [index, entry] of entries.entries()) {
    const target = targetOf(entry.name);
    plan.targets.push(target);
    const problem = entry.isDirectory ? makeDirs(plan, target, entry.name) : writeFile(plan, target, index, entry.name);
    if (problem) return { problem };
  }
  return plan;
}

/** filepath.Join(dst, name) relative to dst, on Linux: cleaned, `/` the only separator. */
export function targetOf(name: string): string {
  const cleaned = posix.normalize(`/${name}`).slice(1);
  return cleaned.endsWith("/") ? cleaned.slice(0, -1) : cleaned;
}

function makeDirs(plan: UnpackPlan, target: string, name: string): string | undefined {
  const parts = target === "" ? [] : target.split("/");
  for (let i = 1; i <= parts.length; i++) {
    const dir = parts.slice(0, i).join("/");
    if (plan.files.has(dir))
      return `the entry "${name}" needs the directory ${dir}, but an earlier entry wrote a file there ("not a directory")`;
    plan.dirs.add(dir);
  }
  return undefined;
}

function writeFile(plan: UnpackPlan, target: string, index: number, name: string): string | undefined {
  if (plan.dirs.has(target))
    return `the file entry "${name}" would be written over the directory ${target === "" ? "the package root" : target} ("is a directory")`;
  const parent = posix.dirname(target);
  const problem = makeDirs(plan, parent === "." ? "" : parent, name);
  if (problem) return problem;
  plan.files.set(target, index);
  return undefined;
}
