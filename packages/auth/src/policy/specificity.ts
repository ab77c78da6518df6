/**
 * How closely a credentials source matches a repository (docs/contract/auth/spec.md §6.3):
 * None (0) < Global (1) < Domain (2) < Repository(k) (2 + k).
 */
export type Specificity = number;

export const NO_MATCH: Specificity = 0;
export const GLOBAL: Specificity = 1;
export const DOMAIN: Specificity = 2;

/** The specificity of a prefix with `segments` repository path segments. */
export function repositorySpecificity(segments: number): Specificity {
  return DOMAIN + segments;
}

/** `none`, `global`, `domain` or `repository:N`, as the conformance cases write it. */
export function formatSpecificity(specificity: Specificity): string {
  if (specificity <= NO_MATCH) return "none";
  if (specificity === GLOBAL) return "global";
  if (specificity === DOMAIN) return "domain";
  return `repository:${specificity - DOMAIN}`;
}
