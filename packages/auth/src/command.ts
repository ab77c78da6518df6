/**
 * The `auth` command (login, logout, resolve, token) for the umbrella `tofu-oci` and the `tofu-oci-auth` bin;
 * loads the CLI kit.
 * @module
 */
import {
  defineCommand,
  passwordFromFlags,
  readPackageVersion,
  referenceDefaults,
  transportOptions,
  withRegistryOptions,
  type CliSpec,
} from "@tofu-oci/cli-kit";
import { usageError } from "@tofu-oci/core";
import { commandClientOptions } from "./command-client-options.js";

export { commandClientOptions } from "./command-client-options.js";

const resolveCommand = defineCommand({
  command: "resolve <reference>",
  describe: "Show the credentials OpenTofu would use for a repository, and why",
  builder: (parser) =>
    parser
      .positional("reference", {
        type: "string",
        demandOption: true,
        describe: "HOST/REPO[:TAG], oci://HOST/REPO or HOST",
      })
      .option("reveal", { type: "boolean", describe: "Include the password or tokens in the output" })
      .option("registry-config", {
        type: "string",
        describe: "Docker-style config.json to use instead of OpenTofu's search",
      })
      .example("$0 resolve oci://registry.example.com/modules/vpc", "Which credentials tofu init would send, and why")
      .example(
        "$0 resolve registry.example.com/modules/vpc --format json",
        "The same as a credentials record (no secrets without --reveal)",
      ),
  handler: async (args, output) => {
    const [{ resolve }, { describeCredentials }] = await Promise.all([import("./resolve.js"), import("./explain.js")]);
    const { qualify } = await referenceDefaults(args.ctx);
    const record = await resolve(
      {
        reference: qualify(args.reference),
        reveal: args.reveal ?? false,
        ...registryConfigOption(args.registryConfig),
      },
      args.ctx,
    );
    if (output.format === "json") record.warnings.forEach((warning) => output.warn(warning));
    output.record(record, describeCredentials);
  },
});

const loginCommand = defineCommand({
  command: "login [host]",
  describe: "Check credentials against a registry and store them where OpenTofu finds them",
  builder: (parser) =>
    withRegistryOptions(
      parser.positional("host", {
        type: "string",
        describe: "Registry HOST[:PORT] (default: registry from the config file)",
      }),
      {
        concurrency: false,
        registryConfig: "Docker-style config.json to store the credentials in (default: where OpenTofu looks for HOST)",
      },
    )
      .example(
        'printf %s "$TOKEN" | $0 login registry.example.com -u ci --password-stdin',
        "Log in from CI; stored where OpenTofu reads it",
      )
      .example(
        "$0 login registry.example.com -u me --password-stdin --registry-config ./auth.json < password.txt",
        "Store the credentials in ./auth.json instead",
      ),
  handler: async (args, output) => {
    const { login } = await import("./login.js");
    const { config } = await referenceDefaults(args.ctx);
    const host = hostOrDefault(args.host, config.registry);
    const username = args.username ?? "";
    // No username is the first thing to report; only then is stdin read for the password.
    const password = username === "" ? "" : await passwordFromFlags(args, args.ctx);
    if (password === undefined)
      throw usageError(
        "login needs a password",
        'Pipe it in: printf %s "$PASSWORD" | tofu-oci-auth login HOST -u USER --password-stdin',
      );
    const registryConfig = args.registryConfig ?? config.registryConfig;
    const options = {
      host,
      username,
      password,
      clientOptions: transportOptions(args, config),
      ...registryConfigOption(registryConfig),
    };
    const { warnings, ...record } = await login(options, args.ctx);
    warnings.forEach((warning) => output.warn(warning));
    output.record(
      record,
      (r: typeof record) =>
        `Login succeeded for ${r.registry}: ${r.store === "helper" ? `stored with docker-credential-${r.helper}` : `stored in ${r.file}`}${r.verified ? "" : " (not verified: the registry asked for no credentials)"}`,
    );
  },
});

const logoutCommand = defineCommand({
  command: "logout [host]",
  describe: "Remove a registry's credentials from where OpenTofu finds them",
  builder: (parser) =>
    parser
      .positional("host", { type: "string", describe: "Registry HOST[:PORT] (default: registry from the config file)" })
      .option("registry-config", { type: "string", describe: "Docker-style config.json to remove them from" })
      .example("$0 logout registry.example.com", "Remove the credentials login stored"),
  handler: async (args, output) => {
    const { logout } = await import("./logout.js");
    const { config } = await referenceDefaults(args.ctx);
    const registryConfig = args.registryConfig ?? config.registryConfig;
    const { warnings, ...record } = await logout(
      { host: hostOrDefault(args.host, config.registry), ...registryConfigOption(registryConfig) },
      args.ctx,
    );
    warnings.forEach((warning) => output.warn(warning));
    output.record(record, (r: typeof record) =>
      r.removed
        ? `Removed the credentials for ${r.registry}${r.helper ? ` from docker-credential-${r.helper}` : ""}${r.file && !r.helper ? ` from ${r.file}` : ""}`
        : `Not logged in to ${r.registry}`,
    );
  },
});

const tokenCommand = defineCommand({
  command: "token <reference>",
  describe: "Print a pull-scope bearer token for a repository (for curl)",
  builder: (parser) =>
    withRegistryOptions(
      parser.positional("reference", { type: "string", demandOption: true, describe: "HOST/REPO or oci://HOST/REPO" }),
      { concurrency: false },
    ).example(
      "$0 token registry.example.com/modules/vpc --format text",
      'The token alone, for curl -H "Authorization: Bearer ..."',
    ),
  handler: async (args, output) => {
    const { token } = await import("./token.js");
    const { qualify } = await referenceDefaults(args.ctx);
    const record = await token(
      { reference: qualify(args.reference), clientOptions: await commandClientOptions(args, output) },
      args.ctx,
    );
    output.record(record, (r: typeof record) => r.token);
  },
});

/** HOST, or the config file's `registry`. */
function hostOrDefault(host: string | undefined, registry: string | undefined): string {
  const chosen = host ?? registry;
  if (!chosen)
    throw usageError(
      "name the registry HOST",
      "e.g. tofu-oci-auth login registry.example.com, or set registry in the tofu-oci config file.",
    );
  return chosen;
}

/** `{ registryConfig }`, or nothing when no file was named. */
function registryConfigOption(registryConfig: string | undefined): { registryConfig?: string } {
  return registryConfig === undefined ? {} : { registryConfig };
}

/** The tofu-oci-auth CLI; the umbrella runs it as `tofu-oci auth`. */
export const cli: CliSpec = {
  scriptName: "tofu-oci-auth",
  version: readPackageVersion(import.meta.url),
  commands: [resolveCommand, loginCommand, logoutCommand, tokenCommand],
  epilogue: [
    "Credentials are chosen exactly as OpenTofu (tofu init) chooses them: oci_credentials and",
    "oci_default_credentials in the CLI configuration, docker-style files, credential helpers.",
    "",
    "Examples:",
    "  $0 resolve oci://registry.example.com/modules/vpc",
    '  printf %s "$TOKEN" | $0 login registry.example.com -u ci --password-stdin',
    '  curl -H "Authorization: Bearer $($0 token registry.example.com/modules/vpc)" https://registry.example.com/v2/modules/vpc/tags/list',
  ].join("\n"),
};
