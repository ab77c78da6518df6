import { invalidInput, usageError } from "@tofu-oci/core";
import { DockerConfigSyntaxError, parseDockerStyleConfig } from "../docker-config/docker-config.js";
import { withoutAdjacentDuplicates } from "../docker-config/search-paths.js";
import type { AuthIo } from "../io/auth-io.js";
import { resolveSource, type Resolution } from "../resolver.js";
import type { ConfigFileStore } from "./config-file-store.js";

/** Where login writes, or logout erases, a registry's credentials. */
export type StorePlan =
  | { store: "file"; file: string }
  | { store: "helper"; helper: string; serverURL: string; file?: string }
  | { store: "none" };

/**
 * Where OpenTofu will look for `host`'s credentials, so login stores them there: the helper
 * OpenTofu would run for the host (an explicit, default or ambient one), else the docker-style
 * file whose `auths` entry it uses now, else the first docker-style file it reads.
 * With `registryConfig`, that file (through its `credHelpers`/`credsStore` helper if it has one).
 * @throws TofuOciError when OpenTofu reads no file login could write, or its files are broken.
 */
export async function loginPlan(
  io: AuthIo,
  files: ConfigFileStore,
  host: string,
  registryConfig?: string,
): Promise<StorePlan> {
  if (registryConfig) return fileHelperPlan(files, host, io.path.resolve(io.cwd, registryConfig));
  const resolution = await resolveSource(io, { registry: host, repository: "" });
  return selectedPlan(resolution, host) ?? firstFilePlan(resolution);
}

/** Where logout removes `host`'s credentials: the same places login would have written. */
export async function logoutPlan(
  io: AuthIo,
  files: ConfigFileStore,
  host: string,
  registryConfig?: string,
): Promise<StorePlan> {
  if (registryConfig) return fileHelperPlan(files, host, io.path.resolve(io.cwd, registryConfig));
  const resolution = await resolveSource(io, { registry: host, repository: "" });
  return selectedPlan(resolution, host) ?? { store: "none" };
}

async function fileHelperPlan(files: ConfigFileStore, host: string, file: string): Promise<StorePlan> {
  const text = await files.read(file);
  if (text === undefined) return { store: "file", file };
  let config;
  try {
    config = parseDockerStyleConfig(text);
  } catch (error) {
    if (!(error instanceof DockerConfigSyntaxError)) throw error;
    throw invalidInput(
      `${file} is not a valid docker-style config file: ${error.message}`,
      "Fix or move the file first.",
    );
  }
  const helper = config.credHelpers.get(host) || config.credsStore;
  return helper ? { store: "helper", helper, serverURL: `https://${host}`, file } : { store: "file", file };
}

function selectedPlan(resolution: Resolution, host: string): StorePlan | undefined {
  const selected = resolution.selection.selected;
  if (!selected) return undefined;
  const ambient = resolution.policy.ambient.files.some((file) => file.path === selected.location);
  if (selected.kind === "helper")
    return {
      store: "helper",
      helper: selected.helper!,
      serverURL: selected.serverURL!,
      ...(ambient ? { file: selected.location } : {}),
    };
  if (ambient) return { store: "file", file: selected.location };
  throw usageError(
    `OpenTofu uses the ${selected.location} for ${host}, which login cannot change`,
    "Edit that block in the CLI configuration, or pass --registry-config PATH to write a docker-style file anyway.",
  );
}

function firstFilePlan(resolution: Resolution): StorePlan {
  const ambient = resolution.policy.ambient;
  if (ambient.mode === "disabled") {
    throw usageError(
      "OpenTofu reads no docker-style file: the CLI configuration sets discover_ambient_credentials = false",
      "Add an oci_credentials block for the registry, or pass --registry-config PATH to write a file anyway.",
    );
  }
  if (ambient.discarded) {
    const bad = ambient.files
      .filter((file) => file.status === "unreadable" || file.status === "malformed")
      .map((file) => file.error);
    throw invalidInput(
      `OpenTofu ignores every docker-style file because of ${bad.join("; ")}`,
      "Fix or remove that file first; until then no login can take effect.",
    );
  }
  const candidates =
    ambient.mode === "explicit"
      ? ambient.files.map((file) => file.path)
      : withoutAdjacentDuplicates(ambient.searchPaths);
  const first = candidates[0];
  if (!first)
    throw usageError(
      "OpenTofu reads no docker-style file: docker_style_config_files is empty",
      "List a file in docker_style_config_files, or pass --registry-config PATH.",
    );
  return { store: "file", file: first };
}
