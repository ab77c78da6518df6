import type { Diagnostic, Expr, Value } from "./parse.js";

/** The variables a template sees: strings, or unknown strings (OpenTofu's first, type-only pass). */
export type Variables = Record<string, string | undefined>;

/** An HCL template failed to evaluate; `diagnostic` is hcl's. */
export class TemplateEvalError extends Error {
  /** Always `TemplateEvalError`. */
  override readonly name = "TemplateEvalError";
  /** @param diagnostic The diagnostic as OpenTofu prints it. */
  constructor(readonly diagnostic: Diagnostic) {
    super(`${diagnostic.summary}: ${diagnostic.detail}`);
  }
}

const UNKNOWN_STRING: Value = { kind: "unknown", of: "string" };

/**
 * Evaluates a parsed template the way hclsyntax does with an EvalContext that has only
 * variables and no functions (expression.go, expression_ops.go, expression_template.go). A
 * variable given as `undefined` is an unknown string. Variables the context lacks are
 * "Unknown variable" errors (traversal.go:116).
 * @throws TemplateEvalError with the first error diagnostic.
 */
export function evaluate(expr: Expr, variables: Variables, locals: Record<string, Value> = {}): Value {
  switch (expr.type) {
    case "literal":
      return expr.value;
    case "wrap":
      return evaluate(expr.expr, variables, locals);
    case "template":
      return join(expr.parts.map((part) => evaluate(part, variables, locals)));
    case "variable":
      return variable(expr, variables, locals);
    case "call":
      throw fail("Function calls not allowed", "Functions may not be called here.");
    case "tuple":
      return { kind: "tuple", items: expr.items.map((item) => evaluate(item, variables, locals)) };
    case "unary":
      return unary(expr.op, evaluate(expr.expr, variables, locals));
    case "binary":
      return binary(expr.op, evaluate(expr.left, variables, locals), evaluate(expr.right, variables, locals));
    case "conditional":
      return conditional(expr, variables, locals);
    case "for":
      return forDirective(expr, variables, locals);
  }
}

function variable(
  expr: Extract<Expr, { type: "variable" }>,
  variables: Variables,
  locals: Record<string, Value>,
): Value {
  let value: Value;
  if (Object.hasOwn(locals, expr.name)) value = locals[expr.name]!;
  else if (Object.hasOwn(variables, expr.name)) {
    const given = variables[expr.name];
    value = given === undefined ? UNKNOWN_STRING : { kind: "string", value: given };
  } else throw fail("Unknown variable", `There is no variable named ${JSON.stringify(expr.name)}.`);
  for (const step of expr.steps) {
    if (value.kind === "unknown") return { kind: "unknown", of: "dynamic" };
    if ("attr" in step)
      throw fail("Unsupported attribute", `Can't access attributes on a primitive-typed value (${friendly(value)}).`);
    value = index(value, evaluate(step.index, variables, locals));
  }
  return value;
}

function index(collection: Value, key: Value): Value {
  if (collection.kind !== "tuple") throw fail("Invalid index", "This value does not have any indices.");
  if (key.kind === "unknown") return { kind: "unknown", of: "dynamic" };
  const number = toNumber(key, "Invalid index");
  const item = Number.isInteger(number) ? collection.items[number] : undefined;
  if (!item) throw fail("Invalid index", "The given key does not identify an element in this collection value.");
  return item;
}

/** `TemplateExpr.Value` (expression_template.go:27-100): each part converted to a string. */
function join(parts: Value[]): Value {
  let out = "";
  let known = true;
  for (const part of parts) {
    if (part.kind === "null")
      throw fail(
        "Invalid template interpolation value",
        "The expression result is null. Cannot include a null value in a string template.",
      );
    if (part.kind === "unknown") {
      known = false;
      continue;
    }
    if (part.kind === "tuple")
      throw fail(
        "Invalid template interpolation value",
        "Cannot include the given value in a string template: string required.",
      );
    out += toText(part);
  }
  return known ? { kind: "string", value: out } : UNKNOWN_STRING;
}

/** cty's conversion of a primitive to a string: numbers in shortest decimal form, bools as words. */
export function toText(value: Value): string {
  if (value.kind === "string") return value.value;
  if (value.kind === "bool") return String(value.value);
  if (value.kind === "number")
    return Number.isInteger(value.value) && Math.abs(value.value) >= 1e21
      ? BigInt(value.value).toString()
      : String(value.value);
  throw new Error(`no text for ${value.kind}`);
}

function conditional(
  expr: Extract<Expr, { type: "conditional" }>,
  variables: Variables,
  locals: Record<string, Value>,
): Value {
  const cond = evaluate(expr.cond, variables, locals);
  const then = evaluate(expr.whenTrue, variables, locals);
  const otherwise = evaluate(expr.whenFalse, variables, locals);
  if (cond.kind === "null")
    throw fail("Null condition", "The condition value is null. Conditions must either be true or false.");
  if (cond.kind === "unknown")
    return { kind: "unknown", of: then.kind === "string" || otherwise.kind === "string" ? "string" : "dynamic" };
  const truth = toBool(cond, "Incorrect condition type", "The condition expression must be of type bool.");
  return truth ? then : otherwise;
}

