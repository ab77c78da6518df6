import { invalidInput } from "@tofu-oci/core";
import { parseDockerStyleConfig } from "../docker-config/docker-config.js";
import { equalFold } from "../json/fold.js";
import { parseJson } from "../json/parse-json.js";
import type { JsonValue } from "../json/json-value.js";

export type JsonDocument = Record<string, unknown>;

/**
 * The config file as a plain object to edit. The file must be one OpenTofu can read, so an
 * edit never turns a working file into one that disables every ambient file. Repeated keys
 * are merged as Go does for `auths` and `credHelpers`, so rewriting keeps what they meant.
 * @throws TofuOciError (invalid-input) for a malformed file.
 */
export function editableDocument(text: string | undefined, path: string): JsonDocument {
  if (text === undefined || text.trim() === "") {
    if (text !== undefined) throw malformed(path, "the file is empty");
    return {};
  }
  try {
    parseDockerStyleConfig(text);
  } catch (error) {
    throw malformed(path, (error as Error).message);
  }
  const plain = toPlain(parseJson(text));
  return plain !== null && typeof plain === "object" && !Array.isArray(plain) ? (plain as JsonDocument) : {};
}

/** Sets `auths[host]` to `{ "auth": base64(username:password) }`, removing any other spelling of it. */
export function setAuth(document: JsonDocument, host: string, username: string, password: string): void {
  removeAuth(document, host);
  const key = Object.keys(document).find((name) => equalFold(name, "auths") && isObject(document[name])) ?? "auths";
  const auths = (isObject(document[key]) ? document[key] : {}) as JsonDocument;
  auths[host] = { auth: Buffer.from(`${username}:${password}`, "utf8").toString("base64") };
  document[key] = auths;
}

/** Removes `auths[host]` from every `auths` map; true when there was one. */
export function removeAuth(document: JsonDocument, host: string): boolean {
  let removed = false;
  for (const name of Object.keys(document).filter((key) => equalFold(key, "auths"))) {
    const auths = document[name];
    if (isObject(auths) && host in (auths as JsonDocument)) {
      delete (auths as JsonDocument)[host];
      removed = true;
    }
  }
  return removed;
}

/** Docker's own layout: tab-indented JSON and a final newline. */
export function serializeDocument(document: JsonDocument): string {
  return `${JSON.stringify(document, null, "\t")}\n`;
}

function toPlain(value: JsonValue): unknown {
  switch (value.type) {
    case "object": {
      const result: JsonDocument = {};
      for (const { key, value: member } of value.members) {
        const plain = toPlain(member);
        result[key] =
          isObject(result[key]) && isObject(plain) ? { ...(result[key] as object), ...(plain as object) } : plain;
      }
      return result;
    }
    case "array":
      return value.items.map(toPlain);
    case "string":
      return value.value;
    case "number":
      return Number(value.text);
    case "bool":
      return value.value;
    case "null":
      return null;
  }
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function malformed(path: string, detail: string) {
  return invalidInput(
    `${path} is not a valid docker-style config file: ${detail}`,
    "Fix or move the file first: OpenTofu cannot read it either, and a malformed default file disables all of them.",
  );
}
