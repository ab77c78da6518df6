import { fromByteString, parseRepositoryAddressPrefix, toByteString } from "@tofu-oci/core/go";
import { evaluate, TemplateEvalError, toText } from "./evaluate.js";
import { type Diagnostic, type Expr, parseTemplate, TemplateSyntaxError } from "./parse.js";
import { parseProviderPatterns, type ProviderPattern } from "../provider-patterns.js";

/** A provider source address as the template sees it. */
export interface TemplateProvider {
  /** The value of `${hostname}`: the provider's registry host. */
  hostname: string;
  /** The value of `${namespace}`. */
  namespace: string;
  /** The value of `${type}`. */
  type: string;
}

/** The outcome of {@link checkRepositoryTemplate}: the parsed template, or OpenTofu's diagnostics. */
export type TemplateCheck =
  | { ok: true; template: Expr; variables: Set<string> }
  | { ok: false; diagnostics: Diagnostic[] };

const SYMBOLS = ["hostname", "namespace", "type"] as const;
const EXAMPLE: TemplateProvider = { hostname: "example.com", namespace: "example-namespace", type: "example-type" };
const INVALID = "Invalid oci_mirror repository template";

/**
 * Checks an `oci_mirror` `repository_template` exactly as OpenTofu v1.12.6 loads the CLI
 * configuration (internal/command/cliconfig/provider_installation.go:371-525): HCL template
 * syntax, only the symbols hostname, namespace and type, each one that `include` does not pin to
 * a single value referenced, a first evaluation with unknown strings for type errors, then the
 * example provider example.com/example-namespace/example-type, whose result must parse as an OCI
 * repository address prefix. `include` patterns are `HOST/NAMESPACE/TYPE` with `*` wildcards
 * (invalid patterns skip these checks in OpenTofu too). `position` is what OpenTofu prints for
 * the block (HCL 1 `L:C`).
 */
export function checkRepositoryTemplate(
  text: string,
  options: { include?: string[]; position?: string } = {},
): TemplateCheck {
  const at = `Invalid oci_mirror block at ${options.position ?? "<position>"}`;
  if (text === "")
    return {
      ok: false,
      diagnostics: [
        {
          summary: "Invalid provider_installation method block",
          detail: `${at}: "repository_template" argument is required.`,
        },
      ],
    };
  let template: Expr;
  try {
    template = parseTemplate(text);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return { ok: false, diagnostics: [error.diagnostic] };
    throw error;
  }
  const used = rootNames(template);
  const diagnostics: Diagnostic[] = used
    .filter((name) => !(SYMBOLS as readonly string[]).includes(name))
    .map((name) => ({
      summary: INVALID,
      detail: `${at}: the symbol ${JSON.stringify(name)} is not available for an OCI mirror repository address template. Only "hostname", "namespace", and "type" are available.`,
    }));
  diagnostics.push(...missingSymbols(new Set(used), options.include ?? [], at));
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  const typeCheck = attempt(() => evaluate(template, { hostname: undefined, namespace: undefined, type: undefined }));
  if ("diagnostic" in typeCheck) return { ok: false, diagnostics: [typeCheck.diagnostic] };
  const example = expandRepositoryTemplate(template, EXAMPLE, at);
  if (!example.ok) {
    const diagnostic = "diagnostic" in example ? example.diagnostic : generic(at);
    return { ok: false, diagnostics: [diagnostic] };
  }
  return { ok: true, template, variables: new Set(used) };
}

/**
 * The repository for one provider (`evalOCIProviderMirrorRepositoryTemplate` then
 * `ociauthconfig.ParseRepositoryAddressPrefix`, repository_addr.go:27-62): the result converted
 * to a string (a single `${...}` keeps its type: numbers and bools convert, null and tuples fail),
 * then `REGISTRY/REPOSITORY` parsed by ORAS with no tag or digest, or a bare registry.
 */
