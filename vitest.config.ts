import { readdirSync, readFileSync, existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const root = import.meta.dirname;

interface Manifest {
  name: string;
  exports?: Record<string, string | { default?: string }>;
}

const workspaceDirs = ["packages", "tools"].flatMap((parent) =>
  readdirSync(join(root, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, parent, entry.name, "package.json")))
    .map((entry) => join(parent, entry.name)),
);

/** Tests import workspace packages from source: each `exports` entry's dist/X.js maps to src/X.ts. */
function sourceAliases(dir: string) {
  const manifest = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as Manifest;
  return Object.entries(manifest.exports ?? {}).flatMap(([subpath, target]) => {
    const file = typeof target === "string" ? target : target.default;
    if (!file?.startsWith("./dist/") || !file.endsWith(".js")) return [];
    const id = subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    const source = resolve(root, dir, file.replace("./dist/", "src/").replace(/\.js$/, ".ts"));
    return [{ find: new RegExp(`^${id.replace(/[/.]/g, "\\$&")}$`), replacement: source }];
  });
}

const alias = workspaceDirs.flatMap(sourceAliases);

/**
 * Test files by kind, from where they live (CONTRIBUTING.md): `src/**` unit tests run in-process on the memory
 * target and temp dirs; `test/**` integration tests use the shared registries of the global setup, real bins and
 * skopeo; the slow suites cross every bin (tools/e2e), run the docs, or install the packed tarballs.
 * One package's tests: `vitest run packages/core/`; one kind: `vitest run --project unit`.
 */
const SLOW = [
  "tools/e2e/test/**/*.test.ts",
  "tools/docs/test/**/*.test.ts",
  "tools/testkit/test/packed-tarballs.test.ts",
  "tools/testkit/test/release-dry-run.test.ts",
];
// Unit tests share one module graph per worker thread (isolate: false): they use no mocks, no process-wide state
// and no env changes, and their time is mostly imports. The others run in forked, isolated workers.
const KINDS: Array<{
  name: string;
  include: string[];
  exclude: string[];
  pool: "threads" | "forks";
  isolate: boolean;
}> = [
  {
    name: "unit",
    include: ["packages/*/src/**/*.test.ts", "tools/*/src/**/*.test.ts"],
    exclude: [],
    pool: "threads",
    isolate: false,
  },
  {
    name: "integration",
    include: ["packages/*/test/**/*.test.ts", "tools/*/test/**/*.test.ts"],
    exclude: SLOW,
    pool: "forks",
    isolate: true,
  },
  { name: "slow", include: SLOW, exclude: [], pool: "forks", isolate: true },
];

/**
 * Test files run in parallel, one worker per CPU: most of the time goes to waiting on registries and spawned bins.
 * They share the global setup's registries safely because every test works in its own repository
 * (`uniqueRepository`) and temp dir. TOFU_OCI_TEST_WORKERS overrides the count.
 */
const workers = Number(process.env.TOFU_OCI_TEST_WORKERS) || availableParallelism();

/**
 * Longest first: the slow suites, then integration, then unit tests, each in vitest's own order (failed first, then by
 * the last run's durations, then by size). A fresh clone has no durations, and the slow suites are small files.
 */
class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const order = KINDS.map((kind) => kind.name);
    const rank = (file: TestSpecification) => order.indexOf(file.project.name);
    return (await super.sort(files)).sort((a, b) => rank(b) - rank(a));
  }
}

export default defineConfig({
  test: {
    globalSetup: [join(root, "tools/testkit/src/global-setup.ts")],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: workers,
    sequence: { sequencer: SlowFirstSequencer },
    projects: KINDS.map((kind) => ({
      resolve: { alias },
      test: {
        name: kind.name,
        root,
        include: kind.include,
        exclude: ["**/node_modules/**", "**/dist/**", ...kind.exclude],
        pool: kind.pool,
        isolate: kind.isolate,
        testTimeout: 60_000,
        hookTimeout: 120_000,
      },
    })),
  },
});
