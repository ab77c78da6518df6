import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunBinOptions {
  stdin?: string | Buffer;
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
}

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** The built bin of a workspace package, e.g. `binPath("pack")`. */
export function binPath(packageDir: string): string {
  return join(workspaceRoot, "packages", packageDir, "dist", "bin.js");
}

/** Runs a command as a real process and collects its output. */
export function runProcess(command: string, args: string[], options: RunBinOptions = {}): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(options.stdin ?? "");
  });
}

/** Runs a workspace package's built bin with node. */
export function runBin(packageDir: string, args: string[], options: RunBinOptions = {}): Promise<BinResult> {
  return runProcess(process.execPath, [binPath(packageDir), ...args], options);
}

/** Parses NDJSON stdout into records. */
export function parseRecords(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
