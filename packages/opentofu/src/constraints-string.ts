import { usageError } from "@tofu-oci/core";

/**
 * How a clause selects versions, in go-versions' terms (versions/constraints/spec.go): `~>` with
 * three numbers is patch-only, with fewer minor-only (ruby_style.go:123).
 */
type SelectionOp = ">" | ">=" | "=" | "~>patch" | "~>minor" | "<=" | "<" | "!=";

/** One clause with unconstrained numbers as 0 (`VersionSpec.ConstrainToZero`). */
interface Selection {
  op: SelectionOp;
  numbers: [bigint, bigint, bigint];
  prerelease: string;
  metadata: string;
}

// internal/getproviders/types.go:518 versionSelectionsBoundaryPriority.
const PRIORITY: Record<SelectionOp, number> = {
  ">": 1,
  ">=": 2,
  "=": 3,
  "~>patch": 4,
  "~>minor": 5,
  "<=": 6,
  "<": 7,
  "!=": 8,
};
const IDENTIFIERS = "[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*";
const CLAUSE = new RegExp(
  `^(!=|>=|<=|~>|=<|=>|=|>|<)?( ?)(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-(${IDENTIFIERS}))?(?:\\+(${IDENTIFIERS}))?$`,
);
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * The canonical form of a provider's version constraints, as OpenTofu writes `constraints` in
 * `.terraform.lock.hcl` (internal/getproviders/types.go:407 VersionConstraintsString): the clauses
 * of every given constraint string (go-versions ruby_style.go:68 ParseRubyStyleMulti), unconstrained
 * numbers as 0, duplicates removed, sorted by boundary then operator, `~>` written with two numbers
 * when minor-only. "" when there are none.
 * @throws TofuOciError "usage" (exit 2) naming a clause go-versions does not parse.
 */
export function canonicalConstraints(constraints: readonly string[]): string {
  const selections = new Map<string, Selection>();
  for (const text of constraints) {
    for (const selection of parseRubyStyleMulti(text)) selections.set(selectionKey(selection), selection);
  }
  return [...selections.values()].sort(compareSelections).map(formatSelection).join(", ");
}

/** go-versions ruby_style.go:68: comma-separated clauses; blank input has none. */
function parseRubyStyleMulti(text: string): Selection[] {
  if (text.trim() === "") return [];
  return text.split(",").map((part) => parseClause(part.trim(), text));
}

function parseClause(clause: string, text: string): Selection {
  const match = CLAUSE.exec(clause);
  if (!match) throw badConstraint(text, `"${clause}" is not a version clause`);
  const [, op = "", space, major, minor, patch, prerelease = "", metadata = ""] = match;
  if (op === "=<" || op === "=>")
    throw badConstraint(text, `invalid constraint operator "${op}"; did you mean "${op === "=<" ? "<=" : ">="}"?`);
  if (space && !op) throw badConstraint(text, "extraneous spaces at start of specification");
  const numbers = [major, minor, patch].map((n) => BigInt(n ?? "0")) as [bigint, bigint, bigint];
  if (numbers.some((n) => n > UINT64_MAX)) throw badConstraint(text, `"${clause}" has a number too large`);
  const given = [major, minor, patch].filter((n) => n !== undefined).length;
  const selectionOp: SelectionOp =
    op === "~>" ? (given === 3 ? "~>patch" : "~>minor") : op === "" ? "=" : (op as SelectionOp);
  return { op: selectionOp, numbers, prerelease, metadata };
}

function selectionKey({ op, numbers, prerelease, metadata }: Selection): string {
  return `${op} ${numbers.join(".")}-${prerelease}+${metadata}`;
}

/** types.go:450: boundary first (types.go:538 versionSelectionBoundaryCompare), then operator priority. */
function compareSelections(a: Selection, b: Selection): number {
  return compareBoundaries(a, b) || PRIORITY[a.op] - PRIORITY[b.op];
}

function compareBoundaries(a: Selection, b: Selection): number {
  for (let i = 0; i < 3; i++) {
    if (a.numbers[i] !== b.numbers[i]) return a.numbers[i]! < b.numbers[i]! ? -1 : 1;
  }
  if (a.prerelease !== b.prerelease) {
    // go-versions versions/version.go:62 LessThan: a release sorts after its prereleases.
    if (a.prerelease === "") return 1;
    if (b.prerelease === "") return -1;
    return extraLessThan(a.prerelease, b.prerelease) ? -1 : 1;
  }
  // Build metadata does not order versions; OpenTofu uses it only to pick some order (types.go:562).
  if (a.metadata === b.metadata) return 0;
  return extraLessThan(a.metadata, b.metadata) ? -1 : 1;
}

/**
 * go-versions versions/version.go:154 VersionExtra.LessThan: dot-separated parts compared in turn,
 * but a string with fewer parts comes first as soon as one runs out of dots; numeric parts before
 * alphanumeric ones, numbers by length then text.
 */
function extraLessThan(a: string, b: string): boolean {
  let [s1, s2] = [a, b];
  for (;;) {
    const [d1, d2] = [s1.indexOf("."), s2.indexOf(".")];
    if (d1 === -1 && d2 !== -1) return true;
    if (d2 === -1 && d1 !== -1) return false;
    if (d1 === -1) return partLessThan(s1, s2);
    const [p1, p2] = [s1.slice(0, d1), s2.slice(0, d2)];
    if (p1 !== p2) return partLessThan(p1, p2);
    [s1, s2] = [s1.slice(d1 + 1), s2.slice(d2 + 1)];
  }
}

function partLessThan(a: string, b: string): boolean {
  const [n1, n2] = [/^\d*$/.test(a), /^\d*$/.test(b)];
  if (n1 !== n2) return n1;
  if (n1 && a.length !== b.length) return a.length < b.length;
  return a < b;
}

/** types.go:461: the operator, then major.minor for minor-only `~>`, else major.minor.patch. */
function formatSelection({ op, numbers, prerelease, metadata }: Selection): string {
  const symbol = op === "=" ? "" : `${op.startsWith("~>") ? "~>" : op} `;
  const version = op === "~>minor" ? `${numbers[0]}.${numbers[1]}` : numbers.join(".");
  return `${symbol}${version}${prerelease ? `-${prerelease}` : ""}${metadata ? `+${metadata}` : ""}`;
}

function badConstraint(text: string, problem: string) {
  return usageError(
    `invalid version constraint "${text}": ${problem}`,
    'Write OpenTofu constraints such as "1.2.0", "~> 1.2", ">= 1.0, < 2.0" or "!= 1.3.0".',
  );
}
