import { readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { TofuOciError, invalidInput, isTofuOciError } from "@tofu-oci/core";
import { isJsonConfigFile, moduleFiles } from "./config-files.js";
import { literalString, parseHcl } from "./hcl.js";
import {
  formatProviderAddress,
  isBuiltInProvider,
  parseProviderAddress,
  type ProviderAddress,
} from "./provider-address.js";

/** What a configuration requires of one provider: its address and every version constraint given for it. */
export interface ProviderRequirement {
  /** `HOSTNAME/NAMESPACE/TYPE` as the lock file writes it. */
  address: string;
  /** The same address, parsed. */
  provider: ProviderAddress;
  /** The constraint strings in the order OpenTofu collects them; empty for "any version". */
  constraints: string[];
}

/** A module call the reader could not follow: a remote source `tofu init` has not installed yet. */
export interface UnresolvedModule {
  /** The module path, e.g. `network.subnets`. */
  key: string;
  /** The module's `source` as written (a remote source `tofu init` has not installed). */
  source: string;
}

/** The provider requirements of a configuration and its module tree. */
export interface ConfigurationRequirements {
  /** By address, in the order first seen; built-in providers are left out (they are never locked). */
  providers: Map<string, ProviderRequirement>;
  /** The module directories read, root first, relative to the root. */
  modules: Array<{ key: string; dir: string }>;
  /** Remote modules not installed (no `.terraform/modules/modules.json` entry), so not read. */
  unresolved: UnresolvedModule[];
}

type Body = Record<string, unknown>;

/** What one module directory declares, after its override files. */
interface ModuleDeclarations {
  /** required_providers entries by local name. */
  required: Map<string, { source?: string; version?: string }>;
  providerBlocks: Array<{ name: string; version?: string }>;
  /** Local provider names that resources, data sources and ephemeral resources use. */
  resourceProviders: string[];
  calls: Array<{ name: string; source: string }>;
}

const MANIFEST = join(".terraform", "modules", "modules.json");

/**
 * Reads the providers a configuration needs, as `tofu init` collects them
 * (internal/configs/config.go:387 addProviderRequirements): `required_providers` entries with
 * their `version`, `provider` blocks with a `version`, and the providers that resources, data
 * sources and ephemeral resources imply (the type's prefix before `_`, or their `provider`
 * argument), in the root module and every module it calls. Local module sources (`./`, `../`)
 * are followed; remote ones through `.terraform/modules/modules.json` when `tofu init` installed
 * them, and are listed in `unresolved` otherwise. Files are chosen as OpenTofu chooses them
 * ({@link moduleFiles}); override files replace `required_providers` entries by name. Test files
 * are not read.
 * @throws TofuOciError "invalid-input" (exit 6) for a directory that cannot be read, a file that
 *   is not valid HCL or JSON, or an invalid provider source or constraint.
 */
export async function readProviderRequirements(dir: string): Promise<ConfigurationRequirements> {
  const root = resolve(dir);
  const installed = await readModuleManifest(root);
  const result: ConfigurationRequirements = { providers: new Map(), modules: [], unresolved: [] };
  const queue: Array<{ key: string; dir: string }> = [{ key: "", dir: root }];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const declarations = await readModule(next.dir);
    result.modules.push({ key: next.key, dir: relative(root, next.dir) || "." });
    addRequirements(result.providers, declarations, next.dir);
    for (const call of declarations.calls) {
      const key = next.key ? `${next.key}.${call.name}` : call.name;
      const child = installed.get(key) ?? (isLocalSource(call.source) ? resolve(next.dir, call.source) : undefined);
      if (child === undefined) result.unresolved.push({ key, source: call.source });
      else queue.push({ key, dir: child });
    }
  }
  return result;
}

/** addrs/module_source.go:46: a local module source starts with ./ or ../ (or their Windows forms). */
function isLocalSource(source: string): boolean {
  return ["./", "../", ".\\", "..\\"].some((prefix) => source.startsWith(prefix));
}

/** `.terraform/modules/modules.json` (internal/modsdir/manifest.go): module key -> installed directory. */
async function readModuleManifest(root: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(join(root, MANIFEST), "utf8");
  } catch {
    return new Map();
  }
  let manifest: { Modules?: Array<{ Key?: unknown; Dir?: unknown }> };
  try {
    manifest = JSON.parse(text) as typeof manifest;
  } catch (error) {
    throw invalidInput(
      `${join(root, MANIFEST)} is not valid JSON: ${(error as Error).message}`,
      "Run tofu init again to rewrite it.",
    );
  }
  const dirs = new Map<string, string>();
  for (const record of manifest.Modules ?? []) {
    if (typeof record.Key === "string" && record.Key !== "" && typeof record.Dir === "string")
      dirs.set(record.Key, resolve(root, record.Dir));
  }
  return dirs;
}

