/** What a `tofu-oci:` comment after a module source says. */
export interface Directive {
  /** A version constraint, e.g. `~> 1.2`. */
  constraint?: string;
  /** The tag a digest was pinned from (`tag=1.2.0`). */
  tag?: string;
}

const MARKER = "tofu-oci:";

/**
 * Reads the directive of a comment: the text after `tofu-oci:`, items separated by `;`, where
 * `tag=TAG` names the tag a digest was pinned from and anything else is the version constraint:
 * `# tofu-oci: ~> 1.2`, `# tofu-oci: tag=1.2.0`, `# tofu-oci: ~> 1.2; tag=1.2.0`.
 */
export function parseDirective(comment: string | undefined): Directive {
  const at = comment?.indexOf(MARKER) ?? -1;
  if (comment === undefined || at === -1) return {};
  const body = comment.slice(at + MARKER.length).replace(/\*\/\s*$/, "");
  const directive: Directive = {};
  for (const item of body
    .split(";")
    .map((part) => part.trim())
    .filter(Boolean)) {
    if (item.startsWith("tag=")) directive.tag = item.slice(4).trim();
    else directive.constraint = item;
  }
  return directive;
}

/** The directive as written back: the constraint, then the tag. */
export function formatDirective(directive: Directive): string {
  const items = [directive.constraint, directive.tag === undefined ? undefined : `tag=${directive.tag}`].filter(
    (item): item is string => Boolean(item),
  );
  return `${MARKER} ${items.join("; ")}`;
}

/**
 * The comment to write after a pinned source: the old comment with its directive replaced, or
 * the old comment with `; tofu-oci: ...` appended, or a new `# tofu-oci: ...` comment (`/* *\/`
 * when code follows on the line, as in a one-line block).
 */
export function rewriteComment(
  comment: string | undefined,
  directive: Directive,
  options: { codeFollows?: boolean } = {},
): string {
  const text = formatDirective(directive);
  if (comment === undefined) return options.codeFollows ? `/* ${text} */` : `# ${text}`;
  const block = comment.startsWith("/*");
  const inner = block ? comment.slice(0, -2).trimEnd() : comment;
  const at = inner.indexOf(MARKER);
  const rewritten = at === -1 ? `${inner}; ${text}` : `${inner.slice(0, at)}${text}`;
  return block ? `${rewritten} */` : rewritten;
}
