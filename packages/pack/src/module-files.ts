import { accessSync, constants, lstatSync, readdirSync, realpathSync, statSync, type Stats } from "node:fs";
import { join, sep } from "node:path";
import { invalidInput } from "@tofu-oci/core";
import type { IgnoreRules } from "./ignore-rules.js";

/** One entry of a module package, before it is written. */
export interface ModuleEntry {
  /** The `/`-separated path inside the zip; directories end with `/`. */
  path: string;
  /** Where the content is read from: the file itself, or the file a symlink points to. */
  source: string;
  /** Whether the entry is a file (symlinks to files included) or a directory. */
  kind: "file" | "directory";
  /** The file's size in bytes; 0 for a directory. */
  size: number;
  /** 0o755 when any execute bit is set, else 0o644 (directories: 0o755). */
  mode: number;
}

export interface CollectOptions {
  rules: IgnoreRules;
  /** Real paths never packed, e.g. the output zip when it is written inside the module. */
  skip?: (realPath: string) => boolean;
  /** Called with each entry as the walk finds it (in no particular order). */
  onEntry?: (entry: ModuleEntry) => void;
}

/**
 * Lists what goes into the package of the module at `root` (a real path): files and symlinks to
 * files inside the module, walked through symlinked directories, minus what the rules exclude;
 * empty directories as entries. Sorted by the UTF-8 bytes of the path. Throws an exit-code-6
 * error for a symlink leading outside the module, a symlink loop, an unreadable file or
 * directory, and anything that is neither a file nor a directory.
 */
export async function collectModuleEntries(root: string, options: CollectOptions): Promise<ModuleEntry[]> {
  const walker = new ModuleWalker(root, options);
  walker.walkDirectory(root, "", new Set([root]));
  return sortByUtf8(walker.entries);
}

/** Sorted by the UTF-8 bytes of the path; each path is encoded once, not once per comparison. */
function sortByUtf8(entries: ModuleEntry[]): ModuleEntry[] {
  const keyed = entries.map((entry) => ({ key: Buffer.from(entry.path), entry }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  return keyed.map(({ entry }) => entry);
}

/** What walking a directory found. */
interface Listing {
  /** Something below it is packed. */
  packed: boolean;
  /** It has no entries at all on disk. */
  empty: boolean;
}

class ModuleWalker {
  readonly entries: ModuleEntry[] = [];
  readonly #root: string;
  readonly #rules: IgnoreRules;
  readonly #skip: (realPath: string) => boolean;
  readonly #onEntry: (entry: ModuleEntry) => void;

  constructor(root: string, options: CollectOptions) {
    this.#root = root;
    this.#rules = options.rules;
    this.#skip = options.skip ?? (() => false);
    this.#onEntry = options.onEntry ?? (() => {});
  }

  /**
   * Walks one directory. Synchronous on purpose:
   * for thousands of small files, sync calls are several times faster than promises.
   */
  walkDirectory(realDir: string, prefix: string, ancestors: ReadonlySet<string>): Listing {
    const names = readDirectory(realDir, prefix);
    let packed = false;
    for (const name of names) packed = this.#visit(join(realDir, name), `${prefix}${name}`, ancestors) || packed;
    return { packed, empty: names.length === 0 };
  }

  #visit(path: string, relative: string, ancestors: ReadonlySet<string>): boolean {
    const info = lstatEntry(path, relative);
    const excludedByName = this.#rules.match(relative).excluded;
    if (excludedByName && !info.isDirectory()) return false;
    const target = info.isSymbolicLink() ? this.#resolveLink(path, relative) : { path, info };
    if (target.info.isDirectory()) return this.#visitDirectory(target.path, relative, ancestors, excludedByName);
    if (!target.info.isFile())
      throw invalidInput(
        `${relative} is not a regular file or directory`,
        "Exclude it with --exclude or .terraformignore.",
      );
    if (this.#skip(target.path)) return false;
    assertReadable(target.path, relative);
    this.#add({
      path: relative,
      source: target.path,
      kind: "file",
      size: target.info.size,
      mode: normalizedMode(target.info),
    });
    return true;
  }

  /**
   * go-slug's directory rule: a directory excluded by name is still walked (its contents may be
   * included); one excluded as `dir/` is skipped only when no later rule re-includes anything.
   */
  #visitDirectory(realDir: string, relative: string, ancestors: ReadonlySet<string>, excludedByName: boolean): boolean {
    if (ancestors.has(realDir))
      throw invalidInput(
        `${relative} leads back into its own parent directory (a symlink loop)`,
        "Remove the link or exclude it.",
      );
    const asDirectory = excludedByName ? { excluded: true, dominating: false } : this.#rules.match(`${relative}/`);
    if (asDirectory.dominating) return false;
    const { packed, empty } = this.walkDirectory(realDir, `${relative}/`, new Set([...ancestors, realDir]));
    // Only a directory empty on disk becomes an entry; one emptied by excludes is left out.
    if (!empty || asDirectory.excluded) return packed;
    this.#add({ path: `${relative}/`, source: realDir, kind: "directory", size: 0, mode: 0o755 });
    return true;
  }

  #add(entry: ModuleEntry): void {
    this.entries.push(entry);
    this.#onEntry(entry);
  }

  #resolveLink(path: string, relative: string): { path: string; info: Stats } {
    let real: string;
    try {
      real = realpathSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const what =
        code === "ELOOP"
          ? "a symlink loop"
          : code === "ENOENT"
            ? "a symlink to nothing"
            : `a symlink that cannot be followed (${code})`;
      throw invalidInput(
        `${relative} is ${what}`,
        "Fix or remove the link, or exclude it with --exclude or .terraformignore.",
        error,
      );
    }
    if (real !== this.#root && !real.startsWith(`${this.#root}${sep}`)) {
      throw invalidInput(
        `${relative} is a symlink to ${real}, outside the module directory`,
        "Copy the file into the module, or exclude the link with --exclude or .terraformignore.",
      );
    }
    return { path: real, info: statSync(real) };
  }
}

function readDirectory(realDir: string, prefix: string): string[] {
  try {
    return readdirSync(realDir);
  } catch (error) {
    throw unreadable(prefix === "" ? "the module directory" : prefix, error);
  }
}

function lstatEntry(path: string, relative: string): Stats {
  try {
    return lstatSync(path);
  } catch (error) {
    throw unreadable(relative, error);
  }
}

function assertReadable(path: string, relative: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    throw unreadable(relative, error);
  }
}

/** The exit-code-6 error for a path of the package that cannot be read. */
export function unreadable(relative: string, error: unknown) {
  const reason = (error as NodeJS.ErrnoException).code === "EACCES" ? "permission denied" : (error as Error).message;
  return invalidInput(
    `cannot read ${relative}: ${reason}`,
    "Make it readable, or exclude it with --exclude or .terraformignore.",
    error,
  );
}

function normalizedMode(info: Stats): number {
  return info.mode & 0o111 ? 0o755 : 0o644;
}
