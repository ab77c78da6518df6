#!/usr/bin/env node
// Generates the API reference of every published package into docs/api with typedoc, from the
// entry points each package.json exports. Any warning fails the run (exit 1), including an exported
// member (function, class, interface, type, constant, property, method) without a doc comment.
//   node tools/docs/api.mjs [--out DIR] [--root WORKSPACE]
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Application, Comment, Converter, LogLevel, ReflectionKind } from "typedoc";

const here = dirname(fileURLToPath(import.meta.url));
const option = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const root = option("--root") ?? join(here, "..", "..");
const out = option("--out") ?? join(root, "docs", "api");

/**
 * `./dist/x/index.js` export targets become `packages/<pkg>/src/x/index.ts` entry points, each
 * titled by its import path (`@tofu-oci/core/layout`); `./command` entries included.
 */
function entryPoints() {
  const entries = new Map();
  const packages = [];
  for (const dir of readdirSync(join(root, "packages"))) {
    const manifestPath = join(root, "packages", dir, "package.json");
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    if (manifest.private) continue;
    packages.push(manifest.name);
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const file = typeof target === "string" ? target : target.default;
      if (!file?.startsWith("./dist/")) continue;
      const source = join(root, "packages", dir, file.replace("./dist/", "src/").replace(/\.js$/, ".ts"));
      const title = `${manifest.name}${subpath.slice(1)}`;
      entries.set(source, { title, description: subpath === "." ? manifest.description : undefined });
    }
  }
  return { entries, packages };
}

const { entries, packages } = entryPoints();
const app = await Application.bootstrapWithPlugins({
  entryPoints: [...entries.keys()],
  entryPointStrategy: "resolve",
  tsconfig: join(root, "tools", "docs", "tsconfig.json"),
  out,
  name: "tofu-oci",
  readme: join(root, "README.md"),
  excludePrivate: true,
  excludeInternal: true,
  treatWarningsAsErrors: true,
  validation: { notExported: false, invalidLink: true, notDocumented: true },
  requiredToBeDocumented: [
    "Enum",
    "EnumMember",
    "Variable",
    "Function",
    "Class",
    "Interface",
    "Property",
    "Method",
    "Accessor",
    "TypeAlias",
  ],
  packagesRequiringDocumentation: packages,
  externalSymbolLinkMappings: { "@types/node": { "*": "https://nodejs.org/api/" } },
  logLevel: LogLevel.Warn,
  skipErrorChecking: true,
  disableSources: true,
  // Speed (issue 21: under 10 s): highlight only the languages the comments use, and leave out the
  // members classes inherit from Node (Transform, Error), which are documented at nodejs.org.
  highlightLanguages: ["sh", "json", "ts", "js"],
  excludeExternals: true,
});
// Modules are titled by import path, not by their folder (`core/src/layout`), and described by
// the package's description (the main entry) or the entry file's `@module` comment (subpaths).
app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
  if (!reflection.kindOf(ReflectionKind.Module)) return;
  const file = context
    .getSymbolFromReflection(reflection)
    ?.declarations?.find((node) => node.kind === 308 || node.getSourceFile)
    ?.getSourceFile().fileName;
  const entry = file && entries.get(file.replaceAll("/", sep));
  if (!entry) return;
  reflection.name = entry.title;
  if (!reflection.comment?.summary.length && entry.description)
    reflection.comment = new Comment([{ kind: "text", text: entry.description }]);
});
const project = await app.convert();
// convert() does not run the validation options above; the typedoc CLI runs them through validate().
if (project) {
  app.options.setValue("intentionallyNotDocumented", inlineTypeMembers(project));
  app.validate(project);
  warnUndocumentedExports(project);
}

/**
 * Members of inline object types (`tool?: { name: string; version: string }`, union branches, constant
 * tables such as verify's RULES) are documented by their owner's comment, not one by one.
 */
function inlineTypeMembers(project) {
  const inParameter = (reflection) =>
    reflection && (reflection.kindOf(ReflectionKind.Parameter) || inParameter(reflection.parent));
  const inline = (reflection) =>
    reflection.parent?.kindOf(ReflectionKind.TypeLiteral) &&
    reflection.kindOf(ReflectionKind.Property | ReflectionKind.Method) &&
    !inParameter(reflection);
  const required = (reflection) => packages.includes(project.getSymbolIdFromReflection(reflection)?.packageName);
  const names = Object.values(project.reflections).filter(
    (reflection) => inline(reflection) && !reflection.hasComment() && required(reflection),
  );
  return [...new Set(names.map((reflection) => reflection.getFriendlyFullName()))];
}

/**
 * Style rule 10: every export of an entry point has a JSDoc comment (on itself or, for a
 * function, on its signature). Members are not required to have one.
 */
function warnUndocumentedExports(project) {
  for (const module of project.children ?? []) {
    if (!module.comment?.summary.length)
      app.logger.warn(
        `${module.name}: the module has no description (a \`@module\` comment at the top of its entry file)`,
      );
    for (const exported of module.children ?? []) {
      const documented =
        exported.hasComment() || (exported.signatures ?? []).some((signature) => signature.hasComment());
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
