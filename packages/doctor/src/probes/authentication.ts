import { isTofuOciError } from "@tofu-oci/core";
import { parseChallenge, type Challenge } from "@tofu-oci/core/remote";
import { describeOrigin } from "../credentials.js";
import { fail, failFrom, ok } from "../probe.js";
import type { CredentialsInfo, Facts, Probe } from "../records.js";
import type { DoctorSession } from "../session.js";
import type { Ping } from "./connection.js";

/**
 * `authentication`: the registry's challenge (scheme, realm and its host, token service) and
 * whether the credentials OpenTofu would send (or `-u`/`-p`) get through it: an authenticated
 * `GET /v2/` through core's auth layer, the same flow every tofu-oci command and `tofu init` use.
 */
export async function probeAuthentication(
  session: DoctorSession,
  ping: Ping,
  credentials: CredentialsInfo,
): Promise<Probe> {
  const who = describeOrigin(credentials);
  if (ping.status === 200)
    return ok("authentication", `none asked for GET /v2/; credentials: ${who}`, { facts: { scheme: "none" } });
  const challenge = parseChallenge(ping.challenge);
  if (!challenge) {
    return fail(
      "authentication",
      "unauthorized",
      `${session.registry} answered 401 without a WWW-Authenticate challenge`,
      {
        hint: "The registry (or a proxy in front of it) does not say how to authenticate; check the host and port.",
      },
    );
  }
  const facts = challengeFacts(challenge);
  try {
    // Credentials are picked per repository, as OpenTofu picks them; GET /v2/ needs no scope.
    const repository = session.target.repository || session.target.scratchRepository;
    const response = await session.send("GET", repository, new URL("/v2/", session.baseUrl), { scope: "none" });
    await response.body.dump();
    if (response.status !== 200) {
      return fail(
        "authentication",
        response.status === 401 || response.status === 403 ? "unauthorized" : "network",
        `GET /v2/ with credentials answered HTTP ${response.status}`,
        { facts, hint: refusedHint(session, credentials) },
      );
    }
    return ok("authentication", `${describeChallenge(challenge, facts)}; credentials: ${who}`, {
      facts: { ...facts, tokenStatus: tokenStatus(session, challenge) },
    });
  } catch (error) {
    if (!isTofuOciError(error) || error.code !== "unauthorized") throw error;
    const what =
      credentials.from === "opentofu" && !credentials.source
        ? `${session.registry} requires credentials, and OpenTofu finds none`
        : `${session.registry} rejected the credentials (${who})`;
    return failFrom("authentication", what, error, { facts, hint: refusedHint(session, credentials) });
  }
}

function challengeFacts(challenge: Challenge): Facts {
  const realm = challenge.params.realm ?? null;
  let realmHost: string | null = null;
  try {
    realmHost = realm ? new URL(realm).host : null;
  } catch {
    realmHost = null;
  }
  return { scheme: challenge.scheme, realm, realmHost, service: challenge.params.service ?? null };
}

function describeChallenge(challenge: Challenge, facts: Facts): string {
  if (challenge.scheme === "basic")
    return `Basic${challenge.params.realm ? ` (realm "${challenge.params.realm}")` : ""}`;
  const service = facts.service ? ` for service "${facts.service}"` : "";
  const realm = challenge.params.realm ? challenge.params.realm.split("?")[0] : "no realm";
  if (challenge.scheme !== "bearer") return `${challenge.scheme} (realm ${realm})`;
  return `Bearer token from ${realm}${service}`;
}

/** The status the token service last answered, if this run asked it. */
function tokenStatus(session: DoctorSession, challenge: Challenge): number | null {
  const realm = challenge.params.realm;
  if (challenge.scheme !== "bearer" || !realm) return null;
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    return null;
  }
  const asked = session.observations.filter(
    (seen) => seen.origin === url.origin && seen.path.split("?")[0] === url.pathname,
  );
  return asked.at(-1)?.status ?? null;
}

function refusedHint(session: DoctorSession, credentials: CredentialsInfo): string {
  const host = session.registry;
  const resolve = `tofu-oci auth resolve ${session.target.repository ? `${host}/${session.target.repository}` : host}`;
  if (credentials.from === "flags")
    return `Check the user name and password (or token) given with -u and -p/--password-stdin for ${host}.`;
  if (!credentials.source)
    return `Log in where OpenTofu looks: tofu-oci auth login ${host} -u USER --password-stdin (${resolve} shows the search).`;
  return `Renew or replace the credentials OpenTofu picks (${resolve} shows which entry of which file), e.g. tofu-oci auth login ${host}.`;
}
