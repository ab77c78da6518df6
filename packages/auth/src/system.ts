import { homedir, platform } from "node:os";
import type { CommandContext } from "@tofu-oci/cli-kit";
import type { AuthIo } from "./io/auth-io.js";
import { nodeAuthIo } from "./io/node-io.js";

/** What the commands need to know about the machine besides the command context. */
export interface AuthSystem {
  /** `process.platform`-style name. */
  platform: string;
  /** The user database's home directory (used only when HOME is empty). */
  homedir: () => string | undefined;
  /** Replaces the real I/O (tests). */
  io?: AuthIo;
}

/** The machine this process runs on. */
export function hostSystem(): AuthSystem {
  return { platform: platform(), homedir };
}

/** The I/O the commands use: the context's environment and working directory on this machine. */
export function authIoFor(ctx: CommandContext, system: AuthSystem): AuthIo {
  return system.io ?? nodeAuthIo({ env: ctx.env, platform: system.platform, homedir: system.homedir, cwd: ctx.cwd, stderr: ctx.stderr });
}
