import { homedir } from "node:os";
import { join } from "node:path";
import { anonymous, staticCredentials, usageError, type CredentialProvider } from "@tofu-oci/core";
import type { RegistryClientOptions, RetryOptions } from "@tofu-oci/core/remote";
import type { Argv } from "yargs";
import type { CommandContext } from "./context.js";
import { configFor, type TofuOciConfig } from "./config.js";
import { readHiddenLine } from "./hidden-input.js";

/** The registry flags shared with ORAS (docs/contract/design.md §2.3). */
export interface RegistryArgs {
  /** `--plain-http`: talk HTTP instead of HTTPS. */
  plainHttp?: boolean;
  /** `--insecure`: skip TLS certificate verification. */
  insecure?: boolean;
  /** `--ca-file`: a PEM file of a CA to trust. */
  caFile?: string;
  /** `--registry-config`: a docker-style config.json to read credentials from. */
  registryConfig?: string;
  /** `-u`/`--username`: the registry user name. */
  username?: string;
  /** `-p`/`--password`: the password (a secret; prefer `passwordStdin`). */
  password?: string;
  /** `--password-stdin`: read the password from stdin (a terminal prompts without echo). */
  passwordStdin?: boolean;
  /** `--concurrency`: blob transfers at once. Default 4. */
  concurrency?: number;
}

/** What {@link withRegistryOptions} adds besides the flags every registry command has. */
export interface RegistryOptionsSettings {
  /** Add `--concurrency`, for commands that move blobs. Default true. */
  concurrency?: boolean;
  /** The help text of `--registry-config`. Default: "Docker-style config.json to read credentials from". */
  registryConfig?: string;
}

/**
 * Adds the registry flags to a command's parser; the handler's args then have the
 * {@link RegistryArgs} fields.
 */
export function withRegistryOptions<T>(
  parser: Argv<T>,
  settings: RegistryOptionsSettings = {},
): Argv<T & RegistryArgs> {
  const names = ["plain-http", "insecure", "ca-file", "registry-config", "username", "password", "password-stdin"];
  let built: Argv<any> = parser
    .option("plain-http", { type: "boolean", describe: "Use HTTP instead of HTTPS" })
    .option("insecure", { type: "boolean", describe: "Skip TLS certificate verification (unsafe)" })
    .option("ca-file", { type: "string", describe: "PEM file of a CA to trust for the registry" })
    .option("registry-config", {
      type: "string",
      describe: settings.registryConfig ?? "Docker-style config.json to read credentials from",
    })
    .option("username", { alias: "u", type: "string", describe: "Registry username" })
    .option("password", { alias: "p", type: "string", describe: "Registry password (prefer --password-stdin)" })
    .option("password-stdin", {
      type: "boolean",
      describe: "Read the password from stdin (on a terminal: prompt without echo)",
    });
  if (settings.concurrency !== false) {
    built = built.option("concurrency", { type: "number", describe: "Parallel blob transfers (default 4)" });
    names.push("concurrency");
  }
  return built.group(names, "Registry:").check((argv) => {
    if (argv.concurrency !== undefined && !(Number.isInteger(argv.concurrency) && argv.concurrency > 0)) {
      throw usageError("--concurrency must be a positive integer");
    }
    if (argv.password !== undefined && argv["password-stdin"])
      throw usageError("give either --password or --password-stdin, not both");
    return true;
  });
}

/** Where `registryClientOptions` takes credentials, config defaults and its log from. */
export interface ResolveRegistryOptions {
  /**
   * Makes the credential provider used when no -u/-p is given, from `--registry-config` (flag,
   * then config file) if any: @tofu-oci/auth's `commandCredentials(ctx)` in the bins. Without
   * it, `--registry-config` is a usage error.
   */
  credentials?: (registryConfig: string | undefined) => CredentialProvider | Promise<CredentialProvider>;
  /** Where credentials come from when neither -u/-p nor `credentials` is given. Default: anonymous. */
  defaultCredentials?: CredentialProvider;
  /** The config file's settings, used where a flag is not given. */
  config?: TofuOciConfig;
  /** Receives one line per request and retry, for --verbose. */
  log?: (line: string) => void;
}

/**
 * Turns the registry flags (then config defaults) into client options: the transport of
 * {@link transportOptions}, credentials (-u/-p/--password-stdin, else `options.credentials`),
 * `concurrency` (default 4) and resumable upload sessions under the user's cache directory.
 */
