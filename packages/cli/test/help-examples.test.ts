import { memoryContext } from "@tofu-oci/testkit";
import { describe, expect, it } from "vitest";
import { BUILT_IN_COMMANDS } from "../src/built-ins.js";
import { runUmbrella } from "../src/umbrella.js";

// Every command's --help shows real examples, written for the name it runs under.

async function help(args: string[]): Promise<string> {
  const { ctx, stdout, stderr } = memoryContext();
  const code = await runUmbrella([...args, "--help"], ctx, { version: "0.0.0", builtIns: BUILT_IN_COMMANDS });
  expect(code, stderr()).toBe(0);
  return stdout();
}

const COMMANDS = [
  [],
  ["pack", "module"],
  ["pack", "provider"],
  ["push"],
  ["push", "attach"],
  ["verify"],
  ["doctor"],
  ["deps", "lock"],
  ["deps", "outdated"],
  ["deps", "pin"],
  ["deps", "update"],
  ["auth", "resolve"],
  ["auth", "login"],
  ["auth", "logout"],
  ["auth", "token"],
  ["mirror", "copy"],
  ["mirror", "export"],
  ["mirror", "import"],
  ["mirror", "modules"],
  ["mirror", "providers"],
];

describe("--help examples", () => {
  it("covers every command of every built-in package", async () => {
    for (const name of Object.keys(BUILT_IN_COMMANDS)) {
      const text = await help([name]);
      const section = text.slice(text.indexOf("Commands:"), text.indexOf("\n\n", text.indexOf("Commands:")));
      const listed = section.match(/^ {2}tofu-oci \S+ (\S+)/gm) ?? [];
      const commands = listed
        .map((line) => line.trim().split(/\s+/)[2]!)
        .filter((c) => c !== "completion" && !c.startsWith("<") && !c.startsWith("["));
      for (const command of commands) expect(COMMANDS, `${name} ${command}`).toContainEqual([name, command]);
    }
  });

  it.each(COMMANDS.map((args) => [args.join(" ") || "(umbrella)", args] as const))(
    "tofu-oci %s --help has examples",
    async (_name, args) => {
      const text = await help([...args]);
      const examples = text.slice(text.indexOf("Examples:"));
      expect(text).toContain("Examples:");
      expect(examples).toMatch(new RegExp(["tofu-oci", ...args].join("\\s+")));
      expect(examples).not.toContain("$0");
    },
  );
});
