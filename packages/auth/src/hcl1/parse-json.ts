import { parseJson } from "../json/parse-json.js";
import type { JsonValue } from "../json/json-value.js";
import { HclSyntaxError, type HclFile, type Node, type ObjectItem } from "./ast.js";

/**
 * Parses the JSON syntax of HCL 1: JSON objects become object items keyed by their member
 * names (duplicates kept), then nested objects are flattened into multi-key items the way
 * HCL 1's `flattenObjects` does, which is what lets `{"oci_credentials": {"x": {...}}}` and
 * the array form both mean a block labelled "x" (docs/contract/auth/spec.md §3.1, §3.2).
 * @throws HclSyntaxError
 */
export function parseHclJson(text: string): HclFile {
  let root: JsonValue;
  try {
    root = parseJson(text);
  } catch (error) {
    const pos = (error as { pos?: { line: number; column: number } }).pos ?? { line: 1, column: 1 };
    throw new HclSyntaxError((error as Error).message, pos);
  }
  if (root.type !== "object") throw new HclSyntaxError("JSON document must be an object", root.pos);
  return { items: flattenList(toItems(root)), json: true };
}

function toNode(value: JsonValue): Node {
  switch (value.type) {
    case "object":
      return { type: "object", items: toItems(value), pos: value.pos };
    case "array":
      return { type: "list", items: value.items.map(toNode), pos: value.pos };
    case "string":
      return { type: "literal", kind: "string", text: JSON.stringify(value.value), value: value.value, pos: value.pos };
    case "number":
      return {
        type: "literal",
        kind: /[.eE]/.test(value.text) ? "float" : "number",
        text: value.text,
        value: value.text,
        pos: value.pos,
      };
    case "bool":
      return { type: "literal", kind: "bool", text: String(value.value), value: String(value.value), pos: value.pos };
    case "null":
      return { type: "literal", kind: "null", text: "null", value: "", pos: value.pos };
  }
}

function toItems(object: Extract<JsonValue, { type: "object" }>): ObjectItem[] {
  return object.members.map(({ key, keyPos, value }) => ({
    keys: [{ value: key, pos: keyPos }],
    assign: true,
    value: toNode(value),
    json: true,
  }));
}

/**
 * HCL 1 `flattenObjects`, top-down like its AST walk: a list is flattened looking at the
 * children as written, then each child is flattened in turn.
 */
function flattenList(items: ObjectItem[]): ObjectItem[] {
  return items.flatMap(flattenItem).map((item) => ({ ...item, value: flattenNode(item.value) }));
}

function flattenNode(node: Node): Node {
  if (node.type === "object") return { ...node, items: flattenList(node.items) };
  if (node.type === "list") return { ...node, items: node.items.map(flattenNode) };
  return node;
}

/** Objects whose members are all objects, and non-empty lists of objects, unfold into items. */
function flattenItem(item: ObjectItem): ObjectItem[] {
  const value = item.value;
  if (value.type === "object" && value.items.length > 0 && value.items.every((sub) => sub.value.type === "object")) {
    return value.items.flatMap((sub) => flattenItem({ ...item, keys: [...item.keys, ...sub.keys], value: sub.value }));
  }
  if (value.type === "list" && value.items.length > 0 && value.items.every((element) => element.type === "object")) {
    return value.items.flatMap((element) => flattenItem({ ...item, value: element }));
  }
  return [item];
}
