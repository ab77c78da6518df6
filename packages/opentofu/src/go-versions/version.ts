import { goQuote } from "@tofu-oci/core/go";

/**
 * A version as github.com/apparentlymart/go-versions v1.0.3 holds it (versions/version.go):
 * three uint64 numbers (bigint here, since they may exceed 2^53), prerelease and metadata.
 */
export interface GoVersion {
  /** The major number (a uint64). */
  major: bigint;
  /** The minor number (a uint64). */
  minor: bigint;
  /** The patch number (a uint64). */
  patch: bigint;
  /** The part after `-`, e.g. `beta.1`; "" for a release. */
  prerelease: string;
  /** The build metadata after `+`; "" when none. */
  metadata: string;
}

/** The outcome of `versions.ParseVersion`: a version, an error, or the panic it raises. */
export type ParseVersionResult =
  | { ok: true; version: GoVersion }
  | { ok: false; panic: false; error: string }
  | { ok: false; panic: true; error: string };

const UINT64_MAX = (1n << 64n) - 1n;
const SPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]);

interface RawConstraint {
  op: string;
  sep: string;
  nums: string[];
  numCt: number;
  pre: string;
  meta: string;
  extra: string;
}

/**
 * `versions.ParseVersion` (versions/parse.go:15): `constraints.ParseExactVersion`
 * (constraints/version.go:14) over the ragel scanner of constraints/raw_scan.rl. Numbers may have
 * leading zeros (`01` is 1); missing minor and patch numbers are 0; a number too large for uint64
 * makes `strconv.ParseUint` fail and go-versions panics (constraints/raw.go:53-58).
 */
export function parseGoVersion(text: string): ParseVersionResult {
  if (text.trim() === "") return fail("empty specification");
  const raw = scanConstraint(text);
  const opError = checkOperator(raw);
  if (opError) return fail(opError);
  if (raw.extra !== "") return fail(remainError(text, raw.extra));
  if (raw.numCt > 3) return fail("too many numbered portions; only three are allowed (major, minor, patch)");
  const nums = [0, 1, 2].map((i) => (i < raw.numCt ? raw.nums[i]! : "0"));
  const wildcard = nums.findIndex((num) => num === "*" || num === "x" || num === "X");
  if (wildcard !== -1)
    return fail(`can't use wildcard for ${["major", "minor", "patch"][wildcard]} number; an exact version is required`);
  const values: bigint[] = [];
  for (const num of nums) {
    const value = BigInt(num);
    if (value > UINT64_MAX)
      return { ok: false, panic: true, error: `strconv.ParseUint: parsing ${goQuote(num)}: value out of range` };
    values.push(value);
  }
  const [major, minor, patch] = values as [bigint, bigint, bigint];
  return { ok: true, version: { major, minor, patch, prerelease: raw.pre, metadata: raw.meta } };
}

/** `Version.String` (versions/version.go): `MAJOR.MINOR.PATCH[-PRE][+META]`. */
export function formatGoVersion(version: GoVersion): string {
  let text = `${version.major}.${version.minor}.${version.patch}`;
  if (version.prerelease !== "") text += `-${version.prerelease}`;
  if (version.metadata !== "") text += `+${version.metadata}`;
  return text;
}

function fail(error: string): ParseVersionResult {
  return { ok: false, panic: false, error };
}

function checkOperator(raw: RawConstraint): string | undefined {
  const op = raw.op.trim();
  if ([">", ">=", "<", "<=", "!", "!=", "~>", "^", "~"].includes(op)) {
    return `can't use constraint operator ${goQuote(raw.op)}; an exact version is required`;
  }
  if (op !== "") return `invalid sequence ${goQuote(raw.op)} at start of specification`;
  if (raw.sep === "") return undefined;
  return raw.sep.includes("v") ? 'a "v" prefix should not be used' : "extraneous spaces at start of specification";
}

function remainError(text: string, extra: string): string {
  const remain = extra.trim();
  if (remain === "") return "extraneous spaces at end of specification";
  if (text.startsWith("v")) return 'a "v" prefix should not be used';
  if (remain.startsWith(",") || remain.startsWith("|"))
    return "can't specify multiple versions; a single exact version is required";
  if (remain.startsWith("-")) return "can't specify version range; a single exact version is required";
  if (text.trim().startsWith(remain))
    return "invalid specification; required format is three positive integers separated by periods";
  return `invalid characters ${goQuote(remain)}`;
}

/**
 * The ragel machine `op sep nums pre? meta?` of constraints/raw_scan.rl:75-87, over bytes: the
 * first byte it cannot take starts `extra`; a token cut short by the end of input is dropped.
 */
function scanConstraint(text: string): RawConstraint {
  const data = Buffer.from(text, "utf8");
  const raw: RawConstraint = { op: "", sep: "", nums: [], numCt: 0, pre: "", meta: "", extra: "" };
  let p = 0;
  const take = (accept: (c: number) => boolean) => {
    const start = p;
    while (p < data.length && accept(data[p]!)) p++;
    return data.subarray(start, p).toString("latin1");
  };
  raw.op = Buffer.from(take(isOpByte), "latin1").toString("utf8");
  raw.sep = take((c) => SPACE.has(c) || c === 0x76);
  for (;;) {
    const num = scanNum(data, p);
    if (num === "") return withExtra(raw, data, p);
    raw.numCt++;
    raw.nums.push(num);
    p += num.length;
    if (data[p] !== 0x2e) break;
    p++;
    if (p === data.length) return raw;
  }
  for (const [marker, field] of [
    [0x2d, "pre"],
    [0x2b, "meta"],
  ] as const) {
    if (data[p] !== marker) continue;
    const value = takeExtra(data, p + 1);
    if (value === "") return p + 1 === data.length ? raw : withExtra(raw, data, p + 1);
    raw[field] = value;
    p += 1 + value.length;
  }
  return withExtra(raw, data, p);
}

function scanNum(data: Uint8Array, at: number): string {
  const c = data[at];
  if (c === 0x2a || c === 0x78 || c === 0x58) return String.fromCharCode(c);
  let end = at;
  while (end < data.length && isDigit(data[end]!)) end++;
  return Buffer.from(data.subarray(at, end)).toString("latin1");
}

function takeExtra(data: Uint8Array, at: number): string {
  let end = at;
  while (end < data.length && (isAlnum(data[end]!) || data[end] === 0x2e || data[end] === 0x2d)) end++;
  return Buffer.from(data.subarray(at, end)).toString("latin1");
}

function withExtra(raw: RawConstraint, data: Uint8Array, at: number): RawConstraint {
  raw.extra = Buffer.from(data.subarray(at)).toString("utf8");
  return raw;
}

function isOpByte(c: number): boolean {
  return !(isAlnum(c) || SPACE.has(c) || c === 0x2e || c === 0x2a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isAlnum(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
