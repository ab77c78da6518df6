import { equalFold } from "../json/fold.js";
import { formatPos, type Node, type ObjectNode, type Pos } from "./ast.js";

/** The Go field types OpenTofu decodes OCI block arguments into. */
export type FieldType = "string" | "bool" | "string-list";

export type FieldValue<T extends FieldType> = T extends "string" ? string : T extends "bool" ? boolean : string[];

export type Decoded<S extends Record<string, FieldType>> = { [K in keyof S]?: FieldValue<S[K]> };

/** An argument of the wrong type, e.g. `username = true`: the block is dropped (docs/contract/auth/spec.md §3.1). */
export class HclDecodeError extends Error {
  override readonly name = "HclDecodeError";
}

/**
 * `hcl.DecodeObject` into a struct of pointer fields, with HCL 1's rules: argument names match
 * case-insensitively, unknown arguments are ignored, the last of repeated matches wins,
 * integers become strings but floats and booleans do not, and a nested block where an
 * argument is expected is a type error. Absent arguments stay undefined.
 * @throws HclDecodeError
 */
export function decodeBody<S extends Record<string, FieldType>>(body: ObjectNode, schema: S): Decoded<S> {
  const result: Decoded<S> = {};
  for (const [name, type] of Object.entries(schema) as Array<[keyof S & string, FieldType]>) {
    const matches = body.items.filter((item) => equalFold(item.keys[0]!.value, name));
    for (const item of matches) {
      const value = item.keys.length > 1 ? undefined : item.value;
      if (value === undefined) throw decodeError(item.keys[0]!.pos, name, type, "*ast.ObjectList");
      result[name] = decodeValue(value, name, type) as FieldValue<S[typeof name]>;
    }
  }
  return result;
}

function decodeValue(node: Node, name: string, type: FieldType): string | boolean | string[] {
  if (type === "string") return decodeString(node, `root.${name}`);
  if (type === "bool") {
    if (node.type === "literal" && node.kind === "bool") return node.value === "true";
    throw decodeError(node.pos, name, type, goType(node));
  }
  if (node.type !== "list") throw new HclDecodeError(`At ${formatPos(node.pos)}: unknown slice type: ${goType(node)}`);
  return node.items.map((item, index) => decodeString(item, `root.${name}[${index}]`));
}

function decodeString(node: Node, path: string): string {
  if (node.type === "literal") {
    if (node.kind === "number") return node.text;
    if (node.kind === "string" || node.kind === "heredoc") return node.value;
  }
  throw new HclDecodeError(`At ${formatPos(node.pos)}: ${path}: unknown type for string ${goType(node)}`);
}

function decodeError(pos: Pos, name: string, type: FieldType, got: string): HclDecodeError {
  const what = type === "bool" ? `unknown type (${got})` : `unknown type for string ${got}`;
  return new HclDecodeError(`At ${formatPos(pos)}: root.${name}: ${what}`);
}

function goType(node: Node): string {
  return node.type === "literal" ? "*ast.LiteralType" : node.type === "list" ? "*ast.ListType" : "*ast.ObjectType";
}