export function expandRepositoryTemplate(
  template: Expr,
  provider: TemplateProvider,
  at = "Invalid oci_mirror block at <position>",
):
  | { ok: true; text: string; registry: string; repository: string }
  | { ok: false; diagnostic: Diagnostic }
  | { ok: false; error: string; text: string } {
  const result = attempt(() => evaluate(template, { ...provider }));
  if ("diagnostic" in result) return { ok: false, diagnostic: result.diagnostic };
  const value = result.value;
  if (value.kind === "null")
    return { ok: false, diagnostic: { summary: INVALID, detail: `${at}: template must not produce a null value.` } };
  if (value.kind === "tuple" || value.kind === "unknown")
    return { ok: false, diagnostic: { summary: INVALID, detail: `${at}: template must produce a string value.` } };
  const text = toText(value);
  const parsed = parseRepositoryAddressPrefix(toByteString(text));
  if ("error" in parsed) return { ok: false, error: fromByteString(parsed.error), text };
  return { ok: true, text, registry: fromByteString(parsed.registry), repository: fromByteString(parsed.repository) };
}

function generic(at: string): Diagnostic {
  return {
    summary: INVALID,
    detail: `${at}: template must generate a valid OCI repository address, including a registry hostname followed by a slash and then a repository name.`,
  };
}

// provider_installation.go:421-470: the include patterns as ParseMultiSourceMatchingPatterns reads
// them (multi_source.go:143-195: two parts take registry.opentofu.org, names normalized); invalid
// patterns skip the check (:424-435), as they fail later anyway.
function missingSymbols(used: Set<string>, include: string[], at: string): Diagnostic[] {
  let patterns: ProviderPattern[];
  try {
    patterns = parseProviderPatterns(include);
  } catch {
    return [];
  }
  const out: Diagnostic[] = [];
  const rules: Array<[keyof ProviderPattern, string, string]> = [
    ["hostname", "hostname", "selects exactly one registry hostname"],
    ["namespace", "namespace", "selects exactly one provider namespace"],
    ["type", "type", "selects exactly one provider"],
  ];
  for (const [part, symbol, what] of rules) {
    const values = new Set(patterns.map((pattern) => pattern[part]).filter((value) => value !== "*"));
    if (values.size !== 1 && !used.has(symbol)) {
      out.push({
        summary: INVALID,
        detail: `${at}: template must refer to the ${JSON.stringify(symbol)} symbol unless the "include" argument ${what}.`,
      });
    }
  }
  return out;
}

/** `Expression.Variables()`: root names of every traversal, in order, without `for` iterators. */
export function rootNames(expr: Expr, scope: Set<string> = new Set()): string[] {
  switch (expr.type) {
    case "literal":
      return [];
    case "variable":
      return [
        ...(scope.has(expr.name) ? [] : [expr.name]),
        ...expr.steps.flatMap((step) => ("index" in step ? rootNames(step.index, scope) : [])),
      ];
    case "wrap":
      return rootNames(expr.expr, scope);
    case "template":
      return expr.parts.flatMap((part) => rootNames(part, scope));
    case "call":
      return expr.args.flatMap((arg) => rootNames(arg, scope));
    case "tuple":
      return expr.items.flatMap((item) => rootNames(item, scope));
    case "unary":
      return rootNames(expr.expr, scope);
    case "binary":
      return [...rootNames(expr.left, scope), ...rootNames(expr.right, scope)];
    case "conditional":
      return [...rootNames(expr.cond, scope), ...rootNames(expr.whenTrue, scope), ...rootNames(expr.whenFalse, scope)];
    case "for": {
      const inner = new Set([...scope, expr.value, ...(expr.key ? [expr.key] : [])]);
      return [...rootNames(expr.coll, scope), ...rootNames(expr.body, inner)];
    }
  }
}

function attempt<T>(run: () => T): { value: T } | { diagnostic: Diagnostic } {
  try {
    return { value: run() };
  } catch (error) {
    if (error instanceof TemplateEvalError) return { diagnostic: error.diagnostic };
    throw error;
  }
}
