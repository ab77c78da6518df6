import { Output, runCli, type CommandContext } from "@tofu-oci/cli-kit";
import { usageError } from "@tofu-oci/core";
import type { CommandModule } from "yargs";
import type { BuiltInCommand } from "./built-ins.js";
import { PLUGIN_PREFIX, findPlugin, runPlugin, suggest } from "./plugins.js";

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
      epilogue: `Any executable named ${PLUGIN_PREFIX}<cmd> on PATH runs as "tofu-oci <cmd>".`,
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
