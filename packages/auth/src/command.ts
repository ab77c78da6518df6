import { outputFor, readPackageVersion, withRegistryOptions, type CliSpec, type CommandContext, type GlobalArgs, type RegistryArgs } from "@tofu-oci/cli-kit";
import type { Argv, CommandModule } from "yargs";

interface ReferenceArgs {
  reference: string;
  registryConfig?: string;
}
interface ResolveArgs extends ReferenceArgs {
  reveal?: boolean;
}
interface HostArgs extends RegistryArgs {
  host: string;
}
/** What a handler gets: its flags, the global flags and the context runCli passes. */
type Args<T> = T & GlobalArgs & { ctx: CommandContext };

const resolveCommand: CommandModule<object, Args<ResolveArgs>> = {
  command: "resolve <reference>",
  describe: "Show the credentials OpenTofu would use for a repository, and why",
  builder: (parser) =>
    parser
      .positional("reference", { type: "string", demandOption: true, describe: "HOST/REPO[:TAG], oci://HOST/REPO or HOST" })
      .option("reveal", { type: "boolean", describe: "Include the password or tokens in the output" })
      .option("registry-config", { type: "string", describe: "Docker-style config.json to use instead of OpenTofu's search" }) as unknown as Argv<Args<ResolveArgs>>,
  handler: async (args) => {
    const [{ resolve }, { describeCredentials }] = await Promise.all([import("./resolve.js"), import("./explain.js")]);
    const output = outputFor(args);
    const record = await resolve({ reference: args.reference, reveal: args.reveal ?? false, ...optional("registryConfig", args.registryConfig) }, args.ctx);
    if (output.format === "json") record.warnings.forEach((warning) => output.warn(warning));
    output.record(record, describeCredentials);
  },
};

const loginCommand: CommandModule<object, Args<HostArgs>> = {
  command: "login <host>",
  describe: "Check credentials against a registry and store them where OpenTofu finds them",
  builder: (parser) => withRegistryOptions(parser.positional("host", { type: "string", demandOption: true, describe: "Registry HOST[:PORT]" })) as unknown as Argv<Args<HostArgs>>,
  handler: async (args) => {
    const { login } = await import("./login.js");
    const output = outputFor(args);
    const { warnings, ...record } = await login(args, args.ctx);
    warnings.forEach((warning) => output.warn(warning));
    output.record(record, (r: typeof record) => `Login succeeded for ${r.registry}: ${r.store === "helper" ? `stored with docker-credential-${r.helper}` : `stored in ${r.file}`}${r.verified ? "" : " (not verified: the registry asked for no credentials)"}`);
  },
};

const logoutCommand: CommandModule<object, Args<HostArgs>> = {
  command: "logout <host>",
  describe: "Remove a registry's credentials from where OpenTofu finds them",
  builder: (parser) =>
    parser
      .positional("host", { type: "string", demandOption: true, describe: "Registry HOST[:PORT]" })
      .option("registry-config", { type: "string", describe: "Docker-style config.json to remove them from" }) as unknown as Argv<Args<HostArgs>>,
  handler: async (args) => {
    const { logout } = await import("./logout.js");
    const output = outputFor(args);
    const { warnings, ...record } = await logout({ host: args.host, ...optional("registryConfig", args.registryConfig) }, args.ctx);
    warnings.forEach((warning) => output.warn(warning));
    output.record(record, (r: typeof record) => (r.removed ? `Removed the credentials for ${r.registry}${r.helper ? ` from docker-credential-${r.helper}` : ""}${r.file && !r.helper ? ` from ${r.file}` : ""}` : `Not logged in to ${r.registry}`));
  },
};

const tokenCommand: CommandModule<object, Args<ReferenceArgs & RegistryArgs>> = {
  command: "token <reference>",
  describe: "Print a pull-scope bearer token for a repository (for curl)",
  builder: (parser) => withRegistryOptions(parser.positional("reference", { type: "string", demandOption: true, describe: "HOST/REPO or oci://HOST/REPO" })) as unknown as Argv<Args<ReferenceArgs & RegistryArgs>>,
  handler: async (args) => {
    const { token } = await import("./token.js");
    const record = await token(args, args.ctx);
    outputFor(args).record(record, (r: typeof record) => r.token);
  },
};

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
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
    "  tofu-oci-auth resolve oci://registry.example.com/modules/vpc",
    "  printf %s \"$TOKEN\" | tofu-oci-auth login registry.example.com -u ci --password-stdin",
    "  curl -H \"Authorization: Bearer $(tofu-oci-auth token registry.example.com/modules/vpc)\" ...",
  ].join("\n"),
};
