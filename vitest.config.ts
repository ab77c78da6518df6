import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { defineConfig } from "vitest/config";

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

export default defineConfig({
  test: {
    globalSetup: [join(root, "tools/testkit/src/global-setup.ts")],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: workspaceDirs.map((dir) => ({
      resolve: { alias },
      test: {
        name: dir.split("/")[1]!,
        root: join(root, dir),
        include: ["src/**/*.test.ts", "test/**/*.test.ts"],
        testTimeout: 60_000,
        hookTimeout: 120_000,
      },
    })),
  },
});
