import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBin, type BinResult } from "@tofu-oci/testkit";

/** The bins of this workspace, by package directory. */
export type Bin = "pack" | "push" | "verify" | "auth" | "mirror" | "deps" | "cli";

export interface RunOptions {
  stdin?: string;
  timeoutMs?: number;
  /** Extra environment variables for this run. */
  env?: Record<string, string>;
}

/** A person running the bins: own HOME, cache and working directory, and a tofu-oci config file. */
export interface User {
  /** The working directory, holding `.tofu-ocirc.json` when a config was given. */
  cwd: string;
  home: string;
  env: Record<string, string>;
  run(bin: Bin, args: string[], options?: RunOptions): Promise<BinResult>;
}

/** Variables of the test runner's own environment that would change credential discovery. */
const NEUTRAL_ENV = {
  XDG_CONFIG_HOME: "",
  XDG_RUNTIME_DIR: "",
  TF_CLI_CONFIG_FILE: "",
  TERRAFORM_CONFIG: "",
  DOCKER_CONFIG: "",
  REGISTRY_AUTH_FILE: "",
};

/**
 * Makes a user under `root/name`. Upload sessions go to the user's own cache directory, so runs
 * never share (or leave behind) state in the real ~/.cache.
 */
export function makeUser(root: string, name: string, config?: Record<string, unknown>): User {
  const dir = join(root, name);
  const home = join(dir, "home");
  const cwd = join(dir, "work");
  mkdirSync(home, { recursive: true });
  mkdirSync(cwd, { recursive: true });
  if (config) writeFileSync(join(cwd, ".tofu-ocirc.json"), JSON.stringify(config));
  const env = { ...NEUTRAL_ENV, HOME: home, XDG_CACHE_HOME: join(dir, "cache") };
  return {
    cwd,
    home,
    env,
    run: (bin, args, options = {}) =>
      runBin(bin, args, {
        cwd,
        env: { ...env, ...options.env },
        timeoutMs: options.timeoutMs ?? 60_000,
        ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
      }),
  };
}

/** Config keys that make the bins retry at once and often: what the fault suites run them with. */
export const FAST_RETRY_CONFIG = { retries: 8, retryMinDelayMs: 1, retryMaxDelayMs: 20 };
