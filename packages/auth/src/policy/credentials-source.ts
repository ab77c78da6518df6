import type { Specificity } from "./specificity.js";

/** What kind of credentials a source gives (conformance `sourceKind`). */
export type SourceKind = "static-basic" | "static-oauth" | "helper";

/**
 * One way to get credentials for a repository, as OpenTofu's `CredentialsSource`: static
 * values, or "run helper X for server URL Y", at some specificity.
 */
export interface CredentialsSource {
  /** Static user name and password, static OAuth tokens, or a credential helper. */
  kind: SourceKind;
  /** How well it matches the repository; the most specific source wins. */
  specificity: Specificity;
  /** The config it came from: `explicit oci_credentials "x" block`, `oci_default_credentials block` or a file path. */
  location: string;
  /** Which entry of that config, for explanations: e.g. `auths "example.com/foo"`, `credsStore`. */
  entry: string;
  /** The static user name, for `static-basic`. */
  username?: string;
  /** The static password, for `static-basic`. A secret: never printed. */
  password?: string;
  /** The static access token, for `static-oauth`. A secret: never printed. */
  accessToken?: string;
  /** The static refresh token, for `static-oauth`. A secret: never printed. */
  refreshToken?: string;
  /** The helper name (`docker-credential-<helper>`), for `helper`. */
  helper?: string;
  /** `https://` + the queried registry domain, exactly what the helper gets on stdin. */
  serverURL?: string;
}

/** One thing a config yields for a query: a source, or an error that counts only if something is selected. */
export type Candidate =
  | { source: CredentialsSource; error?: undefined }
  | { source?: undefined; error: string; entry: string };

/** A credentials config: one explicit block, the global helper, or one docker-style file (docs/contract/auth/spec.md §7.1). */
export interface CredentialsConfig {
  location: string;
  candidates(registry: string, repository: string): Candidate[];
}

/** A helper source for the queried domain. */
export function helperSource(
  helper: string,
  registry: string,
  specificity: Specificity,
  location: string,
  entry: string,
): CredentialsSource {
  return { kind: "helper", specificity, location, entry, helper, serverURL: `https://${registry}` };
}
