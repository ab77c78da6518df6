/**
 * A JSON document as written, keeping every object member in order, duplicates included.
 * `JSON.parse` keeps only the last of repeated keys; OpenTofu's readers (Go `encoding/json`
 * and HCL 1) see all of them, so the credential rules need this tree (docs/contract/auth/spec.md §5, §12).
 */
export type JsonValue = JsonObject | JsonArray | JsonString | JsonNumber | JsonBool | JsonNull;

/** Line and column (1-based) of a value's first character. */
export interface JsonPos {
  line: number;
  column: number;
}

export interface JsonObject {
  type: "object";
  members: Array<{ key: string; keyPos: JsonPos; value: JsonValue }>;
  pos: JsonPos;
}
export interface JsonArray {
  type: "array";
  items: JsonValue[];
  pos: JsonPos;
}
export interface JsonString {
  type: "string";
  value: string;
  pos: JsonPos;
}
export interface JsonNumber {
  type: "number";
  /** The number exactly as written. */
  text: string;
  pos: JsonPos;
}
export interface JsonBool {
  type: "bool";
  value: boolean;
  pos: JsonPos;
}
export interface JsonNull {
  type: "null";
  pos: JsonPos;
}

/** A JSON syntax error, worded like Go's `encoding/json` errors. */
export class JsonSyntaxError extends Error {
  override readonly name = "JsonSyntaxError";
  readonly pos: JsonPos;

  constructor(message: string, pos: JsonPos) {
    super(message);
    this.pos = pos;
  }
}
