#!/usr/bin/env node
// The entry behind the root npm scripts. It needs only Node >= 20 and npm: it bootstraps the
// pinned pnpm, installs the workspace, builds it with turbo, then runs the task.
//   node tools/run.mjs build | test [vitest args] | lint | bench [args] | demo
// `test` runs the lint checks first and counts each one as a test. `release` is in CONTRIBUTING.md.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PNPM_VERSION = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).packageManager.split("@")[1];
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };

function log(message) {
  process.stderr.write(`\n> ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit", ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function must(command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) throw new Error(`${command} ${args.join(" ")} failed with exit code ${status}`);
}

/** The pinned pnpm: already on PATH, else installed globally with npm, else run through npx. */
function pnpmCommand() {
  const found = spawnSync("pnpm", ["--version"], { encoding: "utf8", env });
  if (found.status === 0 && found.stdout.trim() === PNPM_VERSION) return ["pnpm"];
  log(`installing pnpm@${PNPM_VERSION} with npm`);
  if (run("npm", ["install", "--global", "--no-fund", "--no-audit", `pnpm@${PNPM_VERSION}`]) === 0) {
    const installed = spawnSync("pnpm", ["--version"], { encoding: "utf8", env });
    if (installed.status === 0 && installed.stdout.trim() === PNPM_VERSION) return ["pnpm"];
  }
  return ["npx", "--yes", `pnpm@${PNPM_VERSION}`];
}

let pnpm;
function pnpmRun(args) {
  pnpm ??= pnpmCommand();
  must(pnpm[0], [...pnpm.slice(1), ...args]);
}

function install() {
  log("pnpm install");
  pnpmRun(["install", "--frozen-lockfile", "--prefer-offline"]);
}

async function build() {
  install();
  log("build (turbo run build)");
  pnpmRun(["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
  return 0;
}

/** The static checks, each a pass or a failure of its own: `npm run lint`, and the first part of `npm test`. */
const LINT_CHECKS = [
  { name: "lint (biome lint)", args: ["exec", "biome", "lint", "--error-on-warnings", "."] },
  {
    name: "format (biome format)",
    args: ["exec", "biome", "format", "--max-diagnostics=5", "."],
  },
  { name: "type-check sources (tsc -b)", args: ["exec", "tsc", "-b"] },
  { name: "type-check tests (tsc -p tsconfig.test.json)", args: ["exec", "tsc", "-p", "tsconfig.test.json"] },
];

/** Runs every check after a build; returns how many passed and how many failed. */
function runLintChecks() {
  pnpm ??= pnpmCommand();
  let passed = 0;
  let failed = 0;
  for (const check of LINT_CHECKS) {
    log(check.name);
    if (run(pnpm[0], [...pnpm.slice(1), ...check.args]) === 0) passed++;
    else {
      failed++;
      log(`${check.name} failed`);
    }
  }
  return { passed, failed };
}

async function lint() {
  await build();
  const { passed, failed } = runLintChecks();
  process.stderr.write(`\nlint: ${passed} checks passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

/** Runs every test once and ends with the line CI reads: `N passed, N failed`. */
async function test(vitestArgs) {
  let passed = 0;
  let failed = 0;
  try {
    await build();
    // The static checks count like tests, so a lint or type error fails CI's `N passed, N failed` line.
    const checks = runLintChecks();
    passed += checks.passed;
    failed += checks.failed;
    const { ensureCommands, TEST_COMMANDS } = await import("./testkit/dist/system-deps.js");
    ensureCommands(TEST_COMMANDS);
    const resultsDir = join(root, ".tofu-oci-test");
    mkdirSync(resultsDir, { recursive: true });
    const resultsFile = join(resultsDir, "results.json");
    log("vitest run");
    pnpm ??= pnpmCommand();
    const status = run(pnpm[0], [
      ...pnpm.slice(1),
      "exec",
      "vitest",
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${resultsFile}`,
      ...vitestArgs,
    ]);
    if (!existsSync(resultsFile)) throw new Error(`vitest wrote no results (exit code ${status})`);
    const results = JSON.parse(readFileSync(resultsFile, "utf8"));
    passed += results.numPassedTests;
    failed += results.numFailedTests + (results.numFailedTestSuites ?? 0);
    const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
    if (skipped > 0 && process.env.TOFU_OCI_REQUIRE_INTEGRATION === "1") {
      process.stderr.write(`\n${skipped} tests were skipped; TOFU_OCI_REQUIRE_INTEGRATION=1 allows none\n`);
      failed += skipped;
    }
    if (status !== 0 && failed === 0) failed = 1;
  } catch (error) {
    process.stderr.write(`\ntest run failed: ${error.message}\n`);
    failed = Math.max(failed, 1);
  } finally {
    process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  }
  return failed === 0 ? 0 : 1;
}

async function bench(args) {
  await build();
  const { ensureCommands } = await import("./testkit/dist/system-deps.js");
  ensureCommands({ ...(await import("./testkit/dist/system-deps.js")).INTEGRATION_COMMANDS, curl: "curl", zip: "zip" });
  return run(process.execPath, [join(root, "tools/bench/run.mjs"), ...args]);
}

async function demo(args) {
  await build();
  return run(process.execPath, [join(root, "tools/demo.mjs"), ...args]);
}

/** The workspace packages that are published: packages/* that are not private. */
function publishedPackageDirs() {
  return readdirSync(join(root, "packages"))
    .map((dir) => join(root, "packages", dir))
    .filter(
      (dir) =>
        existsSync(join(dir, "package.json")) && !JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).private,
    );
}

/**
 * A registry on 127.0.0.1 that has no package: `npm info` gets 404 for everything (so every
 * package counts as unpublished), and an upload fails the dry run.
 */
async function emptyRegistry() {
  const uploads = [];
  const server = createServer((request, response) => {
    request.resume();
    if (request.method === "PUT") {
      uploads.push(request.url);
      return response.writeHead(500, { "content-type": "application/json" }).end('{"error":"this is a dry run"}');
    }
    response.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    uploads,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function runAsync(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: "inherit", ...options });
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
}

/**
 * Publishes every package whose version is not on the registry yet: build, test, the dist guard
 * (tools/check-dist.mjs, also every package's `prepack`), then `changeset publish`, which runs
 * `pnpm publish` per package (`workspace:^` and `catalog:` become version ranges there).
 *   node tools/run.mjs release [--dry-run [--skip-build] [--skip-tests]] [changeset publish flags]
 * `--dry-run` uploads nothing and reaches no network: npm asks a loopback registry that has no
 * package, every `pnpm publish` runs as `--dry-run`, and no git tag is made. The test suite runs
 * the dry run without the build and the tests (it runs inside both).
 */
async function release(args) {
  const dryRun = args.includes("--dry-run");
  const skip = (flag) =>
    args.includes(flag) && (dryRun || fail(`${flag} is only for --dry-run: a release is built and tested`));
  const publishArgs = args.filter((arg) => !["--dry-run", "--skip-build", "--skip-tests"].includes(arg));
  if (!skip("--skip-build")) await build();
  if (!skip("--skip-tests") && (await test([])) !== 0) fail("the tests failed; nothing was published");
  log("dist guard (tools/check-dist.mjs)");
  if (run(process.execPath, [join(root, "tools", "check-dist.mjs"), ...publishedPackageDirs()]) !== 0)
    fail("dist/ is stale; nothing was published");
  const changeset = join(root, "node_modules", ".bin", "changeset");
  if (!dryRun) {
    log("changeset publish");
    return run(changeset, ["publish", ...publishArgs]);
  }
  const registry = await emptyRegistry();
  try {
    log(`changeset publish (dry run against ${registry.url})`);
    const dryEnv = { ...env, npm_config_registry: registry.url, npm_config_dry_run: "true" };
    const status = await runAsync(changeset, ["publish", "--no-git-tag", ...publishArgs], { env: dryEnv });
    if (registry.uploads.length > 0) fail(`the dry run tried to upload ${registry.uploads.join(", ")}`);
    if (status === 0) log("dry run: every package packed and passed `pnpm publish --dry-run`; nothing was uploaded");
    return status;
  } finally {
    await registry.close();
  }
}

function fail(message) {
  throw new Error(message);
}

const [task = "build", ...rest] = process.argv.slice(2);
const tasks = { build, test, lint, bench, demo, release };
if (!tasks[task]) {
  console.error(`usage: node tools/run.mjs ${Object.keys(tasks).join("|")}`);
  process.exit(2);
}
try {
  process.exitCode = await tasks[task](rest);
} catch (error) {
  process.stderr.write(`\n${error.message}\n`);
  process.exitCode = 1;
}
