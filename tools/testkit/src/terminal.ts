import { spawn } from "node:child_process";
import { ensureCommands } from "./system-deps.js";

/** The Debian package of util-linux's `script`, which runs a command on a pseudo-terminal. */
export const TERMINAL_COMMANDS: Record<string, string> = { script: "bsdutils" };

/** What the program did on its terminal. */
export interface TerminalResult {
  code: number | null;
  /** Everything the terminal showed: the program's stdout and stderr, and the echo of what was typed. */
  screen: string;
}

/** What {@link runInTerminal} types, and when. */
export interface TerminalOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Typed once the screen shows `after` (e.g. a prompt), as a user would. */
  type?: { after: string; text: string };
  /** Default 30 s; then the program is killed and `code` is null. */
  timeoutMs?: number;
}

/**
 * Runs a command with stdin, stdout and stderr on a pseudo-terminal (util-linux `script`, installed
 * when missing as the other test tools are), as a user at a real terminal runs it.
 */
export function runInTerminal(command: string, args: string[], options: TerminalOptions = {}): Promise<TerminalResult> {
  ensureCommands(TERMINAL_COMMANDS);
  const line = [command, ...args].map(shellQuote).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qfec", line, "/dev/null"], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: "1", TERM: "dumb", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let screen = "";
    let typed = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      screen += chunk;
      if (options.type && !typed && screen.includes(options.type.after)) {
        typed = true;
        child.stdin.write(options.type.text);
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (screen += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, screen: screen.replace(/\r\n/g, "\n") });
    });
    // stdin stays open: a terminal does not end by itself.
    child.stdin.on("error", () => {});
  });
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
