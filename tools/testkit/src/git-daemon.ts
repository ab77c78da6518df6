import { spawn } from "node:child_process";
import { connect } from "node:net";
import { freePort } from "./registry.js";

/** A read-only `git daemon` on 127.0.0.1 serving the repositories under one directory. */
export interface GitDaemon {
  /** `127.0.0.1:PORT`. */
  host: string;
  /** `git://127.0.0.1:PORT`; a repository `DIR/x.git` is `${url}/x.git`. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts git's own server (git daemon, git:// protocol) for `baseDir`, so tests fetch git
 * sources over a real remote transport rather than file://, which mirror refuses.
 */
export async function startGitDaemon(baseDir: string): Promise<GitDaemon> {
  const port = await freePort();
  const child = spawn(
    "git",
    [
      "daemon",
      "--reuseaddr",
      "--export-all",
      `--base-path=${baseDir}`,
      "--listen=127.0.0.1",
      `--port=${port}`,
      baseDir,
    ],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitForPort(port, child);
  const host = `127.0.0.1:${port}`;
  return {
    host,
    url: `git://${host}`,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function waitForPort(port: number, child: ReturnType<typeof spawn>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`git daemon exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`git daemon did not listen on 127.0.0.1:${port}`);
}
