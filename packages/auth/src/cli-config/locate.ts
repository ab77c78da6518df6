import type { AuthIo } from "../io/auth-io.js";
import { goJoin } from "../io/go-path.js";

/** Where OpenTofu looks for its CLI configuration (docs/contract/auth/spec.md §2.1, §2.2). */
export interface CliConfigLocation {
  /** The one main file, if any. */
  mainFile?: string;
  /** True when the main file came from TF_CLI_CONFIG_FILE or TERRAFORM_CONFIG (it must exist). */
  overridden: boolean;
  /** The directory whose *.tfrc and *.tfrc.json files are added; unused when overridden. */
  configDir?: string;
}

/** TF_CLI_CONFIG_FILE, else the legacy TERRAFORM_CONFIG; there is no TOFU_CLI_CONFIG_FILE. */
export function cliConfigOverride(io: AuthIo): string | undefined {
  return io.env.TF_CLI_CONFIG_FILE || io.env.TERRAFORM_CONFIG || undefined;
}

/** Finds the main CLI config file and the config directory the way OpenTofu's loader does. */
export async function locateCliConfig(io: AuthIo): Promise<CliConfigLocation> {
  const override = cliConfigOverride(io);
  if (override) return { mainFile: override, overridden: true };
  const home = cliConfigHome(io);
  if (home === undefined) return { overridden: false };
  if (io.os === "windows") {
    return {
      mainFile: await newOrLegacy(io, goJoin(io.path, home, "tofu.rc"), goJoin(io.path, home, "terraform.rc")),
      overridden: false,
      configDir: goJoin(io.path, home, "terraform.d"),
    };
  }
  return { mainFile: await unixMainFile(io, home), overridden: false, configDir: await unixConfigDir(io, home) };
}

/** HOME (or the user database) on Unix; %APPDATA% stands in for SHGetFolderPath(CSIDL_APPDATA) on Windows. */
function cliConfigHome(io: AuthIo): string | undefined {
  if (io.os === "windows") return io.env.APPDATA || undefined;
  return io.env.HOME || io.userHomeDir() || undefined;
}

async function unixMainFile(io: AuthIo, home: string): Promise<string> {
  const current = goJoin(io.path, home, ".tofurc");
  const legacy = goJoin(io.path, home, ".terraformrc");
  const xdg = io.env.XDG_CONFIG_HOME;
  if (xdg && !(await exists(io, legacy)) && !(await exists(io, current)))
    return goJoin(io.path, xdg, "opentofu", "tofurc");
  return newOrLegacy(io, current, legacy);
}

async function unixConfigDir(io: AuthIo, home: string): Promise<string> {
  const dir = goJoin(io.path, home, ".terraform.d");
  const xdg = io.env.XDG_CONFIG_HOME;
  return !(await exists(io, dir)) && xdg ? goJoin(io.path, xdg, "opentofu") : dir;
}

/** The legacy name only when it exists and the new one does not. */
async function newOrLegacy(io: AuthIo, current: string, legacy: string): Promise<string> {
  return (await exists(io, legacy)) && !(await exists(io, current)) ? legacy : current;
}

async function exists(io: AuthIo, path: string): Promise<boolean> {
  return (await io.stat(path)) !== undefined;
}
