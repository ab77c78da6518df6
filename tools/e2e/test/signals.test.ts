import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RegistryStorage, tempDir, uniqueRepository, waitUntil } from "@tofu-oci/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { onlyRecord } from "./support/expect-failure.js";
import { writeModuleDir, writeModuleZip } from "./support/fixtures.js";
import { spawnBin } from "./support/spawned.js";
import { makeUser, type User } from "./support/user.js";

// SIGINT and SIGTERM cancel cleanly (issue 10): the long-running bins stop promptly with exit
// code 130 and one line on stderr, and leave no temp file, no partial output, no manifest or tag.
const registry = inject("registries").plain;
const storage = new RegistryStorage(registry.dataDir);
const scratch = tempDir("tofu-oci-e2e-signals-");
let user: User;
let bigZip: string;
let bigTree: string;
let copySource: string;
beforeAll(async () => {
  user = makeUser(scratch.path, "user");
  bigZip = writeModuleZip(scratch.path, "big.zip", 96 * 1024 * 1024);
  bigTree = join(scratch.path, "tree");
  for (let i = 0; i < 24; i++) writeModuleDir(join(bigTree, `part${i}`), 4 * 1024 * 1024);
  writeModuleDir(bigTree);
  copySource = uniqueRepository("e2e/signals/source");
  onlyRecord(
    await user.run("push", [`${registry.host}/${copySource}:1.0.0`, bigZip, "--plain-http", "--format", "json"], {
      timeoutMs: 120_000,
    }),
  );
});
afterAll(() => scratch.cleanup());

/** Every file under `dir` whose name ends in `.tmp`. */
function tempFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".tmp"));
}

/** A long-running command; `out` is a fresh directory for its output. */
interface Job {
  args: (out: string) => string[];
  bin: "pack" | "push" | "mirror";
  /** True once the work is well under way. */
  busy: (out: string) => boolean;
  /** Nothing of the cancelled work is visible. */
  assertNothingLeft: (out: string) => void;
}

const repositories = new Map<string, string>();
const repositoryFor = (out: string) =>
  repositories.get(out) ?? repositories.set(out, uniqueRepository("e2e/signals/push")).get(out)!;

const JOBS: Record<string, Job> = {
  "pack of a big tree": {
    bin: "pack",
    args: (out) => ["module", bigTree, "-o", join(out, "tree.zip"), "--format", "json"],
    busy: (out) => tempFiles(out).length > 0,
    assertNothingLeft: (out) => expect(readdirSync(out)).toEqual([]),
  },
  "push of a big file": {
    bin: "push",
    args: (out) => [`${registry.host}/${repositoryFor(out)}:1.0.0`, bigZip, "--plain-http", "--format", "json"],
    busy: (out) => storage.uploadSessionBytes(repositoryFor(out)) > 1024 * 1024,
    assertNothingLeft: (out) => expect(storage.repositoryState(repositoryFor(out))).toEqual({ tags: [], manifests: 0 }),
  },
  "mirror copy into an OCI layout": {
    bin: "mirror",
    args: (out) => [
      "copy",
      `${registry.host}/${copySource}:1.0.0`,
      `${join(out, "layout")}:1.0.0`,
      "--to-oci-layout",
      "--plain-http",
      "--format",
      "json",
    ],
    busy: (out) => tempFiles(out).length > 0,
    assertNothingLeft: (out) => {
      expect(tempFiles(out)).toEqual([]);
      const index = join(out, "layout", "index.json");
      if (existsSync(index)) expect(JSON.parse(readFileSync(index, "utf8")).manifests).toEqual([]);
    },
  },
  "mirror export of a big artifact": {
    bin: "mirror",
    args: (out) => [
      "export",
      `${registry.host}/${copySource}:1.0.0`,
      "-o",
      join(out, "bundle.tar"),
      "--plain-http",
      "--format",
      "json",
    ],
    busy: (out) => readdirSync(out).length > 0,
    assertNothingLeft: (out) => expect(readdirSync(out)).toEqual([]),
  },
};

describe.each(["SIGINT", "SIGTERM"] as const)("%s", (signal) => {
  it.each(Object.keys(JOBS))(
    "cancels %s: exit 130 at once, one line, nothing left",
    { timeout: 60_000 },
    async (name) => {
      const job = JOBS[name]!;
      const out = join(scratch.path, `${signal}-${name.replace(/\W+/g, "-")}`);
      mkdirSync(out, { recursive: true });
      const running = spawnBin(user, job.bin, job.args(out));
      await waitUntil(() => job.busy(out), `${name} is under way`, 30_000);
      const signalled = Date.now();
      running.child.kill(signal);
      const result = await running.result;
      const elapsed = Date.now() - signalled;
      expect(result.code, result.stderr).toBe(130);
      expect(elapsed).toBeLessThan(2_000);
      expect(result.stderr.trimEnd().split("\n")).toEqual(["error: cancelled"]);
      expect(tempFiles(out)).toEqual([]);
      job.assertNothingLeft(out);
    },
  );
});
