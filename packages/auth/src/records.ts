/** One candidate source in `resolve`'s record, without secrets. */
export interface CandidateRecord {
  location: string;
  entry: string;
  kind?: string;
  specificity?: string;
  helper?: string;
  outcome: string;
  error?: string;
}

/** What `resolve` prints: design.md §2.2's credentials record plus the decision behind it. */
export interface CredentialsRecord {
  kind: "credentials";
  registry: string;
  repository: string;
  /** The config location that won, or null for anonymous access. */
  source: string | null;
  /** The entry within it, e.g. `auths "example.com"`. */
  entry: string | null;
  sourceKind: string | null;
  /** none, global, domain or repository:N. */
  specificity: string;
  helper?: string;
  serverURL?: string;
  username?: string;
  /** Only with --reveal. */
  password?: string;
  accessToken?: string;
  refreshToken?: string;
  anonymous: boolean;
  cliConfigFiles: string[];
  ambient: { mode: string; files: Array<{ path: string; status: string; error?: string }> };
  configLocations: string[];
  candidates: CandidateRecord[];
  warnings: string[];
}

/** What `login` prints. */
export interface LoginRecord {
  kind: "login";
  registry: string;
  username: string;
  /** "file": an `auths` entry; "helper": through a credential helper. */
  store: "file" | "helper";
  file?: string;
  helper?: string;
  serverURL?: string;
  /** False when the registry did not ask for credentials, so they could not be checked. */
  verified: boolean;
}

/** What `logout` prints. */
export interface LogoutRecord {
  kind: "logout";
  registry: string;
  removed: boolean;
  file?: string;
  helper?: string;
}

/** What `token` prints. */
export interface TokenRecord {
  kind: "token";
  registry: string;
  repository: string;
  scope: string;
  token: string;
}
