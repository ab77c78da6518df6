/**
 * `.terraformignore` rules with the semantics of the Terraform/OpenTofu remote-run packer
 * (hashicorp/go-slug `internal/ignorefiles`), which differ from `.gitignore`:
 * - a pattern without a leading `/` matches at any depth, even when it contains a `/`
 *   (`foo/*.md` excludes `a/foo/x.md`); a leading `/` anchors it at the module root;
 * - a trailing `/` makes a directory pattern (`docs/` excludes the directory and all below it);
 *   a pattern without one matches a file or a directory entry by name, not what is inside;
 * - `!` re-includes, even below an excluded directory; the last matching rule wins;
 * - `*` and `?` stop at `/`, `**` crosses directories, `[a-z]` / `[!a-z]` are classes, `\` escapes.
 */

/** One compiled rule. */
interface IgnoreRule {
  readonly negated: boolean;
  readonly regex: RegExp;
  /** Some later rule is a negation, so an excluded directory may still hold included paths. */
  negationsAfter: boolean;
}

/** The result of matching one path. */
export interface IgnoreMatch {
  /** The path is excluded by the last rule that matched it (`.terraformignore` order, `!` re-includes). */
  excluded: boolean;
  /** Excluded, and no later rule can re-include anything below it: a directory can be skipped. */
  dominating: boolean;
}

/** What the packer leaves out unless `--no-default-excludes` is given (issue 4). */
export const DEFAULT_EXCLUDES: readonly string[] = [
  ".git/",
  ".terraform/",
  "*.tfstate",
  "*.tfstate.backup",
  ".terraform.tfstate.lock.info",
  "crash.log",
  "crash.*.log",
];

/** An ordered list of `.terraformignore` rules. */
export class IgnoreRules {
  readonly #rules: IgnoreRule[] = [];

  /** Appends the rules of `.terraformignore` text (or any list of lines in that syntax). */
  add(text: string | readonly string[]): this {
    const lines = typeof text === "string" ? text.split(/\r?\n/) : text;
    for (const line of lines) {
      const rule = compileLine(line);
      if (!rule) continue;
      if (rule.negated) for (const earlier of this.#rules) earlier.negationsAfter = true;
      this.#rules.push(rule);
    }
    return this;
  }

  /**
   * Matches a `/`-separated path relative to the module root. Directories are matched twice by
   * the walker, as `dir` and as `dir/`, the way go-slug does.
   */
  match(path: string): IgnoreMatch {
    let last: IgnoreRule | undefined;
    for (const rule of this.#rules) if (rule.regex.test(path)) last = rule;
    const excluded = last !== undefined && !last.negated;
    return { excluded, dominating: excluded && !last!.negationsAfter };
  }

  /** How many rules were added (comments and blank lines not counted). */
  get size(): number {
    return this.#rules.length;
  }
}

function compileLine(line: string): IgnoreRule | undefined {
  let pattern = line.trim();
  if (pattern === "" || pattern.startsWith("#")) return undefined;
  const negated = pattern.startsWith("!");
  if (negated) pattern = pattern.slice(1);
  if (pattern === "") return undefined;
  if (pattern.endsWith("/")) pattern += "**";
  pattern = pattern.startsWith("/") ? pattern.slice(1) : `**/${pattern}`;
  return { negated, regex: new RegExp(`^${globToRegex(pattern)}$`, "u"), negationsAfter: false };
}

/** Translates the glob syntax go-slug accepts; every other character is literal. */
function globToRegex(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*") {
      if (glob[i + 1] !== "*") {
        out += "[^/]*";
        continue;
      }
      i++;
      if (glob[i + 1] === "/") i++;
      out += i + 1 >= glob.length ? ".*" : "(?:.*/)?";
    } else if (ch === "?") {
      out += "[^/]";
    } else if (ch === "\\" && i + 1 < glob.length) {
      out += escapeRegex(glob[++i]!);
    } else if (ch === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end === -1) {
        out += "\\[";
        continue;
      }
      out += characterClass(glob.slice(i + 1, end));
      i = end;
    } else {
      out += escapeRegex(ch);
    }
  }
  return out;
}

function characterClass(body: string): string {
  const negated = body.startsWith("!") || body.startsWith("^");
  const members = (negated ? body.slice(1) : body).replace(/[\\\]]/g, "\\$&");
  return `[${negated ? "^/" : ""}${members}]`;
}

function escapeRegex(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}
