import { decodeRune, goQuote } from "@tofu-oci/core/go";

/** A JSON value as Go's decoder walks it: object members keep their order and duplicates. */
export type JsonNode =
  | { kind: "object"; members: Array<{ key: string; value: JsonNode }> }
  | { kind: "array"; items: JsonNode[] }
  | { kind: "string"; value: string }
  | { kind: "number"; text: string }
  | { kind: "bool"; value: boolean }
  | { kind: "null" };

/** A syntax error with Go's `json.SyntaxError` message (encoding/json/scanner.go). */
export class GoJsonSyntaxError extends Error {
  /** Always `GoJsonSyntaxError`. */
  override readonly name = "GoJsonSyntaxError";
}

const MAX_DEPTH = 10000;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Parses bytes exactly as far as Go's `checkValid` (encoding/json/scanner.go) accepts them:
 * RFC 8259 grammar, nesting up to 10000, invalid UTF-8 allowed inside strings; strings are
 * unquoted as `unquoteBytes` does (decode.go), each invalid byte or lone surrogate becoming U+FFFD.
 * @throws GoJsonSyntaxError with Go's message.
 */
export function parseGoJson(bytes: Uint8Array): JsonNode {
  const parser = new Parser(bytes);
  parser.skipSpace();
  const node = parser.document();
  parser.skipSpace();
  if (parser.at < bytes.length) throw parser.error("after top-level value");
  return node;
}

type Frame =
  | { kind: "object"; members: Array<{ key: string; value: JsonNode }>; key: string }
  | { kind: "array"; items: JsonNode[] };

class Parser {
  at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  skipSpace(): void {
    while (this.at < this.bytes.length && WHITESPACE.has(this.bytes[this.at]!)) this.at++;
  }

  /**
   * At the end of input Go's scanner steps one more ' ' (scanner.go eof), so a literal, number or
   * escape cut short reports that space; anywhere else the input just ended.
   */
  error(context: string, cutShortInToken = false): GoJsonSyntaxError {
    const c = this.bytes[this.at];
    if (c === undefined && !cutShortInToken) return new GoJsonSyntaxError("unexpected end of JSON input");
    return new GoJsonSyntaxError(`invalid character ${quoteChar(c ?? 0x20)} ${context}`);
  }

  /** One value, nested containers kept on an explicit stack (Go allows 10000 levels). */
  document(): JsonNode {
    const stack: Frame[] = [];
    for (;;) {
      let node = this.open(stack);
      if (node === undefined) continue;
      for (;;) {
        const top = stack.at(-1);
        if (!top) return node;
        if (top.kind === "array") top.items.push(node);
        else top.members.push({ key: top.key, value: node });
        const closed = this.afterElement(top);
        if (!closed) break;
        stack.pop();
        node = top.kind === "array" ? { kind: "array", items: top.items } : { kind: "object", members: top.members };
      }
    }
  }

  /** Reads a value start: a scalar or an empty container (returned), or opens a container. */
  private open(stack: Frame[]): JsonNode | undefined {
    const c = this.bytes[this.at];
    if (c !== 0x7b && c !== 0x5b) return this.scalar();
    if (stack.length + 1 > MAX_DEPTH) throw this.error("exceeded max depth");
    this.at++;
    this.skipSpace();
    if (c === 0x5b) {
      if (this.bytes[this.at] === 0x5d) return this.close({ kind: "array", items: [] });
      stack.push({ kind: "array", items: [] });
      return undefined;
    }
    if (this.bytes[this.at] === 0x7d) return this.close({ kind: "object", members: [] });
    stack.push({ kind: "object", members: [], key: this.key() });
    return undefined;
  }

  private close(node: JsonNode): JsonNode {
    this.at++;
    return node;
  }

  /** After an element: true when the container closed, false when a `,` (and key) started the next. */
  private afterElement(top: Frame): boolean {
    this.skipSpace();
    const next = this.bytes[this.at];
    if (next === (top.kind === "array" ? 0x5d : 0x7d)) {
      this.at++;
      return true;
    }
    if (next !== 0x2c) throw this.error(top.kind === "array" ? "after array element" : "after object key:value pair");
    this.at++;
    this.skipSpace();
    if (top.kind === "object") top.key = this.key();
    return false;
  }

  /** An object key and its colon, leaving the reader at the value. */
  private key(): string {
    if (this.bytes[this.at] !== 0x22) throw this.error("looking for beginning of object key string");
    const key = this.string();
    this.skipSpace();
    if (this.bytes[this.at] !== 0x3a) throw this.error("after object key");
    this.at++;
    this.skipSpace();
    return key;
  }

