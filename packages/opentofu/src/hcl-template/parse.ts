/**
 * A parser for the HCL 2 template language (hashicorp/hcl v2.20.1 hclsyntax, as OpenTofu's fork
 * pins it) for what a `repository_template` can use: literal text with the `$${` and `%%{`
 * escapes, `${ EXPR }` interpolations and `%{ if }`/`%{ else }`/`%{ endif }`/`%{ for }`/
 * `%{ endfor }` directives, each with `~` strip markers, and expressions made of variables,
 * attribute and index access, string/number/bool/null literals, tuples, function calls,
 * parentheses, `!`, unary `-`, arithmetic, comparisons, `&&`, `||` and `a ? b : c`.
 * Object constructors, `for` expressions, splats and heredocs are refused as not modelled.
 */
export type Expr =
  | { type: "literal"; value: Value }
  | { type: "template"; parts: Expr[] }
  | { type: "wrap"; expr: Expr }
  | { type: "variable"; name: string; steps: Array<{ attr: string } | { index: Expr }> }
  | { type: "call"; name: string; args: Expr[] }
  | { type: "tuple"; items: Expr[] }
  | { type: "unary"; op: "!" | "-"; expr: Expr }
  | { type: "binary"; op: string; left: Expr; right: Expr }
  | { type: "conditional"; cond: Expr; whenTrue: Expr; whenFalse: Expr }
  | { type: "for"; key?: string; value: string; coll: Expr; body: Expr };

/** A cty value as far as templates need one. */
export type Value =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "null" }
  | { kind: "tuple"; items: Value[] }
  | { kind: "unknown"; of: "string" | "number" | "bool" | "dynamic" };

/** An HCL diagnostic: summary and detail as OpenTofu prints them. */
export interface Diagnostic {
  /** The one-line summary, e.g. `Invalid oci_mirror repository template`. */
  summary: string;
  /** The explanation that follows it. */
  detail: string;
}

/** An HCL template failed to parse; `diagnostic` is hcl's. */
export class TemplateSyntaxError extends Error {
  /** Always `TemplateSyntaxError`. */
  override readonly name = "TemplateSyntaxError";
  /** @param diagnostic The diagnostic as OpenTofu prints it. */
  constructor(readonly diagnostic: Diagnostic) {
    super(`${diagnostic.summary}: ${diagnostic.detail}`);
  }
}

type Part =
  | { kind: "literal"; text: string }
  | { kind: "interp"; expr: Expr }
  | { kind: "if"; cond: Expr }
  | { kind: "else" }
  | { kind: "endif" }
  | { kind: "for"; key?: string; value: string; coll: Expr }
  | { kind: "endfor" };

/** Go's `unicode.IsSpace`, which HCL's strip markers use. */
const SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;
const TRAILING_SPACE = new RegExp(`${SPACE.source}+$`, "u");
const LEADING_SPACE = new RegExp(`^${SPACE.source}+`, "u");

/** `hclsyntax.ParseTemplate`: a single interpolation and nothing else keeps its value's type. */
export function parseTemplate(text: string): Expr {
  const parts = new TemplateLexer(text, "eof").parts();
  return wrapOrJoin(parts);
}

/** A lone interpolation keeps its value (`TemplateWrapExpr`, parser_template.go:20-33); anything else joins. */
function wrapOrJoin(parts: Part[]): Expr {
  const [only] = parts;
  if (parts.length === 1 && only?.kind === "interp") return { type: "wrap", expr: only.expr };
  return { type: "template", parts: buildTree(parts) };
}

class TemplateLexer {
  at = 0;
  constructor(
    readonly text: string,
    readonly end: "eof" | "quote",
    start = 0,
  ) {
    this.at = start;
  }

  /** `parseTemplateParts` (parser_template.go:365-600): literals trimmed by neighbouring `~`. */
  parts(): Part[] {
    const parts: Part[] = [];
    let trimNext = false;
    let literal: { kind: "literal"; text: string } | undefined;
    const flush = () => {
      if (literal) parts.push(literal);
      literal = undefined;
    };
    for (;;) {
      if (this.atEnd()) break;
      const opener = this.text.startsWith("${", this.at)
        ? "${"
        : this.text.startsWith("%{", this.at)
          ? "%{"
          : undefined;
      const escaped = this.text.startsWith("$${", this.at) || this.text.startsWith("%%{", this.at);
      if (opener && !escaped) {
        const stripBefore = this.text[this.at + 2] === "~";
        if (stripBefore && literal) literal.text = literal.text.replace(TRAILING_SPACE, "");
        flush();
        this.at += stripBefore ? 3 : 2;
        const part = opener === "${" ? this.interpolation() : this.directive();
        if (part) parts.push(part);
        trimNext = this.closeSequence();
        continue;
      }
      const piece = this.literalPiece();
      literal ??= { kind: "literal", text: "" };
      literal.text += trimNext && literal.text === "" ? piece.replace(LEADING_SPACE, "") : piece;
      trimNext = trimNext && literal.text === "";
    }
    flush();
    return parts.length === 0 ? [{ kind: "literal", text: "" }] : parts;
  }

