import { MediaType } from "@tofu-oci/core";
import { fail, ok, skip, warn } from "../probe.js";
import type { Probe } from "../records.js";
import { MEDIA_TYPE_HINT, OPENTOFU_TYPES, TYPES_OF, type Installed } from "./install.js";

type Verdict = "accepted" | "refused" | "untested";

/**
 * `media-types`: which of OpenTofu's types the registry accepted (the scratch module's and
 * provider's manifests carry them all) and the OCI 1.1 fields: `artifactType` and the empty
 * config (the module manifest), `subject` (the SBOM attached to it). A type counts as refused only
 * where the registry's words name it.
 */
export function probeMediaTypes(
  module: Installed | undefined,
  provider: Installed | undefined,
  subjectAccepted: boolean | null,
): Probe {
  if (!module && !provider) return skip("media-types", "needs the scratch pushes");
  const verdicts = new Map<string, Verdict>();
  for (const [kind, installed] of [
    ["module", module],
    ["provider", provider],
  ] as const) {
    for (const type of TYPES_OF[kind]) {
      if (installed?.pushed) verdicts.set(type, "accepted");
      else if (installed?.refusedTypes.includes(type)) verdicts.set(type, "refused");
      else if (!verdicts.has(type)) verdicts.set(type, "untested");
    }
  }
  const types = [...OPENTOFU_TYPES].map((type) => [type, verdicts.get(type) ?? "untested"] as const);
  const fields = {
    artifactType: module?.pushed ? "accepted" : "untested",
    emptyConfig: verdicts.get(MediaType.empty) === "refused" ? "refused" : module?.pushed ? "accepted" : "untested",
    subject: subjectAccepted === null ? "untested" : subjectAccepted ? "accepted" : "refused",
  } as const;
  const facts = {
    ...Object.fromEntries(types),
    ...Object.fromEntries(Object.entries(fields).map(([field, verdict]) => [`field:${field}`, verdict])),
  };
  const list = (verdict: Verdict) => types.filter(([, v]) => v === verdict).map(([type]) => type);
  const fieldList = Object.entries(fields)
    .map(([field, verdict]) => `${field} ${verdict}`)
    .join(", ");
  const refused = list("refused");
  const words = module?.refusedTypes.length ? module.words : provider?.words;
  if (refused.length > 0) {
    return fail(
      "media-types",
      "verification-failed",
      `the registry refuses ${refused.join(", ")}${list("accepted").length ? `; accepts ${list("accepted").join(", ")}` : ""}`,
      {
        facts,
        ...(words ? { words } : {}),
        hint: MEDIA_TYPE_HINT,
      },
    );
  }
  const untested = list("untested");
  const summary = `accepted: ${list("accepted").join(", ") || "none"}${untested.length ? `; untested: ${untested.join(", ")}` : ""}; OCI 1.1: ${fieldList}`;
  return untested.length > 0 || fields.subject === "refused"
    ? warn("media-types", summary, { facts })
    : ok("media-types", summary, { facts });
}
