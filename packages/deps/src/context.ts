/** The side effects the deps verbs use. The process's own environment is never read: pass it as `env`. */
export interface DepsContext {
  /** Relative directories resolve against it. Default ".". */
  cwd?: string;
  /**
   * Where `deps lock` finds OpenTofu's CLI configuration (TF_CLI_CONFIG_FILE, HOME, XDG_CONFIG_HOME...).
   * Default: empty.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** `process.platform`-style name, for where the CLI configuration is (Windows differs). Default: this machine's. */
  platform?: string;
  /** Aborts registry requests; a lock file or configuration is then not rewritten. */
  signal?: AbortSignal;
}
