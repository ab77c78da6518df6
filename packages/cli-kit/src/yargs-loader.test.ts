import { join } from "node:path";
import { pathToFileURL } from "node:url";
import stockYargs from "yargs";
import { describe, expect, it } from "vitest";
import { loadYargs, platformShim, yargsRoot } from "./yargs-loader.js";

const shimPath = () => join(yargsRoot(), "lib/platform-shims/esm.mjs");

/** A parser with what help output exercises: commands, options of every kind, groups, examples. */
async function helpOf(yargs: typeof stockYargs, args: string[]): Promise<string> {
  let printed = "";
  await yargs(args)
    .scriptName("tofu-oci-x")
    .command("greet <name>", "Say hello to someone with a long description that has to wrap somewhere", (y) =>
      y.positional("name", { type: "string", describe: "Who, e.g. ada" }),
    )
    .option("format", { choices: ["json", "text"] as const, describe: "Output: json or text", global: true })
    .option("count", { alias: "c", type: "number", default: 3, describe: "How many" })
    .group(["count"], "Counting:")
    .example("$0 greet ada", "Say hello to ada — über ✓ 漢字")
    .epilogue("Exit codes: 0 fine.")
    .demandCommand(1, "Name a command; see --help.")
    .strict()
    .version("9.9.9")
    .help()
    .wrap(80)
    .exitProcess(false)
    .fail((message) => {
      printed += `failed: ${message}\n`;
    })
    .parseAsync(args, {}, (_error, _argv, text) => {
      printed += text;
    });
  return printed;
}

describe("loadYargs", () => {
  it("builds yargs from its factory, not the stock import that loads the help formatter", async () => {
    const { yargs, hideBin } = await loadYargs();
    expect(yargs).not.toBe(stockYargs);
    expect(hideBin(["node", "bin.js", "--version"])).toEqual(["--version"]);
  });

  it("prints the same help, usage errors and version as stock yargs", async () => {
    const { yargs } = await loadYargs();
    const help = await helpOf(yargs, ["--help"]);
    expect(help).toContain("Say hello to someone");
    expect(help).toBe(await helpOf(stockYargs, ["--help"]));
    for (const args of [["greet", "--help"], ["nope"], ["--version"], []]) {
      expect(await helpOf(yargs, args)).toBe(await helpOf(stockYargs, args));
    }
  });

  it("has every field of yargs' own ESM platform shim", async () => {
    const { default: stock } = (await import(pathToFileURL(shimPath()).href)) as { default: Record<string, unknown> };
    const ours = platformShim(shimPath(), () => "") as Record<string, unknown>;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(stock).sort());
    expect(ours.mainFilename).toBe(stock.mainFilename);
    expect((ours.stringWidth as (s: string) => number)("漢字 ✓")).toBe(
      (stock.stringWidth as (s: string) => number)("漢字 ✓"),
    );
  });
});
