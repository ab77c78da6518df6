import { subdirInPackage } from "@tofu-oci/core/go";
import { hasMeta, segmentMatcher } from "./go-glob.js";
import type { UnpackPlan } from "./unpack-plan.js";

/** Where the module will be loaded from, or why OpenTofu cannot find it. */
export type ModuleDir = { ok: true; dir: string } | { ok: false; problem: string };

/**
 * Resolves `//subdir` (OpenTofu's cleaned subdirectory, as a `Reference` holds it) as go-getter's
 * SubdirGlob (source.go:63-80) does after OpenTofu unpacks the whole package
 * (internal/initwd/module_install.go:908-916): `filepath.Join(instDir, subdir)`, then
 * filepath.Glob — exactly one match, and it must be a directory for configs.LoadConfigDir to
 * read it. A subdirectory that joins to the parent of the package (`..`, `a/../..`) is refused:
 * OpenTofu accepts it and loads .terraform/modules, which holds every module package, as an
 * empty module (docs/contract/opentofu-rules.md §1).
 */
export function findModuleDir(plan: UnpackPlan, subdir: string | undefined): ModuleDir {
  if (subdir === undefined) return { ok: true, dir: "" };
  const inside = subdirInPackage(subdir);
  if (inside === null) {
    return {
      ok: false,
      problem: `the subdirectory "${subdir}" is the parent of the package directory: tofu init accepts it and loads .terraform/modules, the directory holding every module package, as an empty module with no variables, outputs or resources; give a subdirectory inside the package`,
    };
  }
  if (inside === "") return { ok: true, dir: "" };
  const matches = glob(plan, inside.split("/"));
  if (matches === undefined) return { ok: false, problem: `the subdirectory "${subdir}" is not a valid glob pattern` };
  if (matches.length === 0) {
    const top = [...plan.dirs].filter((dir) => dir !== "" && !dir.includes("/")).sort();
    return {
      ok: false,
      problem: `the package has no "${subdir}" ("Module subdirectory not found"); top-level directories: ${top.length > 0 ? top.join(", ") : "none"}`,
    };
  }
  if (matches.length > 1)
    return {
      ok: false,
      problem: `the subdirectory "${subdir}" matches ${matches.length} paths (${matches.slice(0, 3).join(", ")}) ("matches multiple paths")`,
    };
  const dir = matches[0]!;
  if (!plan.dirs.has(dir))
    return { ok: false, problem: `"${dir}" in the package is a file, not a directory ("Unreadable module directory")` };
  return { ok: true, dir };
}

function glob(plan: UnpackPlan, segments: string[]): string[] | undefined {
  let current = [""];
  for (const segment of segments) {
    const next: string[] = [];
    for (const base of current) {
      const children = childrenOf(plan, base);
      if (!hasMeta(segment)) {
        if (children.includes(segment)) next.push(join(base, segment));
        continue;
      }
      const matches = segmentMatcher(segment);
      if (!matches) return undefined;
      next.push(...children.filter(matches).map((child) => join(base, child)));
    }
    current = next.sort();
  }
  return current;
}

function childrenOf(plan: UnpackPlan, dir: string): string[] {
  if (!plan.dirs.has(dir)) return [];
  const prefix = dir === "" ? "" : `${dir}/`;
  const names = [...plan.dirs, ...plan.files.keys()]
    .filter((path) => path !== dir && path.startsWith(prefix) && !path.slice(prefix.length).includes("/"))
    .map((path) => path.slice(prefix.length));
  return [...new Set(names)];
}

function join(base: string, child: string): string {
  return base === "" ? child : `${base}/${child}`;
}

/** The extensions of configuration files (parser_config_dir.go:312 fileExt). */
export const CONFIG_EXTENSIONS = [".tf", ".tf.json", ".tofu", ".tofu.json"];
/** The extensions of test files, which are not configuration (parser_config_dir.go:356 isTestFileExt). */
export const TEST_EXTENSIONS = [".tftest.hcl", ".tftest.json", ".tofutest.hcl", ".tofutest.json"];

/**
 * The configuration files OpenTofu loads from a module directory
 * (internal/configs/parser_config_dir.go:150 dirFiles): files directly in it with a .tf, .tf.json,
 * .tofu or .tofu.json extension, not tests, not ignored (hidden, `~` backups, `#...#`).
 */
export function configFiles(plan: UnpackPlan, dir: string): string[] {
  const prefix = dir === "" ? "" : `${dir}/`;
  return [...plan.files.keys()]
    .filter((path) => path.startsWith(prefix) && !path.slice(prefix.length).includes("/"))
    .map((path) => path.slice(prefix.length))
    .filter(
      (name) =>
        !isIgnoredFile(name) &&
        !TEST_EXTENSIONS.some((ext) => name.endsWith(ext)) &&
        CONFIG_EXTENSIONS.some((ext) => name.endsWith(ext)),
    )
    .sort();
}

/** configs.IsIgnoredFile (parser_config_dir.go:362): editor swap files and hidden files. */
export function isIgnoredFile(name: string): boolean {
  return name.startsWith(".") || name.endsWith("~") || (name.startsWith("#") && name.endsWith("#"));
}
