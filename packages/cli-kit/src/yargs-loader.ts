import { notStrictEqual, strictEqual } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inspect } from "node:util";
import type stockYargs from "yargs";

/** The `yargs` function, as `import yargs from "yargs"` exports it. */
export type YargsFunction = typeof stockYargs;

/** What cli-kit takes from yargs. */
export interface YargsModules {
  yargs: YargsFunction;
  /** `hideBin` of `yargs/helpers`: process.argv without node and the script. */
  hideBin: (argv: string[]) => string[];
}

let loaded: Promise<YargsModules> | undefined;

/**
 * yargs exactly as `import yargs from "yargs"` gives it, except that the help formatter (cliui
 * and string-width) loads only when help or a usage error is printed. Importing them costs about
 * 50 ms of every start-up (string-width builds an Intl.Segmenter and Unicode-set regexes at
 * import). yargs builds itself from `YargsFactory(platformShim)`; this builds it from the same
 * factory with a copy of yargs' ESM shim (lib/platform-shims/esm.mjs) whose `cliui` and
 * `stringWidth` require their modules on first call. If yargs' layout ever differs, it falls back
 * to the stock import.
 */
export function loadYargs(): Promise<YargsModules> {
  loaded ??= lazyYargs().catch(stockModules);
  return loaded;
}

async function stockModules(): Promise<YargsModules> {
  const [{ default: yargs }, { hideBin }] = await Promise.all([import("yargs"), import("yargs/helpers")]);
  return { yargs, hideBin };
}

/** Where yargs keeps its files, resolved the way `import "yargs"` resolves from here. */
export function yargsRoot(): string {
  return dirname(createRequire(import.meta.url).resolve("yargs/package.json"));
}

async function lazyYargs(): Promise<YargsModules> {
  const root = yargsRoot();
  const fileUrl = (path: string) => pathToFileURL(join(root, path)).href;
  const [{ YargsFactory }, { getProcessArgvBin, hideBin }] = await Promise.all([
    import(fileUrl("build/lib/yargs-factory.js")) as Promise<{ YargsFactory: (shim: object) => YargsFunction }>,
    import(fileUrl("build/lib/utils/process-argv.js")) as Promise<{
      getProcessArgvBin: () => string;
      hideBin: (argv: string[]) => string[];
    }>,
  ]);
  return { yargs: YargsFactory(platformShim(join(root, "lib/platform-shims/esm.mjs"), getProcessArgvBin)), hideBin };
}

/**
 * yargs 18's lib/platform-shims/esm.mjs, field for field, with the same paths and the same
 * dependencies (required from yargs' own directory), but `cliui` and `stringWidth` lazy.
 * Exported for the test that compares it with yargs' own shim.
 */
export function platformShim(shimPath: string, getProcessArgvBin: () => string): object {
  const require = createRequire(shimPath);
  const load = <T>(name: string): T => interop(require(name)) as T;
  const lazy = <F extends (...args: any[]) => unknown>(name: string): F => {
    let fn: F | undefined;
    return ((...args: unknown[]) => (fn ??= load<F>(name))(...args)) as F;
  };
  const getCallerFile = load<(position: number) => string>("get-caller-file");
  const y18n = load<(options: object) => object>("y18n");
  const mainFilename = shimPath.substring(0, shimPath.lastIndexOf("node_modules"));
  return {
    assert: { notStrictEqual, strictEqual },
    cliui: lazy("cliui"),
    findUp: load("escalade/sync"),
    getEnv: (key: string) => process.env[key],
    inspect,
    getProcessArgvBin,
    mainFilename: mainFilename || process.cwd(),
    Parser: load("yargs-parser"),
    path: { basename, dirname, extname, relative, resolve, join },
    process: {
      argv: () => process.argv,
      cwd: process.cwd,
      emitWarning: (warning: string, type?: string) => process.emitWarning(warning, type),
      execPath: () => process.execPath,
      exit: (code: number) => process.exit(code),
      nextTick: process.nextTick,
      stdColumns: typeof process.stdout.columns !== "undefined" ? process.stdout.columns : null,
    },
    readFileSync,
    readdirSync,
    require,
    getCallerFile: () => {
      const callerFile = getCallerFile(3);
      return /^file:\/\//.test(callerFile) ? fileURLToPath(callerFile) : callerFile;
    },
    stringWidth: lazy("string-width"),
    y18n: y18n({ directory: resolve(shimPath, "../../../locales"), updateFiles: false }),
  };
}

/** The default export of a required ES module (Node >= 20.19 requires ESM), or a CommonJS export. */
function interop(module: unknown): unknown {
  return module !== null && typeof module === "object" && "__esModule" in module && "default" in module
    ? module.default
    : module;
}
