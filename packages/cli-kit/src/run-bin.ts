import { processContext, type CommandContext } from "./context.js";
import { runCli, type CliSpec } from "./run-cli.js";
import { loadYargs } from "./yargs-loader.js";

/** A whole program: arguments and context in, exit code out. */
export type Main = (args: string[], ctx: CommandContext) => Promise<number>;

/**
 * Runs a program on process.argv with the real context, turns SIGINT and SIGTERM into
 * cancellation (a second signal exits at once with 130), and sets the exit code.
 */
export async function runMain(main: Main): Promise<void> {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const { hideBin } = await loadYargs();
  process.exitCode = await main(hideBin(process.argv), processContext(controller.signal));
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
}

/** The whole of a command package's bin. */
export function runBin(spec: CliSpec): Promise<void> {
  return runMain((args, ctx) => runCli(spec, args, ctx));
}
