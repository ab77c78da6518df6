import { equalFold } from "../json/fold.js";
import { parseJson } from "../json/parse-json.js";
import type { JsonObject, JsonValue } from "../json/json-value.js";
import { decodeStdBase64 } from "./base64.js";

/** One `auths` entry as OpenTofu reads it: only `auth` counts (docs/contract/auth/spec.md §5). */
export interface AuthsEntry {
  /** The decoded `auth` value, or undefined when missing, null or empty. */
  auth: string | undefined;
  /** Properties OpenTofu ignores but a user may expect to work, e.g. `identitytoken`. */
  ignored: string[];
}

/** A docker-style config file (`config.json`, `containers/auth.json`, even `.dockercfg`). */
export interface DockerStyleConfig {
  /** In document order; a `null` entry is kept as null. Repeated keys: the last wins. */
  auths: Map<string, AuthsEntry | null>;
  credHelpers: Map<string, string>;
  credsStore: string;
  /** The top-level keys that are not `auths`, `credHelpers` or `credsStore`. */
  otherKeys: string[];
}

/** A file OpenTofu cannot read as a docker-style config ("invalid JSON syntax" in its words). */
export class DockerConfigSyntaxError extends Error {
  override readonly name = "DockerConfigSyntaxError";
}

type Field = "auths" | "credHelpers" | "credsStore";
const FIELDS: Field[] = ["auths", "credHelpers", "credsStore"];

/**
 * Decodes a docker-style config file with the rules of Go's `encoding/json` that OpenTofu
 * inherits (docs/contract/auth/spec.md §5): case-insensitive property names, repeated `auths`/`credHelpers` maps
 * merged, a wrong type anywhere in the read schema fails the whole file, strict base64.
 * Invalid UTF-8 must already be replaced with U+FFFD; a byte-order mark fails.
 * @throws DockerConfigSyntaxError
 */
export function parseDockerStyleConfig(text: string): DockerStyleConfig {
  let root: JsonValue;
  try {
    root = parseJson(text);
  } catch (error) {
    throw new DockerConfigSyntaxError((error as Error).message);
  }
  const config: DockerStyleConfig = { auths: new Map(), credHelpers: new Map(), credsStore: "", otherKeys: [] };
  if (root.type === "null") return config;
  if (root.type !== "object") throw typeError(root.type, "Go struct");
  for (const { key, value } of root.members) {
    const field = FIELDS.find((name) => equalFold(name, key));
    if (field === "auths") readAuths(config, value);
    else if (field === "credHelpers") readCredHelpers(config, value);
    else if (field === "credsStore") readCredsStore(config, value);
    else config.otherKeys.push(key);
  }
  return config;
}

function readAuths(config: DockerStyleConfig, value: JsonValue): void {
  // Go sets a map to nil on null and merges into the existing map otherwise.
  if (value.type === "null") return void config.auths.clear();
  for (const { key, value: entry } of asObject(value, "auths").members) {
    config.auths.delete(key);
    config.auths.set(key, readAuthsEntry(entry, key));
  }
}

function readAuthsEntry(value: JsonValue, key: string): AuthsEntry | null {
  if (value.type === "null") return null;
  const entry: AuthsEntry = { auth: undefined, ignored: [] };
  for (const member of asObject(value, `auths.${key}`).members) {
    if (!equalFold(member.key, "auth")) {
      entry.ignored.push(member.key);
      continue;
    }
    if (member.value.type === "null") entry.auth = undefined;
    else if (member.value.type !== "string") throw typeError(member.value.type, "[]uint8", `auths.${key}.auth`);
    else entry.auth = decodeAuth(member.value.value);
  }
  return entry;
}

function decodeAuth(text: string): string | undefined {
  let bytes: Uint8Array;
  try {
    bytes = decodeStdBase64(text);
  } catch (error) {
    throw new DockerConfigSyntaxError((error as Error).message);
  }
  return bytes.length === 0 ? undefined : new TextDecoder().decode(bytes);
}

function readCredHelpers(config: DockerStyleConfig, value: JsonValue): void {
  if (value.type === "null") return void config.credHelpers.clear();
  for (const { key, value: helper } of asObject(value, "credHelpers").members) {
    if (helper.type !== "string" && helper.type !== "null")
      throw typeError(helper.type, "string", `credHelpers.${key}`);
    config.credHelpers.set(key, helper.type === "string" ? helper.value : "");
  }
}

function readCredsStore(config: DockerStyleConfig, value: JsonValue): void {
  // Go leaves a string unchanged on null.
  if (value.type === "null") return;
  if (value.type !== "string") throw typeError(value.type, "string", "credsStore");
  config.credsStore = value.value;
}

function asObject(value: JsonValue, field: string): JsonObject {
  if (value.type !== "object") throw typeError(value.type, "map", field);
  return value;
}

function typeError(got: string, want: string, field?: string): DockerConfigSyntaxError {
  const where = field ? ` into Go struct field .${field}` : "";
  return new DockerConfigSyntaxError(
    `json: cannot unmarshal ${got} into ${where ? `${where.trim()} of type ${want}` : `${want} value`}`,
  );
}
