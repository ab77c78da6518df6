import type { HclFile } from "./ast.js";
import { parseHclJson } from "./parse-json.js";
import { parseNative } from "./parse-native.js";

/**
 * Parses a CLI configuration file as HCL 1 does: JSON when the first non-whitespace character
 * is `{`, native syntax otherwise; the file name does not matter. A byte-order mark is not
 * whitespace, so a JSON file starting with one fails as native syntax (docs/contract/auth/spec.md §2.3).
 * @throws HclSyntaxError
 */
export function parseHcl1(text: string): HclFile {
  return /^[ \t\r\n]*\{/.test(text) ? parseHclJson(text) : parseNative(text);
}
