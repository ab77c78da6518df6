import type { AuthIo } from "../io/auth-io.js";
import { goJoin } from "../io/go-path.js";
import { formatPos, type HclFile, type ObjectItem, type ObjectNode } from "../hcl1/ast.js";
import { decodeBody, HclDecodeError, type Decoded, type FieldType } from "../hcl1/decode.js";
import { goQuote } from "@tofu-oci/core/go";
import { parseRepositoryPrefix } from "../policy/oras-reference.js";
import { errorDiagnostic, type Diagnostic } from "./diagnostics.js";

/** One valid `oci_credentials "<prefix>" { ... }` block (docs/contract/auth/spec.md §3.1). Unset arguments are "". */
export interface OciCredentialsBlock {
  prefix: string;
  username: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  helper: string;
  /** The CLI config file it came from. */
  file: string;
}

/** The `oci_default_credentials` block, or its defaults when there is none (docs/contract/auth/spec.md §3.2). */
export interface OciDefaultCredentials {
  /** Default true. */
  discoverAmbientCredentials: boolean;
  /** Undefined: the default search. An empty list: no files. Paths are absolute. */
  dockerStyleConfigFiles: string[] | undefined;
  /** The global helper name; "" for none. */
  helper: string;
  /** The CLI config file it came from; undefined for the built-in defaults. */
  file?: string;
}

export interface DecodedBlocks<T> {
  blocks: T[];
  diagnostics: Diagnostic[];
}

export const DEFAULT_OCI_CREDENTIALS: OciDefaultCredentials = {
  discoverAmbientCredentials: true,
  dockerStyleConfigFiles: undefined,
  helper: "",
};

const CREDENTIALS_SUMMARY = "Invalid oci_credentials block";
const DEFAULTS_SUMMARY = "Invalid oci_default_credentials block";
const CREDENTIALS_SCHEMA = {
  username: "string",
  password: "string",
  access_token: "string",
  refresh_token: "string",
  docker_credentials_helper: "string",
} as const;
const DEFAULTS_SCHEMA = {
  discover_ambient_credentials: "bool",
  docker_style_config_files: "string-list",
  docker_credentials_helper: "string",
} as const;

/** Decodes every `oci_credentials` block of one file; invalid blocks are dropped with an error. */
export function decodeOciCredentials(file: HclFile, path: string, os: string): DecodedBlocks<OciCredentialsBlock> {
  const result: DecodedBlocks<OciCredentialsBlock> = { blocks: [], diagnostics: [] };
  for (const raw of file.items.filter((item) => item.keys[0]!.value === "oci_credentials")) {
    const item = unwrapJsonKeys(raw, 2);
    const at = formatPos(item.keys[0]!.pos);
    const fail = (detail: string) =>
      result.diagnostics.push(
        errorDiagnostic(path, `${CREDENTIALS_SUMMARY}: The oci_credentials block at ${at} ${detail}`),
      );
    if (item.keys.length !== 2) fail("must have one label, giving an OCI repository address prefix.");
    else if (item.assign && !item.json) fail("must not be introduced with an equals sign.");
    else if (item.value.type !== "object") fail("must be represented by a JSON object.");
    else {
      const decoded = decodeCredentialsBody(item.keys[1]!.value, item.value, path, os);
      result.diagnostics.push(...decoded.diagnostics);
      if (decoded.block) result.blocks.push(decoded.block);
    }
  }
  return result;
}

