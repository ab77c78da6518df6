import { setMaxListeners } from "node:events";
import { TofuOciError } from "@tofu-oci/core";
import { processContext, type CommandContext } from "./context.js";
import { OutputClosed } from "./output-closed.js";
import { runCli, type CliSpec } from "./run-cli.js";
import { loadYargs } from "./yargs-loader.js";

/** A whole program: arguments and context in, exit code out. */
export type Main = (args: string[], ctx: CommandContext) => Promise<number>;

/**
 * Runs a program on process.argv with the real context, turns SIGINT and SIGTERM into
 * cancellation (a second signal exits at once with 130), and sets the exit code. When the
 * reader of stdout goes away (`... | head -1`), the command is cancelled and ends quietly with
 * exit code 0, as if it had finished: what the reader wanted, it got.
 */
export async function runMain(main: Main): Promise<void> {
  const controller = new AbortController();
  // Every request of the run listens to this one signal, so many at once are normal, not a leak
  // (without this Node warns once more than 10 requests are in flight).
  setMaxListeners(0, controller.signal);
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (controller.signal.aborted) return;
    controller.abort(
      error.code === "EPIPE"
        ? new OutputClosed(error)
        : new TofuOciError("internal", `cannot write to stdout: ${error.message}`, { cause: error }),
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.stdout.on("error", onStdoutError);
  const { hideBin } = await loadYargs();
  const code = await main(hideBin(process.argv), processContext(controller.signal));
  process.exitCode = controller.signal.reason instanceof OutputClosed ? 0 : code;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
}

/** The whole of a command package's bin. */
export function runBin(spec: CliSpec): Promise<void> {
  return runMain((args, ctx) => runCli(spec, args, ctx));
}
