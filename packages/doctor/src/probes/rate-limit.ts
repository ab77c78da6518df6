import { ok, warn } from "../probe.js";
import type { Probe } from "../records.js";
import type { DoctorSession } from "../session.js";

// Docker Hub's pull limit (dockerhub-ratelimit-headers) and the X-RateLimit-* convention; docker-ratelimit-source
// (the client's address) is not worth printing.
const LIMIT_HEADERS = [
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
];

/**
 * `rate-limit`: the rate-limit headers in any answer of the run (the last value of each) and the
 * 429 answers core's retry layer had to wait out (docs/contract/registry-quirks.md, section 7).
 */
export function probeRateLimit(session: DoctorSession): Probe {
  const seen = session.observations;
  const values: Record<string, string> = {};
  for (const observation of seen) {
    for (const name of LIMIT_HEADERS) {
      const value = observation.headers[name];
      if (value !== undefined) values[name] = value;
    }
  }
  const throttled = seen.filter((observation) => observation.status === 429);
  const headers = Object.entries(values).map(([name, value]) => `${name}: ${value}`);
  const facts = { ...values, throttled: throttled.length };
  const listed = headers.length > 0 ? headers.join(", ") : `no rate-limit headers in ${seen.length} answers`;
  const pullLimit = values["ratelimit-limit"] ? " (Docker Hub's pull limit: manifest GETs count, HEADs do not)" : "";
  if (throttled.length > 0) {
    const retryAfter = throttled.map((observation) => observation.headers["retry-after"]).find(Boolean);
    return warn(
      "rate-limit",
      `${throttled.length} answer(s) were 429 Too Many Requests${retryAfter ? ` (Retry-After: ${retryAfter})` : ""}; ${listed}${pullLimit}`,
      {
        facts,
        hint: "Authenticate (anonymous limits are lowest), lower --concurrency, or wait for the window to pass.",
      },
    );
  }
  return ok("rate-limit", `${listed}${pullLimit}`, { facts });
}