function decodeCredentialsBody(
  label: string,
  body: ObjectNode,
  path: string,
  os: string,
): { block?: OciCredentialsBlock; diagnostics: Diagnostic[] } {
  const at = formatPos(body.pos);
  const fail = (detail: string) => ({
    diagnostics: [errorDiagnostic(path, `${CREDENTIALS_SUMMARY}: The oci_credentials block at ${at} ${detail}`)],
  });
  let repositoryPath: string;
  try {
    repositoryPath = parseRepositoryPrefix(label).repository;
  } catch (error) {
    return fail(`has an invalid block label: ${(error as Error).message}.`);
  }
  const decoded = decodeArguments(body, CREDENTIALS_SCHEMA, "oci_credentials", path);
  if ("diagnostics" in decoded) return decoded;
  const args = decoded.args;
  const basic = args.username !== undefined || args.password !== undefined;
  const oauth = args.access_token !== undefined || args.refresh_token !== undefined;
  const helper = args.docker_credentials_helper !== undefined;
  const groups = [basic, oauth, helper].filter(Boolean).length;
  if (groups === 0)
    return fail("must set either username+password, access_token+refresh_token, or docker_credentials_helper.");
  if (groups > 1)
    return fail(
      "must set only one group out of username+password, access_token+refresh_token, or docker_credentials_helper.",
    );
  if (basic && (args.username === undefined || args.password === undefined))
    return fail("must set both username and password together when using static credentials.");
  if (oauth && (args.access_token === undefined || args.refresh_token === undefined))
    return fail("must set both access_token and refresh_token together when using OAuth-style credentials.");
  const block: OciCredentialsBlock = {
    prefix: label,
    username: args.username ?? "",
    password: args.password ?? "",
    accessToken: args.access_token ?? "",
    refreshToken: args.refresh_token ?? "",
    helper: args.docker_credentials_helper ?? "",
    file: path,
  };
  if (!helper) return { block, diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  if (repositoryPath !== "")
    diagnostics.push(
      ...fail(
        "cannot set docker_credentials_helper with a repository path: credential helpers only support credentials for whole domains.",
      ).diagnostics,
    );
  if (!isValidHelperName(block.helper, os)) diagnostics.push(...fail(invalidHelperDetail(block.helper)).diagnostics);
  return diagnostics.length > 0 ? { diagnostics } : { block, diagnostics };
}

/** Decodes every `oci_default_credentials` block of one file (the caller checks there is at most one overall). */
export function decodeOciDefaultCredentials(
  file: HclFile,
  path: string,
  io: AuthIo,
): DecodedBlocks<OciDefaultCredentials> {
  const result: DecodedBlocks<OciDefaultCredentials> = { blocks: [], diagnostics: [] };
  for (const item of file.items.filter((candidate) => candidate.keys[0]!.value === "oci_default_credentials")) {
    const at = formatPos(item.keys[0]!.pos);
    const fail = (detail: string) =>
      result.diagnostics.push(
        errorDiagnostic(path, `${DEFAULTS_SUMMARY}: The oci_default_credentials block at ${at} ${detail}`),
      );
    if (item.assign && !item.json) fail("must not be introduced with an equals sign.");
    else if (item.keys.length > 1 && !item.json) fail("must not have any labels.");
    else if (item.value.type !== "object") fail("must be represented by a JSON object.");
    else {
      const decoded = decodeDefaultsBody(item.value, path, io);
      result.diagnostics.push(...decoded.diagnostics);
      if (decoded.block) result.blocks.push(decoded.block);
    }
  }
  return result;
}

function decodeDefaultsBody(
  body: ObjectNode,
  path: string,
  io: AuthIo,
): { block?: OciDefaultCredentials; diagnostics: Diagnostic[] } {
  const at = formatPos(body.pos);
  const problem = (detail: string) =>
    errorDiagnostic(path, `${DEFAULTS_SUMMARY}: The oci_default_credentials block at ${at} ${detail}`);
  const decoded = decodeArguments(body, DEFAULTS_SCHEMA, "oci_default_credentials", path);
  if ("diagnostics" in decoded) return decoded;
  const args = decoded.args;
  const block: OciDefaultCredentials = {
    discoverAmbientCredentials: args.discover_ambient_credentials ?? true,
    dockerStyleConfigFiles: args.docker_style_config_files?.map((file) => absoluteConfigPath(file, path, io)),
    helper: args.docker_credentials_helper ?? "",
    file: path,
  };
  // Unlike oci_credentials, these problems keep the block (docs/contract/auth/spec.md §2.5).
  const diagnostics: Diagnostic[] = [];
  if (args.docker_credentials_helper !== undefined && !isValidHelperName(block.helper, io.os))
    diagnostics.push(problem(invalidHelperDetail(block.helper)));
  if (!block.discoverAmbientCredentials && block.dockerStyleConfigFiles !== undefined) {
    diagnostics.push(
      problem(
        "disables discovery of ambient credentials, but also sets docker_style_config_files which is relevant only when ambient credentials discovery is enabled.",
      ),
    );
  }
  return { block, diagnostics };
}

/** Decodes a block's arguments; a type error drops the block with OpenTofu's message. */
function decodeArguments<S extends Record<string, FieldType>>(
  body: ObjectNode,
  schema: S,
  block: string,
  path: string,
): { args: Decoded<S> } | { diagnostics: Diagnostic[] } {
  try {
    return { args: decodeBody(body, schema) };
  } catch (error) {
    if (!(error instanceof HclDecodeError)) throw error;
    return {
      diagnostics: [
        errorDiagnostic(
          path,
          `Invalid ${block} block: Invalid ${block} block at ${formatPos(body.pos)}: ${error.message}.`,
        ),
      ],
    };
  }
}

/** Relative to the CLI config file's directory, then to the working directory; no `~` or `$VAR` expansion. */
function absoluteConfigPath(file: string, configFile: string, io: AuthIo): string {
  const joined = io.path.isAbsolute(file) ? file : goJoin(io.path, io.path.dirname(configFile), file);
  return io.path.isAbsolute(joined) ? goJoin(io.path, joined) : goJoin(io.path, io.cwd, joined);
}

/** Non-empty and without `/` (and on Windows `\`): the only check OpenTofu makes on explicit helper names. */
export function isValidHelperName(name: string, os: string): boolean {
  const slashed = os === "windows" ? name.replaceAll("\\", "/") : name;
  return name !== "" && !slashed.includes("/");
}

function invalidHelperDetail(name: string): string {
  return `specifies the invalid Docker credential helper name ${goQuote(name)}. Must be a non-empty string that could be used as part of an executable filename.`;
}

/** HCL 1 JSON leaves nested labels as extra keys; fold keys beyond `depth` back into the value. */
function unwrapJsonKeys(item: ObjectItem, depth: number): ObjectItem {
  if (!item.json || item.keys.length <= depth) return item;
  let value = item.value;
  for (const key of item.keys.slice(depth).reverse()) {
    value = { type: "object", items: [{ keys: [key], assign: true, value, json: true }], pos: key.pos };
  }
  return { ...item, keys: item.keys.slice(0, depth), value };
}
