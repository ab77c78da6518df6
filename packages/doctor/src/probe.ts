import { isRegistryError, isTofuOciError, type ErrorCode } from "@tofu-oci/core";
import { errorWords } from "./registry-words.js";
import type { Facts, Probe, ProbeId } from "./records.js";

/** The extras of a probe result. */
export interface ProbeDetails {
  words?: string | undefined;
  hint?: string | undefined;
  facts?: Facts | undefined;
}

/** A probe that found what works. */
export function ok(id: ProbeId, summary: string, details: ProbeDetails = {}): Probe {
  return withDetails({ id, status: "ok", summary }, details);
}

/** A probe that found something missing or limited that tofu-oci copes with. */
export function warn(id: ProbeId, summary: string, details: ProbeDetails = {}): Probe {
  return withDetails({ id, status: "warn", summary }, details);
}

/** A probe that found why OpenTofu cannot install from here; `code` gives the exit code. */
export function fail(id: ProbeId, code: ErrorCode, summary: string, details: ProbeDetails = {}): Probe {
  return withDetails({ id, status: "fail", code, summary }, details);
}

/** A probe that did not run, and why. */
export function skip(id: ProbeId, reason: string): Probe {
  return { id, status: "skip", summary: reason };
}

/** A failed probe for a thrown error: its words, its hint, and the code it stands for. */
export function failFrom(id: ProbeId, what: string, error: unknown, details: ProbeDetails = {}): Probe {
  const hint = details.hint ?? (isTofuOciError(error) ? error.hint : undefined);
  return fail(id, codeOf(error), `${what}: ${isRegistryError(error) ? `HTTP ${error.status}` : errorWords(error)}`, {
    ...details,
    ...(isRegistryError(error) ? { words: errorWords(error) } : {}),
    hint,
  });
}

/** A warning for a thrown error, in a probe that installing does not depend on. */
export function warnFrom(id: ProbeId, what: string, error: unknown, details: ProbeDetails = {}): Probe {
  const { code: _code, ...failed } = failFrom(id, what, error, details);
  return { ...failed, status: "warn" };
}

/**
 * The error code a failure stands for: a registry's 401 or 403 is about credentials (exit 4);
 * another 4xx refused what was sent (exit 1: a check failed); a 429, a 5xx or a lost connection
 * is the network (exit 5).
 */
export function codeOf(error: unknown): ErrorCode {
  if (isRegistryError(error)) {
    if (error.status === 401 || error.status === 403) return "unauthorized";
    if (error.status >= 400 && error.status < 500 && error.status !== 429) return "verification-failed";
    return "network";
  }
  return isTofuOciError(error) ? error.code : "internal";
}

function withDetails(probe: Probe, details: ProbeDetails): Probe {
  if (details.words) probe.words = details.words;
  if (details.hint) probe.hint = details.hint;
  if (details.facts) probe.facts = details.facts;
  return probe;
}