function forDirective(
  expr: Extract<Expr, { type: "for" }>,
  variables: Variables,
  locals: Record<string, Value>,
): Value {
  const coll = evaluate(expr.coll, variables, locals);
  if (coll.kind === "null")
    throw fail("Iteration over null value", "A null value cannot be used as the collection in a 'for' expression.");
  if (coll.kind === "unknown") return UNKNOWN_STRING;
  if (coll.kind !== "tuple")
    throw fail(
      "Iteration over non-iterable value",
      `A value of type ${friendly(coll)} cannot be used as the collection in a 'for' expression.`,
    );
  const parts = coll.items.map((item, i) => {
    const scope = { ...locals, [expr.value]: item };
    if (expr.key) scope[expr.key] = { kind: "number", value: i } as Value;
    return evaluate(expr.body, variables, scope);
  });
  return join(parts);
}

function unary(op: "!" | "-", value: Value): Value {
  if (op === "!") {
    if (value.kind === "unknown") return { kind: "unknown", of: "bool" };
    return {
      kind: "bool",
      value: !toBool(value, "Invalid operand", "Unsuitable value for unary operand: a bool is required."),
    };
  }
  if (value.kind === "unknown") return { kind: "unknown", of: "number" };
  return {
    kind: "number",
    value: -toNumber(value, "Invalid operand", "Unsuitable value for unary operand: a number is required."),
  };
}

/** `BinaryOpExpr.Value` (expression_ops.go:140-200): operands converted first, left then right. */
function binary(op: string, left: Value, right: Value): Value {
  if (op === "==" || op === "!=") {
    if (left.kind === "unknown" || right.kind === "unknown") return { kind: "unknown", of: "bool" };
    const same = equal(left, right);
    return { kind: "bool", value: op === "==" ? same : !same };
  }
  if (op === "&&" || op === "||") {
    const a = operand(left, "left", "bool");
    const b = operand(right, "right", "bool");
    if (a === undefined || b === undefined) return { kind: "unknown", of: "bool" };
    return { kind: "bool", value: op === "&&" ? (a as boolean) && (b as boolean) : (a as boolean) || (b as boolean) };
  }
  const a = operand(left, "left", "number") as number | undefined;
  const b = operand(right, "right", "number") as number | undefined;
  if (a === undefined || b === undefined)
    return { kind: "unknown", of: ["<", ">", "<=", ">="].includes(op) ? "bool" : "number" };
  switch (op) {
    case "<":
      return { kind: "bool", value: a < b };
    case ">":
      return { kind: "bool", value: a > b };
    case "<=":
      return { kind: "bool", value: a <= b };
    case ">=":
      return { kind: "bool", value: a >= b };
    case "+":
      return { kind: "number", value: a + b };
    case "-":
      return { kind: "number", value: a - b };
    case "*":
      return { kind: "number", value: a * b };
    case "/":
      if (b === 0) throw fail("Operation failed", "Error during operation: can't divide by zero.");
      return { kind: "number", value: a / b };
    default:
      if (b === 0) throw fail("Operation failed", "Error during operation: can't use modulo by zero.");
      return { kind: "number", value: a % b };
  }
}

function operand(value: Value, side: "left" | "right", want: "bool" | "number"): boolean | number | undefined {
  if (value.kind === "unknown") return undefined;
  const detail = `Unsuitable value for ${side} operand: a ${want} is required.`;
  return want === "bool" ? toBool(value, "Invalid operand", detail) : toNumber(value, "Invalid operand", detail);
}

function toBool(value: Value, summary: string, detail: string): boolean {
  if (value.kind === "bool") return value.value;
  if (value.kind === "string" && (value.value === "true" || value.value === "false")) return value.value === "true";
  throw fail(summary, detail);
}

function toNumber(value: Value, summary: string, detail = "Unsuitable value: a number is required."): number {
  if (value.kind === "number") return value.value;
  if (value.kind === "string" && /^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(value.value))
    return Number(value.value);
  throw fail(summary, detail);
}

function equal(a: Value, b: Value): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "tuple" && b.kind === "tuple")
    return a.items.length === b.items.length && a.items.every((item, i) => equal(item, b.items[i]!));
  return a.kind === "null" || ("value" in a && "value" in b && a.value === b.value);
}

function friendly(value: Value): string {
  return value.kind === "tuple" ? "tuple" : value.kind;
}

function fail(summary: string, detail: string): TemplateEvalError {
  return new TemplateEvalError({ summary, detail });
}
