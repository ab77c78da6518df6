import { errorCode, type AuthIo } from "../io/auth-io.js";
import { goFileError, goJoin } from "../io/go-path.js";
import { parseHcl1 } from "../hcl1/parse.js";
import { errorDiagnostic, warningDiagnostic, type Diagnostic } from "./diagnostics.js";
import { locateCliConfig, type CliConfigLocation } from "./locate.js";
import {
  decodeOciCredentials,
  decodeOciDefaultCredentials,
  type OciCredentialsBlock,
  type OciDefaultCredentials,
} from "./oci-blocks.js";
import { decodeProviderInstallation, type ProviderInstallation } from "./provider-installation.js";

/** The OCI and provider installation parts of OpenTofu's merged CLI configuration. */
export interface CliConfig {
  location: CliConfigLocation;
  /** The files read, main file first, then the config directory in filename order. */
  files: string[];
  credentials: OciCredentialsBlock[];
  /** Zero or one when valid. */
  defaults: OciDefaultCredentials[];
  /** Zero or one when valid (cliconfig.go:376). */
  providerInstallation: ProviderInstallation[];
  diagnostics: Diagnostic[];
  /**
   * Problems of the provider_installation blocks, apart from `diagnostics`: credentials do not
   * depend on them, so they do not stop a credentials lookup.
   */
  installationDiagnostics: Diagnostic[];
}

/** Loads and merges the CLI configuration files (docs/contract/auth/spec.md §2), decoding the OCI blocks (§3). */
export async function loadCliConfig(io: AuthIo): Promise<CliConfig> {
  const location = await locateCliConfig(io);
  const config: CliConfig = {
    location,
    files: [],
    credentials: [],
    defaults: [],
    providerInstallation: [],
    diagnostics: [],
    installationDiagnostics: [],
  };
  if (location.mainFile) await loadFile(io, config, location.mainFile, location.overridden ? "override" : "default");
  if (location.configDir && (await io.stat(location.configDir)) === "directory") {
    for (const file of await configDirFiles(io, location.configDir)) await loadFile(io, config, file, "directory");
  }
  config.diagnostics.push(...validateMerged(config));
  if (config.providerInstallation.length > 1) {
    config.installationDiagnostics.push(
      errorDiagnostic(undefined, "No more than one provider_installation block may be specified"),
    );
  }
  return config;
}

/** The *.tfrc and *.tfrc.json entries of the config directory, in byte-wise name order. */
async function configDirFiles(io: AuthIo, dir: string): Promise<string[]> {
  const names = (await io.readDir(dir)).filter((name) => /\.tfrc(\.json)?$/.test(name));
  names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return names.map((name) => goJoin(io.path, dir, name));
}

/** How a file was found: that decides whether a missing or unreadable file is worth a word. */
type FileSource = "override" | "default" | "directory";

async function loadFile(io: AuthIo, config: CliConfig, path: string, source: FileSource): Promise<void> {
  const text = await readConfigText(io, config, path, source);
  if (text === undefined) return;
  config.files.push(path);
  let file;
  try {
    file = parseHcl1(text);
  } catch (error) {
    config.diagnostics.push(errorDiagnostic(undefined, `Error parsing ${path}: ${(error as Error).message}`));
    return;
  }
  const defaults = decodeOciDefaultCredentials(file, path, io);
  const credentials = decodeOciCredentials(file, path, io.os);
  const installation = decodeProviderInstallation(file, path);
  config.defaults.push(...defaults.blocks);
  config.credentials.push(...credentials.blocks);
  config.providerInstallation.push(...installation.blocks);
  config.diagnostics.push(...defaults.diagnostics, ...credentials.diagnostics);
  config.installationDiagnostics.push(...installation.diagnostics);
}

async function readConfigText(
  io: AuthIo,
  config: CliConfig,
  path: string,
  source: FileSource,
): Promise<string | undefined> {
  try {
    return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await io.readFile(path));
  } catch (error) {
    const code = errorCode(error);
    // OpenTofu opens the main file first (a failure is a warning), then reads it (a failure is an error).
    if (source === "directory" || code === "EISDIR")
      config.diagnostics.push(errorDiagnostic(undefined, `Error reading ${path}: ${goFileError("read", path, error)}`));
    else if (code !== "ENOENT" || source === "override") {
      config.diagnostics.push(
        warningDiagnostic(
          `Unable to open CLI configuration file: The CLI configuration file at "${path}" does not exist.`,
        ),
      );
    }
    return undefined;
  }
}

/** The checks OpenTofu makes after merging all files (Config.Validate). */
function validateMerged(config: CliConfig): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (config.defaults.length > 1)
    diagnostics.push(errorDiagnostic(undefined, "No more than one oci_default_credentials block may be specified"));
  const seen = new Set<string>();
  for (const block of config.credentials) {
    if (seen.has(block.prefix))
      diagnostics.push(
        errorDiagnostic(block.file, `Duplicate oci_credentials block for ${JSON.stringify(block.prefix)}`),
      );
    seen.add(block.prefix);
  }
  return diagnostics;
}
