import { invalidInput } from "@tofu-oci/core";

/** A module of a Go build (runtime/debug.Module). */
export interface GoModule {
  /** The module path, e.g. `github.com/hashicorp/go-plugin`. */
  path: string;
  /** The module version, e.g. `v1.6.0`; `(devel)` for an untagged main module. */
  version: string;
  /** The go.sum `h1:` checksum; empty for the main module and local replacements. */
  sum: string;
  /** The module that replaced it (a `=>` line), if any. */
  replace?: GoModule;
}

/** Go build information (runtime/debug.BuildInfo). */
export interface GoBuildInfo {
  /** The toolchain, e.g. `go1.22.5`. */
  goVersion: string;
  /** The main package's import path. */
  path: string;
  /** The main module (the `mod` line), absent when not built in module mode. */
  main?: GoModule;
  /** The `dep` lines: the modules linked into the executable. */
  deps: GoModule[];
  /** Build settings in order: `-compiler`, `CGO_ENABLED`, `GOOS`, `vcs.revision`, ... */
  settings: Array<{ key: string; value: string }>;
}

/**
 * Parses the module text of Go build info, line by line as `runtime/debug.ParseBuildInfo`:
 * `path`, `mod`, `dep`, `=>` (replaces the module on the line before) and `build KEY=VALUE`
 * (keys and values may be Go-quoted). The Go version is not part of this text.
 * @throws TofuOciError "invalid-input" naming the line.
 */
export function parseModInfo(text: string): Omit<GoBuildInfo, "goVersion"> {
  const info: Omit<GoBuildInfo, "goVersion"> = { path: "", deps: [], settings: [] };
  let last: GoModule | undefined;
  const lines = text.split("\n");
  // As in Go, a last line without a newline is not read.
  lines.pop();
  for (const [i, line] of lines.entries()) {
    const fail = (problem: string) => invalidInput(`invalid Go build info, line ${i + 1}: ${problem}`);
    const [word, rest] = splitOnce(line, "\t");
    if (rest === undefined) continue;
    if (word === "path") info.path = rest;
    else if (word === "mod") last = info.main = moduleLine(rest, fail);
    else if (word === "dep") info.deps.push((last = moduleLine(rest, fail)));
    else if (word === "=>") {
      const fields = rest.split("\t");
      if (fields.length !== 3) throw fail(`expected 3 columns for replacement; got ${fields.length}`);
      if (!last) throw fail("replacement with no module on previous line");
      last.replace = { path: fields[0]!, version: fields[1]!, sum: fields[2]! };
      last = undefined;
    } else if (word === "build") info.settings.push(buildSetting(rest, fail));
  }
  return info;
}

function moduleLine(text: string, fail: (problem: string) => Error): GoModule {
  const fields = text.split("\t");
  if (fields.length !== 2 && fields.length !== 3) throw fail(`expected 2 or 3 columns; got ${fields.length}`);
  return { path: fields[0]!, version: fields[1]!, sum: fields[2] ?? "" };
}

function buildSetting(text: string, fail: (problem: string) => Error): { key: string; value: string } {
  if (text === "") throw fail("build line missing '='");
  let key: string;
  let rawValue: string;
  if (text[0] === "=") throw fail("build line with missing key");
  if (text[0] === '"' || text[0] === "`") {
    const quoted = quotedPrefix(text);
    if (quoted === undefined) throw fail("invalid quoted key in build line");
    if (text[quoted.length] !== "=") throw fail("build line missing '=' after quoted key");
    key = unquote(quoted) ?? "";
    rawValue = text.slice(quoted.length + 1);
  } else {
    const [k, v] = splitOnce(text, "=");
    if (v === undefined) throw fail("build line missing '=' after key");
    key = k;
    rawValue = v;
  }
  if (rawValue[0] === '"' || rawValue[0] === "`") {
    const value = unquote(rawValue);
    if (value === undefined) throw fail("invalid quoted value in build line");
    return { key, value };
  }
  return { key, value: rawValue };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

/** The Go-quoted string at the start of `text` (strconv.QuotedPrefix), or undefined. */
function quotedPrefix(text: string): string | undefined {
  const quote = text[0];
  for (let i = 1; i < text.length; i++) {
    if (quote === '"' && text[i] === "\\") i++;
    else if (text[i] === quote) return text.slice(0, i + 1);
  }
  return undefined;
}

const ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
};

/** strconv.Unquote for "..." and `...`; undefined when the text is not exactly one quoted string. */
export function unquote(text: string): string | undefined {
  if (text.length < 2 || text[0] !== text[text.length - 1]) return undefined;
  const body = text.slice(1, -1);
  if (text[0] === "`") return body.includes("`") ? undefined : body.replaceAll("\r", "");
  if (text[0] !== '"') return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < body.length; ) {
    const char = body[i]!;
    if (char === '"' || char === "\n") return undefined;
    if (char !== "\\") {
      bytes.push(...Buffer.from(String.fromCodePoint(body.codePointAt(i)!)));
      i += String.fromCodePoint(body.codePointAt(i)!).length;
      continue;
    }
    const escaped = unescapeAt(body, i + 1);
    if (!escaped) return undefined;
    bytes.push(...escaped.bytes);
    i = escaped.next;
  }
  return Buffer.from(bytes).toString("utf8");
}

function unescapeAt(body: string, at: number): { bytes: number[]; next: number } | undefined {
  const code = body[at];
  if (code === undefined) return undefined;
  if (ESCAPES[code] !== undefined) return { bytes: [...Buffer.from(ESCAPES[code])], next: at + 1 };
  const hex = (digits: number) => {
    const text = body.slice(at + 1, at + 1 + digits);
    return text.length === digits && /^[0-9a-fA-F]+$/.test(text) ? Number.parseInt(text, 16) : undefined;
  };
  if (code === "x") {
    const value = hex(2);
    return value === undefined ? undefined : { bytes: [value], next: at + 3 };
  }
  if (code === "u" || code === "U") {
    const digits = code === "u" ? 4 : 8;
    const value = hex(digits);
    if (value === undefined || value > 0x10ffff) return undefined;
    return { bytes: [...Buffer.from(String.fromCodePoint(value))], next: at + 1 + digits };
  }
  const octal = body.slice(at, at + 3);
  if (/^[0-7]{3}$/.test(octal) && Number.parseInt(octal, 8) < 256)
    return { bytes: [Number.parseInt(octal, 8)], next: at + 3 };
  return undefined;
}
