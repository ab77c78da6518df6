import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Issue 21: a recipe lists every tool it needs on a `**Needs**:` line, so nobody finds out at
// step 3 that jq is missing. The tools are the commands its shell blocks run (at the start of a
// line, after a pipe or inside `$(...)`); the shell's own built-ins and coreutils are assumed.

const root = fileURLToPath(new URL("../../..", import.meta.url));
const TOOLS = ["tofu-oci", "jq", "oras", "trivy", "skopeo", "curl", "docker", "tofu", "git", "npx"];
const recipes = readdirSync(join(root, "docs")).filter((file) => file.endsWith(".md"));

/** The tools from TOOLS that the markdown's ```sh blocks run. */
function toolsRun(markdown: string): string[] {
  const shell = [...markdown.matchAll(/^```sh[^\n]*\n([\s\S]*?)^```$/gm)].map((match) => match[1]!).join("\n");
  const commands = [...shell.matchAll(/(?:^|\||\$\(|&&|;)\s*([\w.-]+)/gm)].map((match) => match[1]!);
  return TOOLS.filter((tool) => commands.includes(tool));
}

describe("recipes", () => {
  it("are found", () => {
    expect(recipes).toContain("scan-provider-sboms.md");
  });

  it.each(recipes)("docs/%s lists every tool its commands need", (file) => {
    const markdown = readFileSync(join(root, "docs", file), "utf8");
    const needs = /^\*\*Needs\*\*: (.*)$/m.exec(markdown)?.[1];
    expect(needs, "a **Needs**: line").toBeDefined();
    const missing = toolsRun(markdown).filter((tool) => !needs!.includes(`\`${tool}\``));
    expect(missing).toEqual([]);
  });
});
