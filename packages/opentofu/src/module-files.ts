import { posix } from "node:path";
import { hasMeta, segmentMatcher } from "./go-glob.js";
import type { UnpackPlan } from "./unpack-plan.js";

/** Where the module will be loaded from, or why OpenTofu cannot find it. */
export type ModuleDir = { ok: true; dir: string } | { ok: false; problem: string };

/**
 * Resolves `//subdir` as go-getter's SubdirGlob (source.go:63) does after OpenTofu unpacks the
 * whole package (internal/initwd/module_install.go:855 installGoGetterModule): path.Clean, then filepath.Glob — exactly one match,
 * and it must be a directory for configs.LoadConfigDir to read it.
 */
export function findModuleDir(plan: UnpackPlan, subdir: string | undefined): ModuleDir {
  if (subdir === undefined) return { ok: true, dir: "" };
  const pattern = posix.normalize(subdir).replace(/^\/+|\/+$/g, "");
  const matches = glob(plan, pattern.split("/"));
  if (matches === undefined) return { ok: false, problem: `the subdirectory "${subdir}" is not a valid glob pattern` };
  if (matches.length === 0) {
    const top = [...plan.dirs].filter((dir) => dir !== "" && !dir.includes("/")).sort();
    return { ok: false, problem: `the package has no "${subdir}" ("Module subdirectory not found"); top-level directories: ${top.length > 0 ? top.join(", ") : "none"}` };
  }
  if (matches.length > 1) return { ok: false, problem: `the subdirectory "${subdir}" matches ${matches.length} paths (${matches.slice(0, 3).join(", ")}) ("matches multiple paths")` };
  const dir = matches[0]!;
  if (!plan.dirs.has(dir)) return { ok: false, problem: `"${dir}" in the package is a file, not a directory ("Unreadable module directory")` };
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

const CONFIG_EXTENSIONS = [".tf", ".tf.json", ".tofu", ".tofu.json"];
const TEST_EXTENSIONS = [".tftest.hcl", ".tftest.json", ".tofutest.hcl", ".tofutest.json"];

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
    .filter((name) => !isIgnoredFile(name) && !TEST_EXTENSIONS.some((ext) => name.endsWith(ext)) && CONFIG_EXTENSIONS.some((ext) => name.endsWith(ext)))
    .sort();
}

/** configs.IsIgnoredFile (parser_config_dir.go:362): editor swap files and hidden files. */
function isIgnoredFile(name: string): boolean {
  return name.startsWith(".") || name.endsWith("~") || (name.startsWith("#") && name.endsWith("#"));
}
