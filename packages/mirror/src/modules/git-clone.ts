import { execFile } from "node:child_process";
import { TofuOciError } from "@tofu-oci/core";

/** Options of {@link gitClone}. */
export interface GitCloneOptions {
  /** Allow `http://` to loopback hosts. Default false. */
  plainHttp?: boolean;
  /** The environment git runs with (PATH, HOME, SSH settings), with prompts turned off. Default: inherited. */
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** What to clone: go-getter's git getter arguments. */
export interface GitCheckout {
  url: string;
  ref?: string;
  depth?: number;
}

/**
 * Clones a repository with the local git client the way go-getter's git getter does: with
 * `depth`, `git clone --depth N --branch REF`; otherwise a full clone and `git checkout REF`.
 * Only https, ssh and git URLs (and `user@host:path`) are used, and git itself is told to allow
 * no other protocol (so a submodule or redirect cannot reach `file://` or `ext::`); prompts are
 * disabled.
 * @throws TofuOciError "network" (exit 5) with git's own message when git fails.
 */
export async function gitClone(checkout: GitCheckout, directory: string, options: GitCloneOptions = {}): Promise<void> {
  assertGitUrl(checkout.url, options.plainHttp ?? false);
  const shallow =
    checkout.depth !== undefined
      ? ["--depth", String(checkout.depth), ...(checkout.ref ? ["--branch", checkout.ref] : [])]
      : [];
  const protocols = protocolPolicy(options.plainHttp ?? false);
  await git([...protocols, "clone", "--quiet", ...shallow, "--", checkout.url, directory], options, checkout.url);
  if (checkout.ref && checkout.depth === undefined)
    await git(
      [...protocols, "-C", directory, "checkout", "--quiet", "--detach", checkout.ref, "--"],
      options,
      checkout.url,
    );
}

/** git's own allow-list of transports (git-config protocol.allow): remote ones only. */
function protocolPolicy(plainHttp: boolean): string[] {
  const allowed = ["https", "ssh", "git", ...(plainHttp ? ["http"] : [])];
  return ["-c", "protocol.allow=never", ...allowed.flatMap((name) => ["-c", `protocol.${name}.allow=always`])];
}

function assertGitUrl(url: string, plainHttp: boolean): void {
  if (/^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:/.test(url)) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TofuOciError("invalid-input", `"${url}" is not a git repository URL`);
  }
  if (["https:", "ssh:", "git:"].includes(parsed.protocol)) return;
  if (parsed.protocol === "http:" && plainHttp && /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(parsed.hostname))
    return;
  throw new TofuOciError("invalid-input", `refusing to clone ${url}`, {
    hint: "git:: sources must use https, ssh or git URLs.",
  });
}

function git(args: string[], options: GitCloneOptions, url: string): Promise<void> {
  options.log?.(`git ${args.join(" ")}`);
  // No prompt may wait for a password that nobody will type.
  const env = options.env ? { ...options.env, GIT_TERMINAL_PROMPT: "0" } : undefined;
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      { ...(env ? { env } : {}), signal: options.signal, maxBuffer: 4 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          return reject(
            new TofuOciError("invalid-input", "git is not installed", {
              hint: "Install git to mirror modules stored in git repositories.",
            }),
          );
        }
        const detail = String(stderr).trim().split("\n").filter(Boolean).at(-1) ?? error.message;
        reject(
          new TofuOciError(
            "network",
            `git ${args.find((a) => a === "clone" || a === "checkout")} of ${url} failed: ${detail}`,
            { cause: error },
          ),
        );
      },
    );
  });
}
