import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { CONFIG_EXTENSIONS, isIgnoredFile, TEST_EXTENSIONS } from "./module-files.js";

/** The configuration files of one module directory, as OpenTofu splits them. */
export interface ModuleFiles {
  /** Primary files, in directory order (sorted by name). */
  primary: string[];
  /** `override.tf`, `*_override.tf` and their `.tofu`/`.json` forms, applied after the primary files. */
  override: string[];
}

const TF_EXTENSIONS = [".tf", ".tf.json"];

/**
 * The files OpenTofu loads from a module directory (internal/configs/parser_config_dir.go:150
 * dirFiles): `.tf`, `.tf.json`, `.tofu` and `.tofu.json` files directly in it, not hidden or editor
 * backups (:362 IsIgnoredFile), not tests; `override`/`*_override` files apart; a `.tf` file is
 * ignored when a `.tofu` file of the same name exists (:252 filterTfPathsWithTofuAlternatives).
 * Paths are joined to `dir`. A directory that cannot be read throws Node's error.
 */
export async function moduleFiles(dir: string): Promise<ModuleFiles> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => !entry.isDirectory() && !isIgnoredFile(entry.name) && extensionOf(entry.name) !== undefined)
    .map((entry) => entry.name)
    .sort();
  const primary: string[] = [];
  const override: string[] = [];
  for (const name of names) {
    const ext = extensionOf(name)!;
    const base = name.slice(0, -ext.length);
    (base === "override" || base.endsWith("_override") ? override : primary).push(name);
  }
  return {
    primary: withoutTfAlternatives(primary).map((n) => join(dir, n)),
    override: withoutTfAlternatives(override).map((n) => join(dir, n)),
  };
}

/** parser_config_dir.go:312 fileExt, without the test extensions, which dirFiles sets aside. */
function extensionOf(name: string): string | undefined {
  if (TEST_EXTENSIONS.some((ext) => name.endsWith(ext))) return undefined;
  return CONFIG_EXTENSIONS.find((ext) => name.endsWith(ext));
}

function withoutTfAlternatives(names: string[]): string[] {
  return names.filter((name) => {
    const ext = TF_EXTENSIONS.find((e) => name.endsWith(e));
    return ext === undefined || !names.includes(name.slice(0, -ext.length) + ext.replace(".tf", ".tofu"));
  });
}

/** True for a file in JSON syntax (`.tf.json`, `.tofu.json`). */
export function isJsonConfigFile(path: string): boolean {
  return path.endsWith(".json");
}
