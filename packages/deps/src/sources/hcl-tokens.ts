/** A token of HCL native syntax with its offsets in the text (`end` exclusive). */
export interface Token {
  type: "ident" | "string" | "heredoc" | "comment" | "newline" | "punct" | "other";
  start: number;
  end: number;
  /** For `string`: the decoded value, when the string is a literal (no `${` or `%{`). */
  literal?: string;
}

const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{N}_-]/u;

/**
 * Splits HCL native syntax into tokens, enough to find where things are without changing them:
 * comments (`#`, `//` to the end of the line, not its line break; `/* *\/`), quoted strings with
 * their escapes and nested `${ }` / `%{ }` templates, heredocs (`<<ID`, `<<-ID` to a line holding
 * only the marker), identifiers, brackets and line breaks (`\n` or `\r\n`). The syntax itself is
 * checked by the real HCL parser (hcl2json) before any of this is trusted.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const token = next(text, i);
    if (token.type !== "other" || !/\s/.test(text[i]!)) tokens.push(token);
    i = token.end;
  }
  return tokens;
}

function next(text: string, i: number): Token {
  const c = text[i]!;
  if (c === "\n") return { type: "newline", start: i, end: i + 1 };
  if (c === "\r" && text[i + 1] === "\n") return { type: "newline", start: i, end: i + 2 };
  if (c === "#" || (c === "/" && text[i + 1] === "/")) return { type: "comment", start: i, end: lineEnd(text, i) };
  if (c === "/" && text[i + 1] === "*") return { type: "comment", start: i, end: closeAfter(text, i + 2, "*/") };
  if (c === '"') return quoted(text, i);
  if (c === "<" && text[i + 1] === "<" && /[-\p{L}_]/u.test(text[i + 2] ?? "")) {
    const heredoc = heredocAt(text, i);
    if (heredoc) return heredoc;
  }
  if (IDENT_START.test(c)) {
    let end = i + 1;
    while (end < text.length && IDENT_PART.test(text[end]!)) end++;
    return { type: "ident", start: i, end };
  }
  if ("{}[]()=,".includes(c)) return { type: "punct", start: i, end: i + 1 };
  return { type: "other", start: i, end: i + 1 };
}

/** Where a line comment ends: before its `\n` or `\r\n`. */
function lineEnd(text: string, from: number): number {
  const newline = text.indexOf("\n", from);
  if (newline === -1) return text.length;
  return text[newline - 1] === "\r" ? newline - 1 : newline;
}

function closeAfter(text: string, from: number, marker: string): number {
  const at = text.indexOf(marker, from);
  return at === -1 ? text.length : at + marker.length;
}

/** A quoted string; its templates are skipped as nested expressions, so a `"` inside one does not end it. */
function quoted(text: string, start: number): Token {
  let i = start + 1;
  let literal = true;
  let value = "";
  while (i < text.length && text[i] !== '"' && text[i] !== "\n") {
    const c = text[i]!;
    if (c === "\\") {
      const decoded = decodeEscape(text, i);
      value += decoded.value;
      i = decoded.end;
    } else if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") {
      value += `${c}{`;
      i += 3;
    } else if ((c === "$" || c === "%") && text[i + 1] === "{") {
      literal = false;
      i = templateEnd(text, i + 2);
    } else {
      value += c;
      i++;
    }
  }
  const end = Math.min(i + 1, text.length);
  return literal ? { type: "string", start, end, literal: value } : { type: "string", start, end };
}

/** hclsyntax's escapes: \n \r \t \" \\ \uNNNN \UNNNNNNNN. */
function decodeEscape(text: string, i: number): { value: string; end: number } {
  const c = text[i + 1] ?? "";
  const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
  if (c in simple) return { value: simple[c]!, end: i + 2 };
  const digits = c === "u" ? 4 : c === "U" ? 8 : 0;
  const hex = text.slice(i + 2, i + 2 + digits);
  if (digits > 0 && /^[0-9A-Fa-f]+$/.test(hex) && hex.length === digits)
    return { value: String.fromCodePoint(Number.parseInt(hex, 16)), end: i + 2 + digits };
  return { value: `\\${c}`, end: i + 2 };
}

/** The offset after the `}` that closes a template opened just before `from`, skipping nested strings and braces. */
function templateEnd(text: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < text.length && depth > 0) {
    const c = text[i]!;
    if (c === '"') i = quoted(text, i).end;
    else {
      if (c === "{") depth++;
      else if (c === "}") depth--;
      i++;
    }
  }
  return i;
}

/** `<<ID` or `<<-ID` and a line break, then lines up to one holding only ID (spaces around it allowed). */
function heredocAt(text: string, start: number): Token | undefined {
  const header = /^<<-?([\p{L}_][\p{L}\p{N}_-]*)\r?\n/u.exec(text.slice(start, start + 256));
  if (!header) return undefined;
  let lineStart = start + header[0].length;
  while (lineStart < text.length) {
    const end = lineEnd(text, lineStart);
    if (text.slice(lineStart, end).trim() === header[1]) return { type: "heredoc", start, end };
    lineStart = text.indexOf("\n", end) + 1 || text.length;
  }
  return { type: "heredoc", start, end: text.length };
}
