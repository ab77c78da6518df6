import { invalidInput } from "@tofu-oci/core";

/**
 * Parses HCL native syntax into hcl2json's JSON shape: blocks become `{type: {label: [body]}}`,
 * literal strings stay strings, and any other expression becomes a `"${...}"` template string.
 * The only place that knows about @cdktf/hcl2json, so it can be swapped (terraform-cdk is in
 * maintenance).
 * @throws TofuOciError "invalid-input" (exit 6) with the parser's diagnostics.
 */
export async function parseHcl(filename: string, text: string): Promise<Record<string, unknown>> {
  const { parse } = await import("@cdktf/hcl2json");
  try {
    return (await parse(filename, text)) as Record<string, unknown>;
  } catch (error) {
    const detail = String((error as Error)?.message ?? error)
      .replace(/^Error: /, "")
      .replace(/^parse config: /, "");
    throw invalidInput(
      `${filename} is not valid HCL: ${detail}`,
      "Fix the syntax, or delete the file and run tofu init to write it again.",
      error,
    );
  }
}

/**
 * The literal value of a string as hcl2json returns it, or undefined when it was an expression
 * (`${...}` interpolation or `%{...}` directive). `$${` and `%%{` are escapes for literal text.
 */
export function literalString(value: string): string | undefined {
  if (/(^|[^$])\$\{/.test(value) || /(^|[^%])%\{/.test(value)) return undefined;
  return value.replaceAll("$${", "${").replaceAll("%%{", "%{");
}

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

/**
 * A string as a quoted HCL literal, exactly as hclwrite writes a `cty.String`
 * (hashicorp/hcl v2 hclwrite/generate.go:350 escapeQuotedStringLit): NFC-normalized (cty does),
 * `\n \r \t \" \\` escaped, `${` and `%{` doubled, and characters Go's `unicode.IsPrint` rejects
 * as `\uXXXX` or `\UXXXXXXXX`.
 */
export function quoteHclString(value: string): string {
  const text = value.normalize("NFC");
  let out = '"';
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i)!;
    const char = String.fromCodePoint(code);
    i += char.length;
    out += escapeChar(char, code, text[i]);
  }
  return `${out}"`;
}

function escapeChar(char: string, code: number, next: string | undefined): string {
  switch (char) {
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
    case "\t":
      return "\\t";
    case '"':
      return '\\"';
    case "\\":
      return "\\\\";
    case "$":
    case "%":
      return next === "{" ? char + char : char;
  }
  if (PRINTABLE.test(char)) return char;
  return code < 0x10000 ? `\\u${code.toString(16).padStart(4, "0")}` : `\\U${code.toString(16).padStart(8, "0")}`;
}
