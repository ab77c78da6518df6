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
    const detail = String((error as Error)?.message ?? error).replace(/^Error: /, "").replace(/^parse config: /, "");
    throw invalidInput(`${filename} is not valid HCL: ${detail}`, "Fix the syntax, or delete the file and run tofu init to write it again.", error);
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
