/** One candidate source in `resolve`'s record, without secrets. */
export interface CandidateRecord {
  /** The config the candidate is in: an explicit block, the default block, or a docker-style file path. */
  location: string;
  /** Which entry of that config, e.g. `auths "example.com"` or `credsStore`. */
  entry: string;
  /** `static-basic`, `static-oauth` or `helper`; absent when the entry could not be read. */
  kind?: string;
  /** How well it matches the repository: `global`, `domain` or `repository:N` (N path segments). */
  specificity?: string;
  /** The credential helper it would run, for `helper` candidates. */
  helper?: string;
  /** `selected`, `less specific`, `tie: an earlier one wins`, or `error`. */
  outcome: string;
  /** Why the entry is unusable, with `outcome: "error"`. */
  error?: string;
}

/** What `resolve` prints: docs/contract/design.md §2.2's credentials record plus the decision behind it. */
export interface CredentialsRecord {
  /** Always `credentials`. */
  kind: "credentials";
  /** The registry host (with port) the query was for. */
  registry: string;
  /** The repository path the query was for. */
  repository: string;
  /** The config location that won, or null for anonymous access. */
  source: string | null;
  /** The entry within it, e.g. `auths "example.com"`. */
  entry: string | null;
  /** `static-basic`, `static-oauth` or `helper`; null for anonymous access. */
  sourceKind: string | null;
  /** none, global, domain or repository:N. */
  specificity: string;
  /** The credential helper that answered, for a `helper` source. */
  helper?: string;
  /** What the helper was asked for: `https://` + the registry host. */
  serverURL?: string;
  /** The user name found; not a secret, always shown. */
  username?: string;
  /** Only with --reveal. */
  password?: string;
  /** Only with --reveal: the static or helper-given identity token. */
  accessToken?: string;
  /** Only with --reveal: the OAuth refresh token. */
  refreshToken?: string;
  /** True when no source matched, so requests go without credentials. */
  anonymous: boolean;
  /** The OpenTofu CLI configuration files read, in load order. */
  cliConfigFiles: string[];
  /**
   * The docker-style files searched (`mode`: `default`, `explicit` or `disabled`) and each file's status: `read`,
   * `absent`, `unreadable` or `malformed`.
   */
  ambient: { mode: string; files: Array<{ path: string; status: string; error?: string }> };
  /** The credentials configs in the order OpenTofu's policy consults them. */
  configLocations: string[];
  /** Every source considered and why it won or lost. */
  candidates: CandidateRecord[];
  /** Rules OpenTofu applies here that would likely surprise the user (e.g. a tie resolved by order). */
  warnings: string[];
}

/** What `login` prints. */
export interface LoginRecord {
  /** Always `login`. */
  kind: "login";
  /** The registry host (with port) logged in to. */
  registry: string;
  /** The user name stored. */
  username: string;
  /** "file": an `auths` entry; "helper": through a credential helper. */
  store: "file" | "helper";
  /** The docker-style file written, with `store: "file"`. */
  file?: string;
  /** The credential helper that stored the secret, with `store: "helper"`. */
  helper?: string;
  /** The server URL the helper stored it under: `https://` + the registry host. */
  serverURL?: string;
  /** False when the registry did not ask for credentials, so they could not be checked. */
  verified: boolean;
}

/** What `logout` prints. */
export interface LogoutRecord {
  /** Always `logout`. */
  kind: "logout";
  /** The registry host (with port) logged out of. */
  registry: string;
  /** False when there was nothing stored for the registry. */
  removed: boolean;
  /** The docker-style file the entry was removed from. */
  file?: string;
  /** The credential helper asked to erase the entry. */
  helper?: string;
}

/** What `token` prints. */
export interface TokenRecord {
  /** Always `token`. */
  kind: "token";
  /** The registry host (with port). */
  registry: string;
  /** The repository the token is scoped to. */
  repository: string;
  /** The scope requested: `repository:REPO:pull`. */
  scope: string;
  /** The bearer token itself: a secret, printed only because it was asked for. */
  token: string;
}
