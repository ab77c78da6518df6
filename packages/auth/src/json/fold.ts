/**
 * Go's `strings.EqualFold` for the ASCII names OpenTofu matches case-insensitively: besides
 * ASCII case, U+017F (long s) folds to "s" and U+212A (Kelvin sign) to "k", as in Go's simple
 * Unicode folding. Used for docker config properties (docs/contract/auth/spec.md §5) and HCL 1 arguments (§3.1).
 */
export function equalFold(a: string, b: string): boolean {
  return fold(a) === fold(b);
}

function fold(text: string): string {
  return text.replaceAll("\u017f", "s").replaceAll("\u212a", "k").toLowerCase();
}
