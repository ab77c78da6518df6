import { invalidInput } from "@tofu-oci/core";
import type { CommandContext } from "./context.js";

/**
 * Defaults users can set in a cosmiconfig file (`tofu-oci` in package.json, `.tofu-ocirc`,
 * `.tofu-ocirc.json|yaml`, `tofu-oci.config.js|mjs|cjs`). Flags always win.
 */
export interface TofuOciConfig {
  /** Default registry host for commands that take one. */
  registry?: string;
  /** Default of `--plain-http`: talk HTTP instead of HTTPS. */
  plainHttp?: boolean;
  /** Default of `--insecure`: skip TLS certificate verification. */
  insecure?: boolean;
  /** Default of `--ca-file`: a PEM file of CA certificates to trust. */
  caFile?: string;
  /** Default of `--registry-config`: a docker-style config.json to read credentials from. */
  registryConfig?: string;
  /** Default of `--concurrency`: blob transfers at once. Default 4. */
  concurrency?: number;
  /** Default `--to` template of tofu-oci-mirror providers. */
  mirrorTemplate?: string;
  /** Attempts after the first for a request that failed on the network, 429 or 5xx. Default 4. */
  retries?: number;
  /** First backoff delay in ms; it doubles each attempt, with full jitter. Default 200. */
  retryMinDelayMs?: number;
  /** Longest wait between attempts in ms, also the cap on `Retry-After`. Default 10 000. */
  retryMaxDelayMs?: number;
  /** No retry starts later than this many ms after the first failure since the last progress. Default 180 000. */
  retryDeadlineMs?: number;
  /** Longest silence in ms while waiting for a registry's headers or body bytes. Default 60 000. */
  idleTimeoutMs?: number;
  /**
   * Blobs larger than this many bytes are uploaded in resumable chunks of this size (within the
   * registry's limits). Default: none, one PUT per blob.
   */
  chunkSize?: number;
}

/** `number`: a positive integer; `count`: an integer from 0. */
const SCHEMA: Record<keyof TofuOciConfig, "string" | "boolean" | "number" | "count"> = {
  registry: "string",
  plainHttp: "boolean",
  insecure: "boolean",
  caFile: "string",
  registryConfig: "string",
  concurrency: "number",
  mirrorTemplate: "string",
  retries: "count",
  retryMinDelayMs: "count",
  retryMaxDelayMs: "number",
  retryDeadlineMs: "number",
  idleTimeoutMs: "number",
  chunkSize: "number",
};

/** The validated config and the file it came from. */
export interface LoadedConfig {
  /** The settings, checked; empty when no file was found. */
  config: TofuOciConfig;
  /** The file it came from, if any. */
  filepath?: string;
}

/** Finds and validates the nearest config file, searching up from `cwd`. */
export async function loadConfig(cwd: string, explicitPath?: string): Promise<LoadedConfig> {
  const { cosmiconfig, defaultLoaders } = await import("cosmiconfig");
  // `.tofu-ocirc` may hold JSON or YAML; JSON is read as JSON, so its errors say JSON.
  const noExt = (filepath: string, content: string) =>
    (/^\s*[{[]/.test(content) ? defaultLoaders[".json"] : defaultLoaders[".yaml"])(filepath, content);
  const explorer = cosmiconfig("tofu-oci", { searchStrategy: "project", loaders: { noExt } });
  let found: { config: unknown; filepath: string; isEmpty?: boolean } | null;
  try {
    found = explicitPath ? await explorer.load(explicitPath) : await explorer.search(cwd);
  } catch (error) {
    throw invalidInput(
      `cannot read the tofu-oci config file: ${oneLine((error as Error).message)}`,
      "Fix its syntax or remove it.",
      error,
    );
  }
  if (!found || found.isEmpty) return found ? { config: {}, filepath: found.filepath } : { config: {} };
  return { config: validateConfig(found.config, found.filepath), filepath: found.filepath };
}

const loadedFor = new WeakMap<CommandContext, Promise<LoadedConfig>>();

/** The config of a command's working directory, read once per context (every command checks it). */
export function configFor(ctx: CommandContext): Promise<LoadedConfig> {
  let loaded = loadedFor.get(ctx);
  if (!loaded) {
    loaded = loadConfig(ctx.cwd);
    loadedFor.set(ctx, loaded);
  }
  return loaded;
}

/** Checks a config object against the schema; the error names the bad key and file. */
export function validateConfig(value: unknown, filepath: string): TofuOciConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidInput(`${filepath}: the tofu-oci config must be an object`);
  }
  for (const [key, setting] of Object.entries(value)) {
    const expected = SCHEMA[key as keyof TofuOciConfig];
    if (!expected) {
      throw invalidInput(`${filepath}: unknown key "${key}"`, `Known keys: ${Object.keys(SCHEMA).join(", ")}.`);
    }
    if (!fitsSchema(setting, expected)) throw invalidInput(`${filepath}: "${key}" must be ${DESCRIBE[expected]}`);
  }
  return value as TofuOciConfig;
}

const DESCRIBE = {
  string: "a string",
  boolean: "a boolean",
  number: "a positive integer",
  count: "an integer of 0 or more",
} as const;

function fitsSchema(value: unknown, expected: keyof typeof DESCRIBE): boolean {
  if (expected === "number" || expected === "count")
    return Number.isInteger(value) && (value as number) >= (expected === "number" ? 1 : 0);
  return typeof value === expected;
}

/** A parser's message without its code frame (`> 1 | ...`, `    |   ^`), on one line. */
function oneLine(message: string): string {
  const lines = message.split("\n").map((line) => line.trim());
  const text = lines.filter((line) => line !== "" && !/^(>\s*)?\d*\s*\|/.test(line));
  return [...new Set(text)].join(" ");
}
