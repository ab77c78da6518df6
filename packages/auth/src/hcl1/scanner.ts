import { HclSyntaxError, type Pos } from "./ast.js";

export type TokenType =
  | "ident"
  | "string"
  | "heredoc"
  | "number"
  | "float"
  | "bool"
  | "lbrace"
  | "rbrace"
  | "lbrack"
  | "rbrack"
  | "assign"
  | "comma"
  | "eof";

export interface Token {
  type: TokenType;
  text: string;
  /** Decoded value for strings and heredocs. */
  value: string;
  pos: Pos;
}

const PUNCTUATION: Record<string, TokenType> = {
  "{": "lbrace",
  "}": "rbrace",
  "[": "lbrack",
  "]": "rbrack",
  "=": "assign",
  ",": "comma",
};
const ESCAPES: Record<string, string> = {
  a: "\u0007",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  '"': '"',
};
const NUMBER = /-?(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/y;

/**
 * The HCL 1 native-syntax scanner: comments (`#`, `//`, `/* *\/`), identifiers of letters,
 * digits, `_`, `-` and `.`, strings with `${...}` interpolations left as written, heredocs
 * (`<<EOF`, `<<-EOF`) that keep their trailing newline, numbers and booleans.
 */
export class Scanner {
  readonly #text: string;
  #offset = 0;
  #line = 1;
  #column = 1;

  constructor(text: string) {
    this.#text = text.replace(/\r\n/g, "\n");
  }

  next(): Token {
    this.#skipSpaceAndComments();
    const pos = this.#pos();
    const char = this.#peek();
    if (char === undefined) return { type: "eof", text: "", value: "", pos };
    const punctuation = PUNCTUATION[char];
    if (punctuation) {
      this.#advance(1);
      return { type: punctuation, text: char, value: char, pos };
    }
    if (char === '"') return this.#string(pos);
    if (this.#text.startsWith("<<", this.#offset)) return this.#heredoc(pos);
    if (/[-0-9]/.test(char)) return this.#number(pos);
    if (/[\p{L}_]/u.test(char)) return this.#identifier(pos);
    throw new HclSyntaxError(`illegal char ${JSON.stringify(char)}`, pos);
  }

  #skipSpaceAndComments(): void {
    for (;;) {
      const char = this.#peek();
      if (char === " " || char === "\t" || char === "\n" || char === "\r") this.#advance(1);
      else if (char === "#" || this.#text.startsWith("//", this.#offset)) this.#advanceTo(this.#indexOrEnd("\n"));
      else if (this.#text.startsWith("/*", this.#offset)) this.#blockComment();
      else return;
    }
  }

  #blockComment(): void {
    const pos = this.#pos();
    const end = this.#text.indexOf("*/", this.#offset + 2);
    if (end === -1) throw new HclSyntaxError("comment not terminated", pos);
    this.#advanceTo(end + 2);
  }

  #identifier(pos: Pos): Token {
    const match = /[\p{L}\p{N}_.-]+/uy;
    match.lastIndex = this.#offset;
    const text = match.exec(this.#text)![0];
    this.#advance(text.length);
    const type = text === "true" || text === "false" ? "bool" : "ident";
    return { type, text, value: text, pos };
  }

  #number(pos: Pos): Token {
    NUMBER.lastIndex = this.#offset;
    const text = NUMBER.exec(this.#text)?.[0];
    if (!text || text === "-") throw new HclSyntaxError(`illegal char ${JSON.stringify(this.#peek())}`, pos);
    this.#advance(text.length);
    const float = /[.eE]/.test(text) && !/^-?0[xX]/.test(text);
    return { type: float ? "float" : "number", text, value: text, pos };
  }

  #string(pos: Pos): Token {
    const start = this.#offset;
    let value = "";
    let braces = 0;
    this.#advance(1);
    for (;;) {
      const char = this.#peek();
      if (char === undefined || (char === "\n" && braces === 0))
        throw new HclSyntaxError("literal not terminated", pos);
      this.#advance(1);
      if (char === '"' && braces === 0) break;
      if (braces === 0 && char === "$" && this.#peek() === "{") {
        braces++;
        value += "${";
        this.#advance(1);
        continue;
      }
      if (braces > 0 && char === "{") braces++;
      if (braces > 0 && char === "}") braces--;
      value += char === "\\" && braces === 0 ? this.#escape(pos) : char;
    }
    return { type: "string", text: this.#text.slice(start, this.#offset), value, pos };
  }

  #escape(pos: Pos): string {
    const char = this.#peek();
    if (char !== undefined && ESCAPES[char] !== undefined) {
      this.#advance(1);
      return ESCAPES[char]!;
    }
    const hex = char === "x" ? 2 : char === "u" ? 4 : char === "U" ? 8 : 0;
    const digits = this.#text.slice(this.#offset + 1, this.#offset + 1 + hex);
    if (hex === 0 || !new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits))
      throw new HclSyntaxError("unknown escape sequence", pos);
    this.#advance(1 + hex);
    return String.fromCodePoint(Number.parseInt(digits, 16));
  }

  #heredoc(pos: Pos): Token {
    const start = this.#offset;
    const header = /<<(-?)([\p{L}_][\p{L}\p{N}_-]*)\n/uy;
    header.lastIndex = this.#offset;
    const match = header.exec(this.#text);
    if (!match) throw new HclSyntaxError("heredoc expected marker name and newline", pos);
    const [, indent, marker] = match as unknown as [string, string, string];
    this.#advanceTo(header.lastIndex);
    const lines: string[] = [];
    for (;;) {
      if (this.#peek() === undefined) throw new HclSyntaxError("heredoc not terminated", pos);
      const end = this.#indexOrEnd("\n");
      const line = this.#text.slice(this.#offset, end);
      this.#advanceTo(Math.min(end + 1, this.#text.length));
      if ((indent ? line.trim() : line) === marker) break;
      lines.push(line);
    }
    const value = indent ? dedent(lines) : lines.map((line) => `${line}\n`).join("");
    return { type: "heredoc", text: this.#text.slice(start, this.#offset), value, pos };
  }

  #indexOrEnd(search: string): number {
    const index = this.#text.indexOf(search, this.#offset);
    return index === -1 ? this.#text.length : index;
  }

  #peek(): string | undefined {
    return this.#text[this.#offset];
  }

  #pos(): Pos {
    return { line: this.#line, column: this.#column };
  }

  #advance(count: number): void {
    this.#advanceTo(this.#offset + count);
  }

  #advanceTo(offset: number): void {
    for (; this.#offset < offset; this.#offset++) {
      if (this.#text[this.#offset] === "\n") {
        this.#line++;
        this.#column = 1;
      } else this.#column++;
    }
  }
}

function dedent(lines: string[]): string {
  const indents = lines.filter((line) => line.trim() !== "").map((line) => /^[ \t]*/.exec(line)![0].length);
  const common = indents.length === 0 ? 0 : Math.min(...indents);
  return lines.map((line) => `${line.slice(common)}\n`).join("");
}
