// The shape of HCL 1's AST (github.com/hashicorp/hcl/hcl/ast), which OpenTofu's CLI config
// decoder walks. Both the native syntax and the JSON syntax produce it (docs/contract/auth/spec.md §2.3, §12).

/** Line and column (1-based). */
export interface Pos {
  line: number;
  column: number;
}

export type LiteralKind = "string" | "heredoc" | "number" | "float" | "bool" | "null";

export interface Literal {
  type: "literal";
  kind: LiteralKind;
  /** The token as written (numbers are decoded into strings from this). */
  text: string;
  /** The decoded value of strings and heredocs; "true"/"false" for bools. */
  value: string;
  pos: Pos;
}

export interface ListNode {
  type: "list";
  items: Node[];
  pos: Pos;
}

export interface ObjectNode {
  type: "object";
  items: ObjectItem[];
  pos: Pos;
}

export type Node = Literal | ListNode | ObjectNode;

export interface ObjectKey {
  value: string;
  /** The key token as written, quotes included (native syntax); HCL 1 compares repeated keys by it. */
  text?: string;
  pos: Pos;
}

/** `keys... = value` or `keys... { ... }`. */
export interface ObjectItem {
  keys: ObjectKey[];
  /** True for `key = value`; false for the block form `key "label" { }`. */
  assign: boolean;
  value: Node;
  /** The item came from the JSON syntax. */
  json: boolean;
}

/** A parsed file: its top-level items. */
export interface HclFile {
  items: ObjectItem[];
  json: boolean;
}

/** A syntax error that makes OpenTofu drop the whole file. */
export class HclSyntaxError extends Error {
  override readonly name = "HclSyntaxError";
  readonly pos: Pos;

  /** `positioned`: prefixed "At L:C: " as HCL 1's PosError; false for its plain errors. */
  constructor(message: string, pos: Pos, positioned = true) {
    super(positioned ? `At ${pos.line}:${pos.column}: ${message}` : message);
    this.pos = pos;
  }
}

export function formatPos(pos: Pos): string {
  return `${pos.line}:${pos.column}`;
}