export async function registryClientOptions(
  args: RegistryArgs,
  ctx: CommandContext,
  options: ResolveRegistryOptions = {},
): Promise<RegistryClientOptions & { concurrency: number }> {
  const config = options.config ?? (await configFor(ctx)).config;
  const result: RegistryClientOptions & { concurrency: number } = {
    ...transportOptions(args, config),
    credentials: await credentialsFrom(args, ctx, options, config),
    concurrency: args.concurrency ?? config.concurrency ?? 4,
    uploadSessions: await uploadSessionsIn(ctx),
  };
  if (options.log) result.log = options.log;
  return result;
}

/**
 * How to reach a registry, from `--plain-http`, `--insecure` and `--ca-file`, then the config
 * file's defaults (also its retry timing, idle timeout and chunk size); no credentials.
 */
export function transportOptions(
  args: Pick<RegistryArgs, "plainHttp" | "insecure" | "caFile">,
  config: TofuOciConfig,
): RegistryClientOptions {
  const result: RegistryClientOptions = {
    plainHttp: args.plainHttp ?? config.plainHttp ?? false,
    insecure: args.insecure ?? config.insecure ?? false,
    userAgent: "tofu-oci",
  };
  const retry = retryOptions(config);
  if (retry) result.retry = retry;
  if (config.chunkSize) result.chunkSize = config.chunkSize;
  if (config.idleTimeoutMs) result.idleTimeoutMs = config.idleTimeoutMs;
  const caFile = args.caFile ?? config.caFile;
  if (caFile) result.caFile = caFile;
  return result;
}

/**
 * The password of `--password-stdin` (read from stdin now, without its final newline; on a
 * terminal, prompted for without echo and ended by Enter) or of `-p`, which gets a warning on
 * stderr that it can leak; undefined when neither is given.
 */
export async function passwordFromFlags(
  args: Pick<RegistryArgs, "password" | "passwordStdin">,
  ctx: CommandContext,
): Promise<string | undefined> {
  if (args.passwordStdin) {
    if (ctx.stdinIsTTY) return readHiddenLine(ctx, "Password: ");
    return (await readStream(ctx.stdin)).replace(/\r?\n$/, "");
  }
  if (args.password !== undefined)
    ctx.stderr.write(
      "warning: a password on the command line can leak through shell history and ps; prefer --password-stdin\n",
    );
  return args.password;
}

/** Retry timing from the config file; undefined leaves core's defaults. */
function retryOptions(config: TofuOciConfig): RetryOptions | undefined {
  const retry: RetryOptions = {};
  if (config.retries !== undefined) retry.retries = config.retries;
  if (config.retryMinDelayMs !== undefined) retry.minDelayMs = config.retryMinDelayMs;
  if (config.retryMaxDelayMs !== undefined) retry.maxDelayMs = config.retryMaxDelayMs;
  if (config.retryDeadlineMs !== undefined) retry.deadlineMs = config.retryDeadlineMs;
  return Object.keys(retry).length > 0 ? retry : undefined;
}

async function credentialsFrom(
  args: RegistryArgs,
  ctx: CommandContext,
  options: ResolveRegistryOptions,
  config: TofuOciConfig,
): Promise<CredentialProvider> {
  if (args.passwordStdin || args.username !== undefined || args.password !== undefined) {
    return staticCredentials({ username: args.username ?? "", password: (await passwordFromFlags(args, ctx)) ?? "" });
  }
  const registryConfig = args.registryConfig ?? config.registryConfig;
  if (options.credentials) return options.credentials(registryConfig);
  // Only @tofu-oci/auth reads docker-style config files (as OpenTofu does); cli-kit cannot.
  if (registryConfig)
    throw usageError(
      "--registry-config needs the credentials of @tofu-oci/auth",
      "Pass `credentials: commandCredentials(ctx)` from @tofu-oci/auth.",
    );
  return options.defaultCredentials ?? anonymous;
}

/** Chunked uploads are remembered under the user's cache dir, so an interrupted push resumes. */
async function uploadSessionsIn(ctx: CommandContext) {
  const { fileUploadSessions } = await import("@tofu-oci/core/remote");
  const cacheHome = ctx.env.XDG_CACHE_HOME || join(ctx.env.HOME ?? homedir(), ".cache");
  return fileUploadSessions(join(cacheHome, "tofu-oci", "uploads"));
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text;
}
