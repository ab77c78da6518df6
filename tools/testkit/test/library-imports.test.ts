import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runProcess, tempDir } from "../src/index.js";

// What a library user's `import("@tofu-oci/<pkg>")` really loads, from the built dist/: a node
// process records every module its resolver hands out (a module.register resolve hook), imports
// the entry, and the test reads the list. Run `tsc -b` first.

const root = fileURLToPath(new URL("../../..", import.meta.url));
const scratch = tempDir("tofu-oci-imports-");
afterAll(() => scratch.cleanup());

/** Runs in node's loader thread: appends each resolved URL to the log file. */
const HOOKS = `
import { appendFileSync } from "node:fs";
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, result.url + "\\n");
  return result;
}`;

let runs = 0;

/** The URLs of every module that `import(entry)` loads, where entry is a package's built export. */
async function modulesLoadedBy(packageDir: string, exportFile: string): Promise<string[]> {
  const log = join(scratch.path, `modules-${++runs}.log`);
  const entry = pathToFileURL(join(root, "packages", packageDir, "dist", exportFile)).href;
  const script = [
    'import { register } from "node:module";',
    `register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)}, { data: { log: ${JSON.stringify(log)} } });`,
    `await import(${JSON.stringify(entry)});`,
  ].join("\n");
  const result = await runProcess(process.execPath, ["--input-type=module", "--eval", script]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return readFileSync(log, "utf8").split("\n").filter(Boolean);
}

const cliRuntime = (urls: string[]) =>
  urls.filter((url) => /\/node_modules\/(yargs|yargs-parser|cosmiconfig)\/|\/packages\/cli-kit\//.test(url));

describe("importing a library loads no command-line code", () => {
  it.each(["pack", "push", "verify", "auth", "mirror", "doctor", "deps"])(
    "@tofu-oci/%s loads neither cli-kit nor yargs nor cosmiconfig",
    async (pkg) => {
      const loaded = await modulesLoadedBy(pkg, "index.js");
      expect(loaded.some((url) => url.includes(`/packages/${pkg}/dist/`))).toBe(true);
      expect(cliRuntime(loaded)).toEqual([]);
    },
  );

  it("while the command entry does load cli-kit (so the probe sees what it looks for)", async () => {
    const loaded = await modulesLoadedBy("pack", "command.js");
    expect(cliRuntime(loaded).some((url) => url.includes("/packages/cli-kit/dist/index.js"))).toBe(true);
  });
});
