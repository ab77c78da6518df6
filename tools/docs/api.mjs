#!/usr/bin/env node
// Generates the API reference of every published package into docs/api with typedoc, from the
// entry points each package.json exports. Any warning fails the run (exit 1).
//   node tools/docs/api.mjs [--out DIR]
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Application, LogLevel } from "typedoc";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const outIndex = process.argv.indexOf("--out");
const out = outIndex === -1 ? join(root, "docs", "api") : process.argv[outIndex + 1];

/** `./dist/x/index.js` export targets become `packages/<pkg>/src/x/index.ts` entry points. */
function entryPoints() {
  const entries = [];
  for (const dir of readdirSync(join(root, "packages"))) {
    const manifestPath = join(root, "packages", dir, "package.json");
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    if (manifest.private) continue;
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const file = typeof target === "string" ? target : target.default;
      if (subpath === "./command" || !file?.startsWith("./dist/")) continue;
      entries.push(join(root, "packages", dir, file.replace("./dist/", "src/").replace(/\.js$/, ".ts")));
    }
  }
  return entries;
}

const app = await Application.bootstrapWithPlugins({
  entryPoints: entryPoints(),
  entryPointStrategy: "resolve",
  tsconfig: join(here, "tsconfig.json"),
  out,
  name: "tofu-oci",
  readme: join(root, "README.md"),
  excludePrivate: true,
  excludeInternal: true,
  treatWarningsAsErrors: true,
  validation: { notExported: false, invalidLink: true, notDocumented: false },
  externalSymbolLinkMappings: { "@types/node": { "*": "https://nodejs.org/api/" } },
  logLevel: LogLevel.Warn,
  skipErrorChecking: true,
  disableSources: true,
});
const project = await app.convert();
// convert() does not run the validation options above; the typedoc CLI runs them through validate().
if (project) {
  app.validate(project);
  warnUndocumentedExports(project);
}

/**
 * Style rule 10: every export of an entry point has a JSDoc comment (on itself or, for a
 * function, on its signature). Members are not required to have one.
 */
function warnUndocumentedExports(project) {
  for (const module of project.children ?? []) {
    for (const exported of module.children ?? []) {
      const documented = exported.hasComment() || (exported.signatures ?? []).some((signature) => signature.hasComment());
      if (!documented) app.logger.warn(`${module.name}: the export ${exported.name} has no JSDoc comment`);
    }
  }
}
if (!project || app.logger.hasErrors() || app.logger.hasWarnings()) {
  process.exitCode = 1;
} else {
  await app.generateDocs(project, out);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) process.exitCode = 1;
  else process.stderr.write(`API reference written to ${out}\n`);
}
