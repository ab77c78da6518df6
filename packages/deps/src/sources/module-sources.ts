import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { invalidInput, isTofuOciError, parseLocator, type Locator } from "@tofu-oci/core";
import { literalString, moduleFiles, parseHcl } from "@tofu-oci/opentofu";
import { parseDirective, type Directive } from "./directive.js";
import { findSourceSites, type SourceSite } from "./source-sites.js";

/** One `oci://` module source of the configuration, where it is and what it says. */
export interface ModuleSource {
  /** Absolute path of the file. */
  file: string;
  /** The file relative to the configuration directory, with `/`. */
  path: string;
  site: SourceSite;
  /** The parsed source; undefined when it is not a valid `oci://` source (`problem` says why). */
  locator?: Locator;
  problem?: string;
  directive: Directive;
}

/** One configuration file in native syntax with its `oci://` sources. */
export interface SourceFile {
  file: string;
  text: string;
  sources: ModuleSource[];
}

const SKIPPED_DIRS = new Set(["node_modules"]);

/**
 * Every `oci://` module source under `dir`: the configuration files OpenTofu reads
 * (`moduleFiles`) of `dir` and of every subdirectory but hidden ones (`.terraform`, `.git`) and
 * node_modules, in native syntax (JSON-syntax files are not read). Each file is parsed by the real
 * HCL parser first; the sources found by position must be exactly the ones it reports.
 * @throws TofuOciError "invalid-input" (exit 6) for a file that is not valid HCL.
 */
export async function readModuleSources(dir: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for (const file of await configurationFiles(dir)) {
    const text = await readFile(file, "utf8");
    const sites = await checkedSites(file, text);
    const sources = sites
      .filter((site) => site.value.startsWith("oci://"))
      .map((site) => moduleSource(dir, file, site));
    if (sources.length > 0) files.push({ file, text, sources });
  }
  return files;
}

async function configurationFiles(dir: string): Promise<string[]> {
  let files: string[];
  try {
    const found = await moduleFiles(dir);
    files = [...found.primary, ...found.override].filter((file) => !file.endsWith(".json"));
  } catch (error) {
    throw invalidInput(
      `cannot read the directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      "Give the directory of an OpenTofu configuration.",
    );
  }
  const entries = await readdir(dir, { withFileTypes: true });
  const subdirs = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith(".") && !SKIPPED_DIRS.has(entry.name))
    .map((entry) => entry.name)
    .sort();
  for (const name of subdirs) files.push(...(await configurationFiles(join(dir, name))));
  return files;
}

/** The sites found by position, checked against the module sources hcl2json reports. */
async function checkedSites(file: string, text: string): Promise<SourceSite[]> {
  const parsed = await parseHcl(file, text);
  const expected = moduleSourcesOf(parsed).sort();
  const sites = findSourceSites(text);
  const found = sites.map((site) => `${site.module}\u0000${site.value}`).sort();
  if (JSON.stringify(found) !== JSON.stringify(expected)) {
    throw invalidInput(
      `${file}: cannot tell where each module source is written (found ${found.length}, HCL has ${expected.length})`,
      'Write each module\'s source as one quoted string on its own line: source = "oci://...".',
    );
  }
  return sites;
}

/** `module "NAME" { source = "..." }` as hcl2json returns them, literal sources only. */
function moduleSourcesOf(parsed: Record<string, unknown>): string[] {
  const modules = parsed.module as Record<string, Array<Record<string, unknown>>> | undefined;
  return Object.entries(modules ?? {}).flatMap(([name, bodies]) =>
    bodies.flatMap((body) => {
      const source = typeof body.source === "string" ? literalString(body.source) : undefined;
      return source === undefined ? [] : [`${name}\u0000${source}`];
    }),
  );
}

function moduleSource(dir: string, file: string, site: SourceSite): ModuleSource {
  const path = relative(dir, file).split(sep).join("/");
  const source: ModuleSource = { file, path, site, directive: parseDirective(site.comment?.text) };
  try {
    source.locator = parseLocator(site.value);
  } catch (error) {
    if (!isTofuOciError(error)) throw error;
    source.problem = error.message;
  }
  return source;
}
