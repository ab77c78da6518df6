/**
 * Go's filepath.Match for one path segment (Linux): `*` any run of characters but `/`, `?` one
 * such character, `[...]` a class (`^` negates, `a-z` ranges), `\` escapes the next character.
 * Returns undefined for a malformed pattern (Go's ErrBadPattern).
 */
export function segmentMatcher(pattern: string): ((name: string) => boolean) | undefined {
  let source = "^";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else if (char === "\\") {
      if (i + 1 >= pattern.length) return undefined;
      source += escape(pattern[++i]!);
    } else if (char === "[") {
      const end = classEnd(pattern, i);
      if (end === -1) return undefined;
      source += classSource(pattern.slice(i + 1, end));
      i = end;
    } else source += escape(char);
  }
  const regex = new RegExp(`${source}$`, "u");
  return (name) => regex.test(name);
}

/** True when a segment has glob syntax (filepath.Glob's hasMeta). */
export function hasMeta(segment: string): boolean {
  return /[*?[\\]/.test(segment);
}

function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === "^") i++;
  for (let first = true; i < pattern.length; i++, first = false) {
    if (pattern[i] === "\\") i++;
    else if (pattern[i] === "]" && !first) return i;
  }
  return -1;
}

function classSource(body: string): string {
  const negate = body.startsWith("^");
  const inner = (negate ? body.slice(1) : body).replace(/\\(.)/gu, (_, c: string) => escape(c)).replace(/[\]]/g, "\\]");
  return `[${negate ? "^/" : ""}${inner}]`;
}

// biome-ignore lint/suspicious/noShadowRestrictedNames: module-private; the global escape() is never used.
function escape(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