  private atEnd(): boolean {
    if (this.at >= this.text.length) {
      if (this.end === "quote")
        throw syntax("Unterminated template string", "No closing marker was found for the string.");
      return true;
    }
    return this.end === "quote" && this.text[this.at] === '"';
  }

  /** One run of literal text, decoding `$${`, `%%{` and, in quoted strings, backslash escapes. */
  private literalPiece(): string {
    const text = this.text;
    if (text.startsWith("$${", this.at) || text.startsWith("%%{", this.at)) {
      this.at += 3;
      return `${text[this.at - 2]}{`;
    }
    const c = text[this.at]!;
    if (this.end === "quote" && c === "\\") return this.escape();
    if (this.end === "quote" && c === "\n")
      throw syntax("Unterminated template string", "No closing marker was found for the string.");
    this.at++;
    return c;
  }

  private escape(): string {
    const next = this.text[this.at + 1];
    const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
    if (next !== undefined && simple[next] !== undefined) {
      this.at += 2;
      return simple[next]!;
    }
    if (next === "u" || next === "U") {
      const digits = next === "u" ? 4 : 8;
      const hex = this.text.slice(this.at + 2, this.at + 2 + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) {
        throw syntax(
          "Invalid escape sequence",
          `The \\${next} escape sequence must be followed by ${digits === 4 ? "four" : "eight"} hexadecimal digits.`,
        );
      }
      this.at += 2 + digits;
      return String.fromCodePoint(Number.parseInt(hex, 16));
    }
    throw syntax(
      "Invalid escape sequence",
      `The symbol ${JSON.stringify(next ?? "")} is not a valid escape sequence selector.`,
    );
  }

  private interpolation(): Part {
    const parser = new ExpressionParser(this);
    const expr = parser.expression();
    parser.skipSpace();
    if (!this.text.startsWith("}", this.at) && !this.text.startsWith("~}", this.at)) {
      if (this.at >= this.text.length) {
        throw syntax(
          "Unclosed template interpolation sequence",
          "There is no closing brace for this interpolation sequence before the end of the file. This might be caused by incorrect nesting inside the given expression.",
        );
      }
      if (this.text[this.at] === ":") {
        throw syntax(
          "Extra characters after interpolation expression",
          'Template interpolation doesn\'t expect a colon at this location. Did you intend this to be a literal sequence to be processed as part of another language? If so, you can escape it by starting with "$${" instead of just "${".',
        );
      }
      throw syntax(
        "Extra characters after interpolation expression",
        'Expected a closing brace to end the interpolation expression, but found extra characters.\n\nThis can happen when you include interpolation syntax for another language, such as shell scripting, but forget to escape the interpolation start token. If this is an embedded sequence for another language, escape it by starting with "$${" instead of just "${".',
      );
    }
    return { kind: "interp", expr };
  }

  private directive(): Part {
    const parser = new ExpressionParser(this);
    parser.skipSpace();
    const keyword = parser.identifier();
    switch (keyword) {
      case "if":
        return { kind: "if", cond: parser.expression() };
      case "else":
      case "endif":
      case "endfor":
        return { kind: keyword };
      case "for":
        return this.forDirective(parser);
      default:
        if (keyword === "")
          throw syntax(
            "Invalid template directive",
            'A template directive keyword ("if", "for", etc) is expected at the beginning of a %{ sequence.',
          );
        throw syntax(
          "Invalid template control keyword",
          `${JSON.stringify(keyword)} is not a valid template control keyword.${suggest(keyword)}`,
        );
    }
  }

  private forDirective(parser: ExpressionParser): Part {
    parser.skipSpace();
    let value = parser.identifier();
    if (value === "") throw syntax("Invalid 'for' directive", "For directive requires variable name after 'for'.");
    let key: string | undefined;
    parser.skipSpace();
    if (this.text[this.at] === ",") {
      this.at++;
      parser.skipSpace();
      key = value;
      value = parser.identifier();
      if (value === "")
        throw syntax("Invalid 'for' directive", "For directive requires value variable name after comma.");
    }
    parser.skipSpace();
    if (parser.identifier() !== "in")
      throw syntax("Invalid 'for' directive", "For directive requires 'in' keyword after names.");
    return { kind: "for", key, value, coll: parser.expression() };
  }

