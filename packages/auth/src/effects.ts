import { homedir, platform } from "node:os";
import type { Writable } from "node:stream";
import type { AuthIo } from "./io/auth-io.js";
import { nodeAuthIo } from "./io/node-io.js";
import { nodeConfigFileStore, type ConfigFileStore } from "./store/config-file-store.js";

/**
 * The side effects of the verbs `resolve`, `login`, `logout` and `token` and of
 * `commandCredentials`: the environment and working directory credentials are looked up from,
 * where credential helpers' stderr goes, and what cancels requests. A bin passes its process's
 * (cli-kit's `CommandContext` fits as it is); tests replace the machine with `io` and `files`.
 */
export interface AuthEffects {
  /** The environment (HOME, XDG_*, TF_CLI_CONFIG_FILE, PATH...). */
  env: Readonly<Record<string, string | undefined>>;
  /** The directory relative paths (`registryConfig`, helper names) resolve against. */
  cwd: string;
  /** Where credential helpers' stderr goes. Default: discarded. */
  stderr?: Writable;
  /** Cancels the registry requests of `login` and `token`. */
  signal?: AbortSignal;
  /** `process.platform`-style name. Default: this machine's. */
  platform?: string;
  /** The user database's home directory, used only when HOME is empty. Default: `os.homedir`. */
  homedir?: () => string | undefined;
  /** Replaces every read of credential discovery and every helper run (tests). */
  io?: AuthIo;
  /** Replaces the docker-style files `login` and `logout` edit. Default: the real file system. */
  files?: ConfigFileStore;
}

/** The I/O of credential discovery for these effects: `io`, else the real machine. */
export function authIoOf(effects: AuthEffects): AuthIo {
  if (effects.io) return effects.io;
  const { env, cwd, stderr } = effects;
  return nodeAuthIo({
    env,
    cwd,
    platform: effects.platform ?? platform(),
    homedir: effects.homedir ?? homedir,
    ...(stderr ? { stderr } : {}),
  });
}

/** The docker-style files `login` and `logout` edit for these effects. */
export function configFilesOf(effects: AuthEffects): ConfigFileStore {
  return effects.files ?? nodeConfigFileStore();
}