  private scalar(): JsonNode {
    const c = this.bytes[this.at];
    if (c === 0x22) return { kind: "string", value: this.string() };
    if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) return { kind: "number", text: this.number() };
    for (const [word, node] of LITERALS) if (c === word.charCodeAt(0)) return this.literal(word, node);
    throw this.error("looking for beginning of value");
  }

  private literal(word: string, node: JsonNode): JsonNode {
    for (let i = 0; i < word.length; i++, this.at++) {
      if (this.bytes[this.at] !== word.charCodeAt(i)) {
        throw this.error(`in literal ${word} (expecting ${quoteChar(word.charCodeAt(i))})`, true);
      }
    }
    return node;
  }

  private number(): string {
    const start = this.at;
    if (this.bytes[this.at] === 0x2d) this.at++;
    if (this.bytes[this.at] === 0x30) this.at++;
    else if (this.digit()) while (this.digit()) this.at++;
    else throw this.error("in numeric literal", true);
    if (this.bytes[this.at] === 0x2e) {
      this.at++;
      if (!this.digit()) throw this.error("after decimal point in numeric literal", true);
      while (this.digit()) this.at++;
    }
    if (this.bytes[this.at] === 0x65 || this.bytes[this.at] === 0x45) {
      this.at++;
      if (this.bytes[this.at] === 0x2b || this.bytes[this.at] === 0x2d) this.at++;
      if (!this.digit()) throw this.error("in exponent of numeric literal", true);
      while (this.digit()) this.at++;
    }
    return Buffer.from(this.bytes.subarray(start, this.at)).toString("latin1");
  }

  private digit(): boolean {
    const c = this.bytes[this.at];
    return c !== undefined && c >= 0x30 && c <= 0x39;
  }

  /** A string literal, unquoted the way `unquoteBytes` does it. */
  private string(): string {
    this.at++;
    let out = "";
    for (;;) {
      const c = this.bytes[this.at];
      if (c === undefined) throw this.error("in string literal");
      if (c === 0x22) {
        this.at++;
        return out;
      }
      if (c < 0x20) throw this.error("in string literal");
      if (c === 0x5c) {
        out += this.escape();
        continue;
      }
      const { rune, size } = decodeRune(this.bytes, this.at);
      out += String.fromCodePoint(rune);
      this.at += size;
    }
  }

  private escape(): string {
    this.at++;
    const c = this.bytes[this.at];
    const simple = c === undefined ? undefined : SIMPLE_ESCAPES[c];
    if (simple !== undefined) {
      this.at++;
      return simple;
    }
    if (c !== 0x75) throw this.error("in string escape code", true);
    const first = this.hex4();
    if (first < 0xd800 || first > 0xdfff) return String.fromCharCode(first);
    // A surrogate pair only when a low surrogate escape follows; otherwise U+FFFD (decode.go unquoteBytes).
    if (first < 0xdc00 && this.bytes[this.at] === 0x5c && this.bytes[this.at + 1] === 0x75) {
      const save = this.at;
      this.at++;
      const second = this.hex4();
      if (second >= 0xdc00 && second <= 0xdfff) return String.fromCharCode(first, second);
      this.at = save;
    }
    return "\ufffd";
  }

  private hex4(): number {
    this.at++;
    let value = 0;
    for (let i = 0; i < 4; i++, this.at++) {
      const c = this.bytes[this.at];
      const digit = c === undefined ? -1 : HEX.indexOf(String.fromCharCode(c).toLowerCase());
      if (digit < 0 || c === undefined) throw this.error("in \\u hexadecimal character escape", true);
      value = value * 16 + digit;
    }
    return value;
  }
}

const HEX = "0123456789abcdef";
const SIMPLE_ESCAPES: Record<number, string> = {
  34: '"',
  92: "\\",
  47: "/",
  98: "\b",
  102: "\f",
  110: "\n",
  114: "\r",
  116: "\t",
};
const LITERALS: Array<[string, JsonNode]> = [
  ["true", { kind: "bool", value: true }],
  ["false", { kind: "bool", value: false }],
  ["null", { kind: "null" }],
];

/** `quoteChar` of encoding/json/scanner.go: the byte as a Go rune literal (strconv.Quote of the rune). */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  return `'${goQuote(String.fromCharCode(c)).slice(1, -1)}'`;
}
