import { spawn, type ChildProcess } from "node:child_process";
import { binPath, type BinResult } from "@tofu-oci/testkit";
import type { Bin, User } from "./user.js";

/** A bin running in the background, for tests that signal it or stop what it talks to. */
export interface Spawned {
  child: ChildProcess;
  /** stderr so far. */
  stderr(): string;
  /** Resolves when the process has exited. */
  result: Promise<BinResult>;
}

/** Starts `bin` as `user` without waiting for it; it is killed after `timeoutMs`. */
export function spawnBin(user: User, bin: Bin, args: string[], timeoutMs = 60_000): Spawned {
  const child = spawn(process.execPath, [binPath(bin), ...args], {
    cwd: user.cwd,
    env: { ...process.env, NO_COLOR: "1", ...user.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const result = new Promise<BinResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, stderr: () => stderr, result };
}
