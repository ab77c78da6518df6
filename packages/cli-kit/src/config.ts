import { invalidInput } from "@tofu-oci/core";

/**
 * Defaults users can set in a cosmiconfig file (`tofu-oci` in package.json, `.tofu-ocirc`,
 * `.tofu-ocirc.json|yaml`, `tofu-oci.config.js|mjs|cjs`). Flags always win.
 */
export interface TofuOciConfig {
  /** Default registry host for commands that take one. */
  registry?: string;
  plainHttp?: boolean;
  insecure?: boolean;
  caFile?: string;
  registryConfig?: string;
  concurrency?: number;
  /** Default `--to` template of tofu-oci-mirror providers. */
  mirrorTemplate?: string;
}

const SCHEMA: Record<keyof TofuOciConfig, "string" | "boolean" | "number"> = {
  registry: "string",
  plainHttp: "boolean",
  insecure: "boolean",
  caFile: "string",
  registryConfig: "string",
  concurrency: "number",
  mirrorTemplate: "string",
};

export interface LoadedConfig {
  config: TofuOciConfig;
  /** The file it came from, if any. */
  filepath?: string;
}

/** Finds and validates the nearest config file, searching up from `cwd`. */
export async function loadConfig(cwd: string, explicitPath?: string): Promise<LoadedConfig> {
  const { cosmiconfig } = await import("cosmiconfig");
  const explorer = cosmiconfig("tofu-oci", { searchStrategy: "project" });
  let found: { config: unknown; filepath: string; isEmpty?: boolean } | null;
  try {
    found = explicitPath ? await explorer.load(explicitPath) : await explorer.search(cwd);
  } catch (error) {
    throw invalidInput(`cannot read the tofu-oci config file: ${(error as Error).message}`, "Fix its syntax or remove it.", error);
  }
  if (!found || found.isEmpty) return found ? { config: {}, filepath: found.filepath } : { config: {} };
  return { config: validateConfig(found.config, found.filepath), filepath: found.filepath };
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
    if (typeof setting !== expected || (expected === "number" && !(Number.isInteger(setting) && (setting as number) > 0))) {
      throw invalidInput(`${filepath}: "${key}" must be ${expected === "number" ? "a positive integer" : `a ${expected}`}`);
    }
  }
  return value as TofuOciConfig;
}