async function readModule(dir: string): Promise<ModuleDeclarations> {
  let files;
  try {
    files = await moduleFiles(dir);
  } catch (error) {
    throw invalidInput(
      `cannot read the module directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      "Give the directory of an OpenTofu configuration.",
    );
  }
  const declarations: ModuleDeclarations = {
    required: new Map(),
    providerBlocks: [],
    resourceProviders: [],
    calls: [],
  };
  for (const file of files.primary) collect(declarations, await readConfigFile(file), file, false);
  for (const file of files.override) collect(declarations, await readConfigFile(file), file, true);
  return declarations;
}

async function readConfigFile(file: string): Promise<Body> {
  const text = await readFile(file, "utf8");
  if (!isJsonConfigFile(file)) return parseHcl(file, text);
  try {
    const value: unknown = JSON.parse(text);
    if (isBody(value)) return value;
    throw new Error("the root is not an object");
  } catch (error) {
    throw invalidInput(
      `${file} is not valid JSON configuration: ${(error as Error).message}`,
      "Fix the file; tofu init reads it too.",
    );
  }
}

/** Adds one file's declarations. hcl2json and JSON syntax differ in nesting: {@link bodies} accepts both. */
function collect(declarations: ModuleDeclarations, file: Body, path: string, override: boolean): void {
  for (const terraform of bodies(file.terraform)) {
    for (const required of bodies(terraform.required_providers)) {
      for (const [name, entry] of Object.entries(required)) {
        // internal/configs/module_merge.go: an override file's entry replaces the primary one.
        declarations.required.set(name, requiredEntry(entry, name, path));
      }
    }
  }
  for (const [name, blocks] of labelled(file.provider)) {
    for (const block of blocks) {
      const version = optionalString(block.version, `provider "${name}" version`, path);
      declarations.providerBlocks.push(version === undefined ? { name } : { name, version });
    }
  }
  for (const kind of ["resource", "data", "ephemeral"]) {
    for (const [type, named] of labelled(file[kind])) {
      for (const [, blocks] of labelled(named)) {
        for (const block of blocks) declarations.resourceProviders.push(resourceProvider(type, block.provider));
      }
    }
  }
  for (const [name, blocks] of labelled(file.module)) {
    for (const block of blocks) {
      const source = optionalString(block.source, `module "${name}" source`, path);
      if (source !== undefined && !override) declarations.calls.push({ name, source });
    }
  }
}

/** A required_providers entry: `{ source, version }`, or the legacy version string alone. */
function requiredEntry(entry: unknown, name: string, path: string): { source?: string; version?: string } {
  if (typeof entry === "string") return { version: optionalString(entry, `required_providers.${name}`, path)! };
  const body = bodies(entry)[0] ?? {};
  const source = optionalString(body.source, `required_providers.${name}.source`, path);
  const version = optionalString(body.version, `required_providers.${name}.version`, path);
  return { ...(source === undefined ? {} : { source }), ...(version === undefined ? {} : { version }) };
}

/** addrs/resource.go ImpliedProvider: the `provider` argument's local name, else the type before its first `_`. */
function resourceProvider(type: string, provider: unknown): string {
  const reference = typeof provider === "string" ? /^\$\{([^.}]+)(?:\.[^}]+)?\}$/.exec(provider)?.[1] : undefined;
  return reference ?? type.split("_")[0]!;
}

function addRequirements(providers: Map<string, ProviderRequirement>, module: ModuleDeclarations, dir: string): void {
  const localAddress = (name: string) => providerFor(module, name, dir);
  const add = (address: ProviderAddress, constraint?: string) => {
    if (isBuiltInProvider(address)) return;
    const key = formatProviderAddress(address);
    const requirement = providers.get(key) ?? { address: key, provider: address, constraints: [] };
    if (constraint !== undefined && constraint.trim() !== "") requirement.constraints.push(constraint);
    providers.set(key, requirement);
  };
  for (const [name, entry] of module.required) add(localAddress(name), entry.version);
  for (const name of module.resourceProviders) add(localAddress(name));
  for (const block of module.providerBlocks) add(localAddress(block.name), block.version);
}

/**
 * configs Module.ProviderForLocalConfig: the required_providers source of a local name, else the
 * implied `registry.opentofu.org/hashicorp/NAME` (addrs ImpliedProviderForUnqualifiedType;
 * `terraform` is the built-in provider).
 */
function providerFor(module: ModuleDeclarations, name: string, dir: string): ProviderAddress {
  const source = module.required.get(name)?.source;
  if (source === undefined) {
    return name === "terraform"
      ? { hostname: "terraform.io", namespace: "builtin", type: "terraform" }
      : parseSource(`hashicorp/${name}`, dir);
  }
  return parseSource(source, dir);
}

function parseSource(source: string, dir: string): ProviderAddress {
  try {
    return parseProviderAddress(source);
  } catch (error) {
    if (!isTofuOciError(error)) throw error;
    throw new TofuOciError("invalid-input", `a provider source in ${dir}: ${error.message}`, {
      hint: error.hint ?? "Fix the required_providers block.",
    });
  }
}

function optionalString(value: unknown, what: string, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const literal = typeof value === "string" ? literalString(value) : undefined;
  if (literal === undefined)
    throw invalidInput(
      `${path}: ${what} must be a literal string, got ${JSON.stringify(value)}`,
      "OpenTofu requires a literal string here.",
    );
  return literal;
}

/** A block body or a list of them (hcl2json gives lists; JSON syntax may give either). */
function bodies(value: unknown): Body[] {
  if (Array.isArray(value)) return value.filter(isBody);
  return isBody(value) ? [value] : [];
}

/** Labelled blocks as `[label, bodies]`, from `{label: [body]}`, `{label: body}` or a list of such objects. */
function labelled(value: unknown): Array<[string, Body[]]> {
  return bodies(value).flatMap((object) =>
    Object.entries(object).map(([label, inner]): [string, Body[]] => [label, bodies(inner)]),
  );
}

function isBody(value: unknown): value is Body {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
