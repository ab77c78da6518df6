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
