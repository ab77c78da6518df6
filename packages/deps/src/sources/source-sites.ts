import { tokenize, type Token } from "./hcl-tokens.js";

/** Where a module block's `source` string is in a file, and the comment after it on its line. */
export interface SourceSite {
  /** The module block's name (its first label). */
  module: string;
  /** 1-based line of the string. */
  line: number;
  /** Offsets of the quoted string, quotes included (`end` exclusive). */
  start: number;
  end: number;
  /** The string's value. */
  value: string;
  /** The first comment after the string on the same line, if any. */
  comment?: { start: number; end: number; text: string };
}

/**
 * Finds every `module "NAME" { source = "..." }` of a file in HCL native syntax, by position, so
 * that an edit can replace exactly the string. Only a `source` whose value is one literal string
 * (no template) is returned; blocks nested in other blocks are not modules.
 */
export function findSourceSites(text: string): SourceSite[] {
  const tokens = tokenize(text);
  const sites: SourceSite[] = [];
  const code = tokens.filter((token) => token.type !== "comment");
  let depth = 0;
  let moduleDepth = -1;
  let moduleName = "";
  for (let i = 0; i < code.length; i++) {
    const token = code[i]!;
    const atLineStart = i === 0 || code[i - 1]!.type === "newline" || punct(text, code[i - 1]!, "{");
    if (depth === 0 && atLineStart && word(text, token) === "module") {
      const header = moduleHeader(text, code, i + 1);
      if (header) {
        moduleName = header.name;
        moduleDepth = 1;
        depth = 1;
        i = header.brace;
        continue;
      }
    }
    if (depth === moduleDepth && atLineStart && word(text, token) === "source") {
      const site = sourceAt(text, code, i, moduleName, tokens);
      if (site) sites.push(site);
    }
    depth += bracketChange(text, token);
    if (depth < moduleDepth) moduleDepth = -1;
  }
  return sites;
}

/** After `module`: one or more string labels, then `{`. */
function moduleHeader(text: string, code: Token[], from: number): { name: string; brace: number } | undefined {
  let i = from;
  const labels: string[] = [];
  while (code[i]?.type === "string" && code[i]!.literal !== undefined) labels.push(code[i++]!.literal!);
  if (labels.length === 0 || !code[i] || !punct(text, code[i]!, "{")) return undefined;
  return { name: labels[0]!, brace: i };
}

/** `source = "literal"` followed by the end of the line, a comment or `}`. */
function sourceAt(text: string, code: Token[], i: number, module: string, tokens: Token[]): SourceSite | undefined {
  const [equals, value, after] = [code[i + 1], code[i + 2], code[i + 3]];
  if (!equals || !punct(text, equals, "=") || value?.type !== "string" || value.literal === undefined) return undefined;
  if (after && after.type !== "newline" && !punct(text, after, "}")) return undefined;
  const site: SourceSite = {
    module,
    line: lineOf(text, value.start),
    start: value.start,
    end: value.end,
    value: value.literal,
  };
  const comment = tokens.find(
    (token) => token.type === "comment" && token.start >= value.end && (!after || token.start < after.start),
  );
  if (comment && !text.slice(value.end, comment.start).includes("\n"))
    site.comment = { start: comment.start, end: comment.end, text: text.slice(comment.start, comment.end) };
  return site;
}

function bracketChange(text: string, token: Token): number {
  if (token.type !== "punct") return 0;
  const c = text[token.start]!;
  return "{[(".includes(c) ? 1 : "}])".includes(c) ? -1 : 0;
}

function word(text: string, token: Token): string | undefined {
  return token.type === "ident" ? text.slice(token.start, token.end) : undefined;
}

function punct(text: string, token: Token, char: string): boolean {
  return token.type === "punct" && text[token.start] === char;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
