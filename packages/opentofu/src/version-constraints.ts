import { createRequire } from "node:module";
import type SemVerModule from "semver";
import { usageError } from "@tofu-oci/core";

let loaded: typeof SemVerModule | undefined;

/**
 * semver, required on first use: its index loads ~50 modules (~50 ms of start-up) that push,
 * pack and verify, which import this package for other rules, never need.
 */
function semver(): typeof SemVerModule {
  loaded ??= createRequire(import.meta.url)("semver") as typeof SemVerModule;
  return loaded;
}

/** A parsed OpenTofu version constraint, e.g. `~> 5.0` or `>= 1.2, < 2.0`. */
export interface VersionConstraint {
  /** The constraint as the user wrote it. */
  readonly text: string;
  /** True when `version` (a registry version string) meets every clause. */
  matches(version: string): boolean;
}

type Operator = "=" | "!=" | ">" | ">=" | "<" | "<=" | "~>";

interface Clause {
  operator: Operator;
  version: SemVerModule.SemVer;
  /** How many of major.minor.patch were written: `~>` depends on it. */
  segments: number;
}

const CLAUSE = /^(=|!=|>=|<=|>|<|~>)?\s*v?(\d+(?:\.\d+){0,2})(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/**
 * Parses OpenTofu's version-constraint syntax (comma-separated clauses with `=`, `!=`, `>`,
 * `>=`, `<`, `<=` and `~>`; a bare version means `=`), as the providers and modules
 * commands take after `@`. `~> 1.2` means `>= 1.2.0, < 2.0.0` and `~> 1.2.3` means
 * `>= 1.2.3, < 1.3.0`: internal/getproviders/types.go:163 ParseVersionConstraints, which is
 * apparentlymart/go-versions versions/constraints/ruby_style.go:68 ParseRubyStyleMulti. A
 * prerelease version matches only when a clause names it exactly (go-versions
 * versions/parse.go:48 MeetingConstraints).
 * @throws TofuOciError "usage" (exit 2) naming the clause that is not understood.
 */
export function parseVersionConstraint(text: string): VersionConstraint {
  const parts = text.split(",").map((part) => part.trim());
  if (parts.some((part) => part === "")) throw badConstraint(text, "a clause is empty");
  const clauses = parts.map((part) => parseClause(part, text));
  return { text, matches: (version) => matchesAll(clauses, version) };
}

/**
 * The versions that meet `constraint`, newest first; without one, the newest version that is
 * not a prerelease (OpenTofu's default). Versions that are not semantic versions are ignored.
 */
export function selectVersions(versions: Iterable<string>, constraint?: VersionConstraint): string[] {
  const parsed = [...new Set(versions)].flatMap((text) => {
    const version = parseVersion(text);
    return version ? [{ text, version }] : [];
  });
  parsed.sort((a, b) => semver().rcompare(a.version, b.version));
  if (constraint) return parsed.filter(({ text }) => constraint.matches(text)).map(({ text }) => text);
  const newest = parsed.find(({ version }) => version.prerelease.length === 0);
  return newest ? [newest.text] : [];
}

/**
 * Parses a registry version (`1.2.3`, `v1.2`, `1.0.0-beta1+build`); undefined when it is none.
 * More lenient than `normalizeVersion` (it takes a `v`, as module registries write
 * versions for hashicorp/go-version); provider versions go through `normalizeVersion`.
 */
export function parseVersion(version: string): SemVerModule.SemVer | undefined {
  const match = /^v?(\d+(?:\.\d+){0,2})(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(version.trim());
  if (!match) return undefined;
  return semver().parse(`${padded(match[1]!)}${match[2] ?? ""}${match[3] ?? ""}`) ?? undefined;
}

function parseClause(part: string, text: string): Clause {
  const match = CLAUSE.exec(part);
  if (!match) throw badConstraint(text, `"${part}" is not a version clause`);
  const version = semver().parse(`${padded(match[2]!)}${match[3] ?? ""}${match[4] ?? ""}`);
  if (!version) throw badConstraint(text, `"${part}" has an invalid version`);
  return { operator: (match[1] ?? "=") as Operator, version, segments: match[2]!.split(".").length };
}

function matchesAll(clauses: readonly Clause[], text: string): boolean {
  const version = parseVersion(text);
  if (!version) return false;
  if (!clauses.every((clause) => matchesClause(clause, version))) return false;
  // A prerelease is selected only when it is asked for by name.
  return (
    version.prerelease.length === 0 ||
    clauses.some((clause) => clause.operator !== "!=" && semver().eq(clause.version, version))
  );
}

function matchesClause({ operator, version: wanted, segments }: Clause, version: SemVerModule.SemVer): boolean {
  const order = semver().compare(version, wanted);
  switch (operator) {
    case "=":
      return order === 0;
    case "!=":
      return order !== 0;
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    case "~>":
      return order >= 0 && semver().lt(version, pessimisticLimit(wanted, segments));
  }
}

/** The exclusive upper bound of `~>`: bump the second-to-last written segment. */
function pessimisticLimit(version: SemVerModule.SemVer, segments: number): string {
  if (segments >= 3) return `${version.major}.${version.minor + 1}.0-0`;
  return `${version.major + 1}.0.0-0`;
}

function padded(core: string): string {
  const parts = core.split(".");
  while (parts.length < 3) parts.push("0");
  return parts.map((part) => String(Number(part))).join(".");
}

function badConstraint(text: string, problem: string) {
  return usageError(
    `invalid version constraint "${text}": ${problem}`,
    'Write OpenTofu constraints such as "1.2.0", "~> 1.2", ">= 1.0, < 2.0" or "!= 1.3.0".',
  );
}
