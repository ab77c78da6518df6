import { readFile } from "node:fs/promises";
import { invalidInput } from "./errors.js";

/**
 * What a registry accepts: Basic username/password, an OAuth2 refresh token
 * (docker's `identitytoken`), or a bearer access token used as is.
 */
export interface Credential {
  username?: string;
  password?: string;
  refreshToken?: string;
  accessToken?: string;
}

/**
 * Finds the credential for a repository. Returns undefined for anonymous access.
 * @tofu-oci/auth provides the OpenTofu-identical implementation.
 */
export type CredentialProvider = (registry: string, repository: string) => Promise<Credential | undefined>;

/** A credential provider that never has credentials. */
export const anonymous: CredentialProvider = async () => undefined;

/** The same credential for every registry, as `-u/-p` gives. */
export function staticCredentials(credential: Credential): CredentialProvider {
  return async () => credential;
}

/**
 * Credentials from one docker-style config.json (`auths` entries only; helpers are the job of
 * @tofu-oci/auth). Missing file means anonymous.
 */
export function dockerConfigCredentials(path: string): CredentialProvider {
  let loaded: Promise<Record<string, Credential>> | undefined;
  return async (registry) => {
    loaded ??= loadAuths(path);
    return (await loaded)[registry];
  };
}

async function loadAuths(path: string): Promise<Record<string, Credential>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  let config: { auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }> };
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw invalidInput(`${path} is not valid JSON`, "Fix the registry config file or point --registry-config elsewhere.", error);
  }
  const result: Record<string, Credential> = {};
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    const host = key.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
    result[host] = entryCredential(entry);
  }
  return result;
}

function entryCredential(entry: { auth?: string; username?: string; password?: string; identitytoken?: string }): Credential {
  if (entry.identitytoken) return { refreshToken: entry.identitytoken, ...(entry.username ? { username: entry.username } : {}) };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return { username: entry.username ?? "", password: entry.password ?? "" };
}
