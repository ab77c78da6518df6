import { quoteHclString } from "@tofu-oci/opentofu";
import { rewriteComment, type Directive } from "./directive.js";
import type { SourceSite } from "./source-sites.js";

/** A replacement of `text.slice(start, end)`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * The edits that point a source at `value` and record `directive` in the comment on its line:
 * the quoted string is replaced, the comment rewritten or one added after the string. Nothing
 * else of the file changes.
 */
export function sourceEdits(text: string, site: SourceSite, value: string, directive: Directive): Edit[] {
  const edits: Edit[] = [{ start: site.start, end: site.end, text: quoteHclString(value) }];
  if (site.comment) {
    edits.push({
      start: site.comment.start,
      end: site.comment.end,
      text: rewriteComment(site.comment.text, directive),
    });
  } else {
    const rest = restOfLine(text, site.end);
    edits.push({
      start: site.end,
      end: site.end,
      text: ` ${rewriteComment(undefined, directive, { codeFollows: rest.trim() !== "" })}`,
    });
  }
  return edits;
}

/** Applies non-overlapping edits. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start))
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

function restOfLine(text: string, from: number): string {
  const newline = text.indexOf("\n", from);
  return text.slice(from, newline === -1 ? text.length : newline);
}
