import type { Candidate, CredentialsConfig, CredentialsSource } from "./credentials-source.js";
import { NO_MATCH } from "./specificity.js";

/** A candidate with what became of it, for `resolve`'s explanation. */
export type ConsideredCandidate = Candidate & {
  location: string;
  outcome: "selected" | "less specific" | "tie: an earlier one wins" | "error";
};

export interface Selection {
  considered: ConsideredCandidate[];
  /** The winner, or undefined for "no credentials" (anonymous). */
  selected?: CredentialsSource;
  /** `from <location>: <error>` for each error candidate; fatal only when something is selected. */
  errors: string[];
}

/**
 * Picks the credentials source for a repository (docs/contract/auth/spec.md §7.2): the first strictly most specific
 * candidate in config order wins; errors are collected for the caller to judge.
 */
export function selectSource(configs: CredentialsConfig[], registry: string, repository: string): Selection {
  const considered: ConsideredCandidate[] = [];
  const errors: string[] = [];
  let best: ConsideredCandidate | undefined;
  for (const config of configs) {
    for (const candidate of config.candidates(registry, repository)) {
      const entry: ConsideredCandidate = { ...candidate, location: config.location, outcome: "less specific" };
      considered.push(entry);
      if (candidate.error !== undefined) {
        entry.outcome = "error";
        errors.push(`from ${config.location}: ${candidate.error}`);
      } else if (candidate.source.specificity > (best?.source?.specificity ?? NO_MATCH)) {
        best = entry;
      }
    }
  }
  for (const entry of considered) {
    if (entry === best) entry.outcome = "selected";
    else if (entry.source && best?.source && entry.source.specificity === best.source.specificity)
      entry.outcome = "tie: an earlier one wins";
  }
  return best?.source ? { considered, selected: best.source, errors } : { considered, errors };
}
