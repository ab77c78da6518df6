import { describeCredentials, resolve, type AuthEffects } from "@tofu-oci/auth";
import type { CredentialsInfo } from "./records.js";
import type { DoctorTarget } from "./target.js";

/** Where the run's credentials come from: given (`-u`/`-p`, or by a library caller), or OpenTofu's own search. */
export interface CredentialsOrigin {
  /** `flags`: the credentials given (`-u`/`-p` or a library caller); `opentofu`: OpenTofu's own search. */
  from: "flags" | "opentofu";
  /** The `-u` user name, with `from: "flags"`. */
  username?: string;
  /** A docker-style config.json used instead of OpenTofu's search (`--registry-config`). */
  registryConfig?: string;
}

/**
 * Explains where the credentials for REF's repository come from, exactly as `tofu-oci auth
 * resolve` does (OpenTofu's selection, credential helpers run as OpenTofu runs them), without
 * secrets. Runs before any registry request.
 * @throws CredentialsError (exit 6) for a CLI configuration `tofu init` would refuse.
 */
export async function explainCredentials(
  target: DoctorTarget,
  origin: CredentialsOrigin,
  effects: AuthEffects,
): Promise<CredentialsInfo> {
  if (origin.from === "flags") return { from: "flags", username: origin.username ?? "" };
  const reference = target.repository ? `${target.registry}/${target.repository}` : target.registry;
  const record = await resolve(
    { reference, ...(origin.registryConfig ? { registryConfig: origin.registryConfig } : {}) },
    effects,
  );
  const prefix = `${reference}: `;
  const answer = describeCredentials(record).split("\n")[0] ?? "";
  return {
    from: "opentofu",
    source: record.source,
    entry: record.entry,
    sourceKind: record.sourceKind,
    specificity: record.specificity,
    ...(record.helper ? { helper: record.helper } : {}),
    ...(record.username !== undefined ? { username: record.username } : {}),
    anonymous: record.anonymous,
    explanation: answer.startsWith(prefix) ? answer.slice(prefix.length) : answer,
    warnings: record.warnings,
  };
}

/** One line for the report: who the requests went as. */
export function describeOrigin(info: CredentialsInfo): string {
  if (info.from === "flags")
    return info.username ? `user ${info.username}, given with -u/-p` : "the ones given with -u/-p";
  const how = "OpenTofu's search, as tofu-oci auth resolve explains";
  if (!info.source) return `none (${how}: no entry matches)`;
  return `${info.explanation}${info.anonymous ? ", which gives none" : ""} (${how})`;
}