  /** Reads `}` or `~}`; returns whether the next literal loses its leading whitespace. */
  private closeSequence(): boolean {
    while (this.at < this.text.length && SPACE.test(this.text[this.at]!)) this.at++;
    if (this.text.startsWith("~}", this.at)) {
      this.at += 2;
      return true;
    }
    if (this.text[this.at] === "}") {
      this.at++;
      return false;
    }
    throw syntax(
      "Extra characters in template marker",
      "Expected a closing brace to end the sequence, but found extra characters.",
    );
  }
}

function suggest(given: string): string {
  const known = ["if", "for", "else", "endif", "endfor"];
  const near = known.find((word) => levenshtein(word, given) < 3);
  return near ? ` Did you mean ${JSON.stringify(near)}?` : "";
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

/** `templateParser.parseRoot` (parser_template.go:85-330): if/for directives become nested expressions. */
function buildTree(parts: Part[]): Expr[] {
  const stream = { parts, at: 0 };
  const out = sequence(stream, []);
  const next = stream.parts[stream.at];
  if (next)
    throw syntax(`Unexpected ${next.kind} directive`, "The control directives within this template are unbalanced.");
  return out;
}

function sequence(stream: { parts: Part[]; at: number }, closers: string[]): Expr[] {
  const out: Expr[] = [];
  for (let part = stream.parts[stream.at]; part; part = stream.parts[stream.at]) {
    if (closers.includes(part.kind)) return out;
    stream.at++;
    if (part.kind === "literal") out.push({ type: "literal", value: { kind: "string", value: part.text } });
    else if (part.kind === "interp") out.push(part.expr);
    else if (part.kind === "if") out.push(ifDirective(stream, part.cond));
    else if (part.kind === "for") out.push(forDirective(stream, part));
    else
      throw syntax(`Unexpected ${part.kind} directive`, "The control directives within this template are unbalanced.");
  }
  if (closers.length > 0) {
    const [open, close] = closers.includes("endfor") ? ["for", "endfor"] : ["if", "endif"];
    // HCL names the directive's position here (<oci_mirror repository_template>:LINE,COL-COL).
    throw syntax(
      "Unexpected end of template",
      `The ${open} directive at <position> is missing its corresponding ${close} directive.`,
    );
  }
  return out;
}

function ifDirective(stream: { parts: Part[]; at: number }, cond: Expr): Expr {
  const then = sequence(stream, ["else", "endif"]);
  let otherwise: Expr[] = [];
  if (stream.parts[stream.at]!.kind === "else") {
    stream.at++;
    otherwise = sequence(stream, ["endif", "else"]);
    if (stream.parts[stream.at]!.kind === "else")
      throw syntax("Unexpected else directive", "Already in the else clause for the if started at ....");
  }
  stream.at++;
  return {
    type: "conditional",
    cond,
    whenTrue: { type: "template", parts: then },
    whenFalse: { type: "template", parts: otherwise },
  };
}

function forDirective(stream: { parts: Part[]; at: number }, open: Extract<Part, { kind: "for" }>): Expr {
  const body = sequence(stream, ["endfor", "else"]);
  if (stream.parts[stream.at]!.kind === "else")
    throw syntax("Unexpected else directive", "An else clause is not expected for a for directive.");
  stream.at++;
  return { type: "for", key: open.key, value: open.value, coll: open.coll, body: { type: "template", parts: body } };
}

const BINARY_LEVELS = [["||"], ["&&"], ["==", "!="], ["<=", ">=", "<", ">"], ["+", "-"], ["*", "/", "%"]];

/** Expressions inside `${ }` and directives (parser.go), newlines treated as spaces. */
class ExpressionParser {
  constructor(private readonly lexer: TemplateLexer) {}

  private get text(): string {
    return this.lexer.text;
  }

  skipSpace(): void {
    while (this.lexer.at < this.text.length && SPACE.test(this.text[this.lexer.at]!)) this.lexer.at++;
  }

  identifier(): string {
    const match = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_-]*/u.exec(this.text.slice(this.lexer.at));
    if (!match) return "";
    this.lexer.at += match[0].length;
    return match[0];
  }

  expression(): Expr {
    const cond = this.binary(0);
    this.skipSpace();
    if (this.text[this.lexer.at] !== "?") return cond;
    this.lexer.at++;
    const then = this.expression();
    this.skipSpace();
    if (this.text[this.lexer.at] !== ":")
      throw syntax(
        "Missing false expression in conditional",
        "The conditional operator (...?...:...) requires a false expression, delimited by a colon.",
      );
    this.lexer.at++;
    return { type: "conditional", cond, whenTrue: then, whenFalse: this.expression() };
  }

  private binary(level: number): Expr {
    if (level === BINARY_LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      this.skipSpace();
      const op = BINARY_LEVELS[level]!.find((candidate) => this.text.startsWith(candidate, this.lexer.at));
      if (!op || (op === "<" && this.text.startsWith("<<", this.lexer.at))) return left;
      this.lexer.at += op.length;
      left = { type: "binary", op, left, right: this.binary(level + 1) };
    }
  }

  private unary(): Expr {
    this.skipSpace();
    const c = this.text[this.lexer.at];
    if (c === "!" || c === "-") {
      this.lexer.at++;
      return { type: "unary", op: c, expr: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(expr: Expr): Expr {
    for (;;) {
      const c = this.text[this.lexer.at];
      if (c === "." && /[\p{L}_]/u.test(this.text[this.lexer.at + 1] ?? "")) {
        this.lexer.at++;
        const attr = this.identifier();
        if (expr.type !== "variable") throw notModelled("attribute access on a value that is not a variable");
        expr.steps.push({ attr });
      } else if (c === "[") {
        this.lexer.at++;
        const index = this.expression();
        this.skipSpace();
        if (this.text[this.lexer.at] !== "]")
          throw syntax("Missing close bracket on index", 'The index operator must end with a closing bracket ("]").');
        this.lexer.at++;
        if (expr.type !== "variable") throw notModelled("an index on a value that is not a variable");
        expr.steps.push({ index });
      } else return expr;
    }
  }

  private primary(): Expr {
    this.skipSpace();
    const rest = this.text.slice(this.lexer.at);
    const number = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(rest);
    if (number) {
      this.lexer.at += number[0].length;
      return { type: "literal", value: { kind: "number", value: Number(number[0]) } };
    }
    if (rest.startsWith('"')) return this.quoted();
    if (rest.startsWith("(")) {
      this.lexer.at++;
      const inner = this.expression();
      this.skipSpace();
      if (this.text[this.lexer.at] !== ")")
        throw syntax("Unbalanced parentheses", "Expected a closing parenthesis to terminate the expression.");
      this.lexer.at++;
      return inner;
    }
    if (rest.startsWith("[")) return { type: "tuple", items: this.list("[", "]") };
    if (rest.startsWith("{") || rest.startsWith("<<"))
      throw notModelled(rest.startsWith("{") ? "object constructors" : "heredocs");
    const name = this.identifier();
    if (name === "")
      throw syntax("Invalid expression", "Expected the start of an expression, but found an invalid expression token.");
    if (name === "true" || name === "false")
      return { type: "literal", value: { kind: "bool", value: name === "true" } };
    if (name === "null") return { type: "literal", value: { kind: "null" } };
    let full = name;
    while (this.text.startsWith("::", this.lexer.at)) {
      this.lexer.at += 2;
      full += `::${this.identifier()}`;
    }
    this.skipSpace();
    if (this.text[this.lexer.at] === "(") return { type: "call", name: full, args: this.list("(", ")") };
    return { type: "variable", name, steps: [] };
  }

  private list(open: string, close: string): Expr[] {
    this.lexer.at += open.length;
    const items: Expr[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.lexer.at] === close) {
        this.lexer.at++;
        return items;
      }
      items.push(this.expression());
      this.skipSpace();
      if (this.text[this.lexer.at] === ",") this.lexer.at++;
      else if (this.text[this.lexer.at] !== close) {
        throw syntax(
          close === ")" ? "Missing argument separator" : "Missing item separator",
          close === ")"
            ? "A comma is required to separate each function argument from the next."
            : "Expected a comma to mark the beginning of the next item.",
        );
      }
    }
  }

  private quoted(): Expr {
    const inner = new TemplateLexer(this.text, "quote", this.lexer.at + 1);
    const parts = inner.parts();
    this.lexer.at = inner.at + 1;
    return wrapOrJoin(parts);
  }
}

function syntax(summary: string, detail: string): TemplateSyntaxError {
  return new TemplateSyntaxError({ summary, detail });
}

function notModelled(what: string): TemplateSyntaxError {
  return syntax(
    "Not supported by tofu-oci",
    `${what} are valid HCL but not modelled here; write the template with variables, literals, operators and if/for directives.`,
  );
}
