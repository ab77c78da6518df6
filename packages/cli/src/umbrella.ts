import { Output, runCli, type CommandContext, type CommandModule } from "@tofu-oci/cli-kit";
import { usageError } from "@tofu-oci/core";
import type { BuiltInCommand } from "./built-ins.js";
import { PLUGIN_PREFIX, findPlugin, runPlugin, suggest } from "./plugins.js";

/** The umbrella's version and its built-in commands. */
export interface UmbrellaOptions {
  version: string;
  builtIns: Record<string, BuiltInCommand>;
}

/** Commands of the umbrella itself, which no plugin can shadow. */
const OWN_COMMANDS = ["completion"];

/**
 * `tofu-oci <cmd> ...`: runs a built-in package's CLI in-process, or else the executable
 * `tofu-oci-<cmd>` from PATH with the remaining arguments; an unknown command is a usage error
 * with the closest names.
 */
export async function runUmbrella(args: string[], ctx: CommandContext, options: UmbrellaOptions): Promise<number> {
  // Shell completion of `tofu-oci <built-in> ...`: the built-in's own CLI completes the rest.
  const completing = args[0] === "--get-yargs-completions" ? options.builtIns[args[2] ?? ""] : undefined;
  if (completing) {
    const spec = await completing.load();
    return runCli(spec, ["--get-yargs-completions", spec.scriptName, ...args.slice(3)], ctx);
  }
  const [name, ...rest] = args;
  const builtIn = name === undefined ? undefined : options.builtIns[name];
  if (builtIn) {
    const spec = await builtIn.load();
    return runCli({ ...spec, scriptName: `tofu-oci ${name}` }, rest, ctx);
  }
  if (name !== undefined && !name.startsWith("-") && !OWN_COMMANDS.includes(name)) {
    const plugin = findPlugin(name, ctx.env.PATH);
    if (plugin) return runPlugin(plugin, rest, ctx.env);
    return new Output(ctx).error(unknownCommand(name, Object.keys(options.builtIns)));
  }
  return runCli(
    {
      scriptName: "tofu-oci",
      version: options.version,
      commands: Object.entries(options.builtIns).map(([command, { describe }]) => listing(command, describe)),
      epilogue: [
        "Examples:",
        "  tofu-oci pack module ./net | tofu-oci push registry.example.com/modules/net:1.0.0 | tofu-oci verify",
        "  tofu-oci auth resolve registry.example.com/modules/net",
        "  tofu-oci mirror copy registry.example.com/modules/net:1.0.0 ./air-gap --to-oci-layout",
        "  tofu-oci <cmd> --help",
        "",
        `Any executable named ${PLUGIN_PREFIX}<cmd> on PATH runs as "tofu-oci <cmd>".`,
      ].join("\n"),
    },
    args,
    ctx,
  );
}

/** A command shown in --help; running it goes through the branch above instead. */
function listing(command: string, describe: string): CommandModule {
  return { command, describe, handler: () => {} };
}

function unknownCommand(name: string, builtIns: string[]) {
  const candidates = suggest(name, builtIns);
  const hint = candidates.length > 0 ? `Did you mean ${candidates.map((c) => `"tofu-oci ${c}"`).join(" or ")}?` : "Run tofu-oci --help for the commands.";
  return usageError(`unknown command "${name}" (no built-in command and no ${PLUGIN_PREFIX}${name} on PATH)`, hint);
}
