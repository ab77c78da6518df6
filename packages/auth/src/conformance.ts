/**
 * The credentials conformance runner: runs one case of the shared `cases.json` (docs/contract/auth) against the
 * resolver on a virtual machine, so other implementations can be held to the same cases.
 * @module
 */
import { posix } from "node:path";
import { dockerStyleSearchPaths } from "./docker-config/search-paths.js";
import { isCredentialsError } from "./errors.js";
import { virtualAuthIo, type VirtualHelperReply } from "./io/virtual-io.js";
import { formatSpecificity } from "./policy/specificity.js";
import { materialize, resolveSource, type Resolution } from "./resolver.js";
import { locateCliConfig } from "./cli-config/locate.js";

/** One case of the shared conformance file (`cases.json`, docs/contract/auth/spec.md §11). */
export interface ConformanceCase {
  /** The case's unique name. */
  name: string;
  /** Where the expected behaviour comes from (an OpenTofu source file or test). */
  origin?: string;
  /** The GOOS to simulate, e.g. `linux` or `windows`. */
  os: string;
  /** The environment variables of the case. */
  env: Record<string, string>;
  /** Files of the virtual machine, absolute path to contents. */
  files: Record<string, string>;
  /** Read errors to simulate by path, e.g. `EACCES`. */
  fileErrors?: Record<string, string>;
  /** The main CLI configuration file's text, or null for none. */
  cliConfig: string | null;
  /**
   * Where the main file is. Default: `$HOME/.tofurc` (set through TF_CLI_CONFIG_FILE when OpenTofu would not find it
   * there).
   */
  cliConfigPath?: string;
  /** More CLI configuration files (e.g. `*.tfrc` in the config directory), path and content each. */
  cliConfigFiles?: Array<{ path: string; content: string }>;
  /** Simulated credential helpers: name, then server URL, then reply. */
  helpers?: Record<string, Record<string, VirtualHelperReply>>;
  /** Helpers whose executable does not exist. */
  missingHelpers?: string[];
  /** The registry and repository to resolve, or null to check only loading the configuration. */
  query: { registry: string; repository: string } | null;
  /** The expected results (explanation-only keys are ignored), or `error` with the whole message. */
  expect: Record<string, unknown>;
}

/** Keys of `expect` that only explain the case and are not results. */
export const EXPLANATION_KEYS: readonly string[] = ["source", "notes", "httpNote"];

/**
 * Runs one conformance case through the real resolver with the case's virtual files,
 * environment, OS and simulated helpers. Returns an object with the same result keys as the
 * case's `expect` (explanation-only keys left out); `error` holds the whole message, which
 * the case matches as a substring.
 */
export async function runCase(testCase: ConformanceCase): Promise<Record<string, unknown>> {
  const result = await fullResult(testCase);
  const keys = Object.keys(testCase.expect).filter((key) => !EXPLANATION_KEYS.includes(key));
  return Object.fromEntries(keys.map((key) => [key, result[key]]));
}

async function fullResult(testCase: ConformanceCase): Promise<Record<string, unknown>> {
  const io = await caseIo(testCase);
  const result: Record<string, unknown> = { searchPaths: dockerStyleSearchPaths(io) };
  try {
    const resolution = await resolveSource(io, testCase.query ?? { registry: "", repository: "" });
    result.configLocations = resolution.configLocations.length > 0 ? resolution.configLocations : null;
    // The selection stands when the helper then fails: OpenTofu selected before running it.
    if (testCase.query) Object.assign(result, selectionResult(resolution));
    if (testCase.query) Object.assign(result, await credentialsResult(io, resolution));
  } catch (error) {
    if (!isCredentialsError(error)) throw error;
    result.error = error.message;
    result.errorStage = error.stage;
  }
  result.parses = result.errorStage !== "config";
  return result;
}

function selectionResult(resolution: Resolution): Record<string, unknown> {
  const source = resolution.selection.selected;
  return {
    specificity: formatSpecificity(source?.specificity ?? 0),
    sourceKind: source?.kind,
    sourceLocation: source?.location,
    helper: source?.helper,
    serverURL: source?.serverURL,
  };
}

async function credentialsResult(
  io: Awaited<ReturnType<typeof caseIo>>,
  resolution: Resolution,
): Promise<Record<string, unknown>> {
  const { credential, anonymous } = await materialize(io, resolution.selection.selected);
  return { ...credential, anonymous };
}

/** The case's virtual machine: its files, the CLI config files placed where OpenTofu finds them. */
async function caseIo(testCase: ConformanceCase) {
  const files: Record<string, string> = { ...testCase.files };
  const env: Record<string, string> = { ...testCase.env };
  const home = env.HOME ?? env.USERPROFILE ?? "/";
  for (const file of testCase.cliConfigFiles ?? []) files[file.path] = file.content;
  const mainPath = testCase.cliConfigPath ?? posix.join(home, ".tofurc");
  if (testCase.cliConfig !== null) files[mainPath] = testCase.cliConfig;
  const options = {
    files,
    env,
    os: testCase.os,
    helpers: testCase.helpers ?? {},
    missingHelpers: testCase.missingHelpers ?? [],
    fileErrors: testCase.fileErrors ?? {},
  };
  const io = virtualAuthIo(options);
  if (testCase.cliConfig !== null && !(await isDiscovered(io, mainPath))) env.TF_CLI_CONFIG_FILE = mainPath;
  return virtualAuthIo({ ...options, env });
}

/** Whether OpenTofu would find a file at `path` as the main file or in the config directory. */
async function isDiscovered(io: ReturnType<typeof virtualAuthIo>, path: string): Promise<boolean> {
  const location = await locateCliConfig(io);
  if (location.mainFile === path) return true;
  return location.configDir === posix.dirname(path) && /\.tfrc(\.json)?$/.test(path);
}
