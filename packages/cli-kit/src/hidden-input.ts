import { StringDecoder } from "node:string_decoder";
import { TofuOciError } from "@tofu-oci/core";
import type { CommandContext } from "./context.js";

/** A terminal's input stream, as Node gives it (`tty.ReadStream`). */
interface TerminalInput extends NodeJS.ReadableStream {
  setRawMode?: (mode: boolean) => unknown;
}

const ENTER = new Set(["\r", "\n", "\u0004"]);
const ERASE = new Set(["\u007f", "\b"]);
const INTERRUPT = "\u0003";

/**
 * Reads one line from a terminal without echoing it (as `sudo` and `docker login` read a
 * password): `prompt` on stderr, then every key up to Enter (or Ctrl-D); Backspace erases and
 * Ctrl-C cancels. Raw mode is switched off again in every case.
 * @throws TofuOciError "cancelled" on Ctrl-C.
 */
export async function readHiddenLine(ctx: Pick<CommandContext, "stdin" | "stderr">, prompt: string): Promise<string> {
  const input = ctx.stdin as TerminalInput;
  // Raw mode first: a key typed as soon as the prompt shows must not be echoed.
  input.setRawMode?.(true);
  ctx.stderr.write(prompt);
  try {
    return await new Promise<string>((resolve, reject) => {
      const decoder = new StringDecoder("utf8");
      let line = "";
      const finish = (error?: Error) => {
        input.off("data", onData);
        input.off("end", onEnd);
        input.pause();
        if (error) reject(error);
        else resolve(line);
      };
      const onData = (chunk: Buffer | string) => {
        for (const char of typeof chunk === "string" ? chunk : decoder.write(chunk)) {
          if (ENTER.has(char)) return finish();
          if (char === INTERRUPT) return finish(new TofuOciError("cancelled", "cancelled"));
          line = ERASE.has(char) ? [...line].slice(0, -1).join("") : line + char;
        }
      };
      const onEnd = () => finish();
      input.on("data", onData);
      input.on("end", onEnd);
      input.resume();
    });
  } finally {
    input.setRawMode?.(false);
    ctx.stderr.write("\n");
  }
}
