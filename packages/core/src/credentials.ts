/**
 * What a registry accepts: Basic username/password, an OAuth2 refresh token
 * (docker's `identitytoken`), or a bearer access token used as is.
 */
export interface Credential {
  /** The user name for basic auth or for the token endpoint. */
  username?: string;
  /** The password. A secret: never printed or logged. */
  password?: string;
  /** An OAuth2 refresh token (docker's `identitytoken`), exchanged at the token endpoint. A secret. */
  refreshToken?: string;
  /** A bearer token sent as is (docker's `registrytoken`). A secret. */
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
