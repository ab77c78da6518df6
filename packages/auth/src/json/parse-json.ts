import { JsonSyntaxError, type JsonPos, type JsonValue } from "./json-value.js";

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings may not contain raw U+0000-U+001F.
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/**
 * Parses JSON text with the acceptance rules of Go's `encoding/json`: strict RFC 8259, no
 * byte-order mark, nothing but whitespace after the value, an empty text is an error.
 * Unlike `JSON.parse`, object members keep their order and duplicates.
 * @throws JsonSyntaxError
 */
export function parseJson(text: string): JsonValue {
  const parser = new Parser(text);
  parser.skipWhitespace();
  if (parser.atEnd()) throw parser.error("unexpected end of JSON input");
  const value = parser.value();
  parser.skipWhitespace();
  if (!parser.atEnd()) throw parser.error(`invalid character ${parser.describeNext()} after top-level value`);
  return value;
}

class Parser {
  #offset = 0;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  atEnd(): boolean {
    return this.#offset >= this.#text.length;
  }

  skipWhitespace(): void {
    while (WHITESPACE.has(this.#text[this.#offset] ?? "")) this.#offset++;
  }

  value(): JsonValue {
    const pos = this.pos();
    const char = this.#text[this.#offset];
    if (char === "{") return this.object(pos);
    if (char === "[") return this.array(pos);
    if (char === '"') return { type: "string", value: this.string(), pos };
    if (char === "-" || (char !== undefined && char >= "0" && char <= "9"))
      return { type: "number", text: this.number(), pos };
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (char === word[0]) {
        this.literal(word);
        return value === null ? { type: "null", pos } : { type: "bool", value, pos };
      }
    }
    throw this.atEnd()
      ? this.error("unexpected end of JSON input")
      : this.error(`invalid character ${this.describeNext()} looking for beginning of value`);
  }

  object(pos: JsonPos): JsonValue {
    this.#offset++;
    const members: Array<{ key: string; keyPos: JsonPos; value: JsonValue }> = [];
    this.skipWhitespace();
    if (this.#text[this.#offset] === "}") {
      this.#offset++;
      return { type: "object", members, pos };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.#text[this.#offset] !== '"') throw this.unexpected("looking for beginning of object key string");
      const keyPos = this.pos();
      const key = this.string();
      this.skipWhitespace();
      if (this.#text[this.#offset] !== ":") throw this.unexpected("after object key");
      this.#offset++;
      this.skipWhitespace();
      members.push({ key, keyPos, value: this.value() });
      this.skipWhitespace();
      if (this.#consume("}")) return { type: "object", members, pos };
      if (!this.#consume(",")) throw this.unexpected("after object key:value pair");
    }
  }

  array(pos: JsonPos): JsonValue {
    this.#offset++;
    const items: JsonValue[] = [];
    this.skipWhitespace();
    if (this.#consume("]")) return { type: "array", items, pos };
    for (;;) {
      this.skipWhitespace();
      items.push(this.value());
      this.skipWhitespace();
      if (this.#consume("]")) return { type: "array", items, pos };
      if (!this.#consume(",")) throw this.unexpected("after array element");
    }
  }

  string(): string {
    STRING_BODY.lastIndex = this.#offset + 1;
    const match = STRING_BODY.exec(this.#text);
    if (!match) {
      this.#offset++;
      throw this.error("invalid string literal (unterminated, control character or bad escape)");
    }
    const raw = this.#text.slice(this.#offset, STRING_BODY.lastIndex);
    this.#offset = STRING_BODY.lastIndex;
    return JSON.parse(raw) as string;
  }

  number(): string {
    NUMBER.lastIndex = this.#offset;
    const match = NUMBER.exec(this.#text);
    if (!match || match[0] === "-") throw this.error(`invalid character ${this.describeNext()} in numeric literal`);
    this.#offset = NUMBER.lastIndex;
    return match[0];
  }

  #consume(char: string): boolean {
    if (this.#text[this.#offset] !== char) return false;
    this.#offset++;
    return true;
  }

  unexpected(context: string): JsonSyntaxError {
    return this.atEnd()
      ? this.error("unexpected end of JSON input")
      : this.error(`invalid character ${this.describeNext()} ${context}`);
  }

  /** A literal's letters one by one, with Go's error at the first wrong one (encoding/json scanner.go stateT..stateNul). */
  literal(word: string): void {
    for (const expected of word) {
      if (this.#text[this.#offset] !== expected) {
        if (this.atEnd()) throw this.error("unexpected end of JSON input");
        throw this.error(`invalid character ${this.describeNext()} in literal ${word} (expecting '${expected}')`);
      }
      this.#offset++;
    }
  }

  describeNext(): string {
    const char = this.#text[this.#offset] ?? "";
    return char === "'" ? "'\\''" : `'${char}'`;
  }

  pos(): JsonPos {
    const before = this.#text.slice(0, this.#offset);
    const lineStart = before.lastIndexOf("\n") + 1;
    return { line: before.split("\n").length, column: this.#offset - lineStart + 1 };
  }

  error(message: string): JsonSyntaxError {
    return new JsonSyntaxError(message, this.pos());
  }
}
