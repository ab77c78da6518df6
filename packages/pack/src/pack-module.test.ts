import { mkdirSync, readFileSync, symlinkSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { listZip, readZip } from "@tofu-oci/core/zip";
import { tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { generateModuleTree } from "../../../tools/bench/lib.mjs";
import { listFiles, readCentralDirectory, writeTree, type TreeFile } from "../test/helpers.js";
import { packModule, planModule } from "./pack-module.js";

const scratch = tempDir("tofu-oci-pack-");
afterAll(() => scratch.cleanup());
let counter = 0;
const fresh = (name = "m") => {
  const dir = join(scratch.path, `${name}-${counter++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

const TREE: TreeFile[] = [
  { path: "main.tf", content: 'module "sub" {\n  source = "./modules/sub"\n}\n' },
  { path: "variables.tf", content: 'variable "x" {}\n'.repeat(50) },
  { path: "modules/sub/main.tf", content: "# sub\n" },
  { path: "scripts/run.sh", content: "#!/bin/sh\necho hi\n", mode: 0o755 },
  { path: "docs/Über.md", content: "umlaut\n" },
  { path: "z-last.tf.json", content: "{}\n" },
  { path: "a-first.tofu", content: "" },
];

async function entriesOf(zip: string): Promise<Record<string, string>> {
  const contents: Record<string, string> = {};
  await readZip(zip, async (entry) => {
    const chunks: Buffer[] = [];
    for await (const chunk of await entry.open()) chunks.push(chunk as Buffer);
    contents[entry.name] = Buffer.concat(chunks).toString();
  });
  return contents;
}

describe("packModule: determinism", () => {
  it("gives the same bytes for the same tree made with other mtimes, umask and creation order", async () => {
    const first = fresh("first");
    const second = fresh("second");
    writeTree(first, TREE, 0o022);
    writeTree(
      second,
      [...TREE].reverse().map((file) => ({ ...file, ...(file.mode ? { mode: 0o700 } : {}) })),
      0o077,
    );
    for (const [index, file] of TREE.entries())
      utimesSync(join(second, file.path), 1_000_000 + index * 7777, 2_000_000_000 - index);
    mkdirSync(join(first, "empty"));
    mkdirSync(join(second, "empty"));
    const a = await packModule(first, { output: join(scratch.path, "a.zip") });
    const b = await packModule(second, { output: join(scratch.path, "b.zip") });
    expect(b.digest).toBe(a.digest);
    expect(readFileSync(join(scratch.path, "b.zip"))).toEqual(readFileSync(join(scratch.path, "a.zip")));
    expect(a).toMatchObject({
      kind: "package",
      type: "module",
      mediaType: "archive/zip",
      files: TREE.length,
      source: first,
    });
  });

  it("gives the same bytes whether files compress on worker threads or not", async () => {
    const dir = fresh("threads");
    generateModuleTree(dir, { files: 1200, bytes: 12_000_000 });
    const inline = await packModule(dir, { output: join(scratch.path, "inline.zip"), threads: 0 });
    const pooled = await packModule(dir, { output: join(scratch.path, "pooled.zip"), threads: 2 });
    expect(pooled.digest).toBe(inline.digest);
    expect(pooled.files).toBe(1201);
  });

  it("writes sorted entries with fixed times, Unix modes, no extra fields and UTF-8 flags only where needed", async () => {
    const dir = fresh();
    writeTree(dir, TREE, 0o022);
    mkdirSync(join(dir, "empty"));
    const zip = join(scratch.path, "raw.zip");
    await packModule(dir, { output: zip });
    const raw = readCentralDirectory(zip);
    expect(raw.map((entry) => entry.name)).toEqual([
      "a-first.tofu",
      "docs/Über.md",
      "empty/",
      "main.tf",
      "modules/sub/main.tf",
      "scripts/run.sh",
      "variables.tf",
      "z-last.tf.json",
    ]);
    for (const entry of raw) {
      expect(entry, entry.name).toMatchObject({
        dosDate: (0 << 9) | (1 << 5) | 1,
        dosTime: 0,
        extraLength: 0,
        localExtraLength: 0,
        versionMadeBy: 0x0314,
      });
      expect(Boolean(entry.flags & 0x800), entry.name).toBe(entry.name === "docs/Über.md");
    }
    const modes = Object.fromEntries(raw.map((entry) => [entry.name, (entry.externalAttributes >>> 16).toString(8)]));
    expect(modes).toMatchObject({
      "main.tf": "100644",
      "scripts/run.sh": "100755",
      "empty/": "40755",
      "a-first.tofu": "100644",
    });
    expect(raw.find((entry) => entry.name === "a-first.tofu")!.method).toBe(0);
    expect(raw.find((entry) => entry.name === "variables.tf")!.method).toBe(8);
  });

  it("takes entry times from SOURCE_DATE_EPOCH (UTC, whatever the time zone)", async () => {
    const dir = fresh();
    writeTree(dir, TREE.slice(0, 1), 0o022);
    const zip = join(scratch.path, "epoch.zip");
    await packModule(dir, { output: zip, sourceDateEpoch: 1_700_000_000 }); // 2023-11-14T22:13:20Z
    const [entry] = readCentralDirectory(zip);
    expect(entry!.dosDate).toBe(((2023 - 1980) << 9) | (11 << 5) | 14);
    expect(entry!.dosTime).toBe((22 << 11) | (13 << 5) | 10);
  });
});

describe("packModule: what goes in", () => {
  it("applies the default excludes, .terraformignore (negation, directories) and --exclude", async () => {
    const dir = fresh();
    writeTree(
      dir,
      [
        { path: "main.tf", content: "# main\n" },
        { path: ".git/config", content: "git" },
        { path: ".terraform/providers/p", content: "bin" },
        { path: "terraform.tfstate", content: "{}" },
        { path: "terraform.tfstate.backup", content: "{}" },
        { path: ".terraform.tfstate.lock.info", content: "{}" },
        { path: "crash.log", content: "x" },
        { path: "crash.20240101.log", content: "x" },
        { path: "secrets.tfvars", content: "x" },
        { path: "examples/a/main.tf", content: "x" },
        { path: "build/out.txt", content: "x" },
        { path: "build/keep.txt", content: "kept" },
        { path: "tests/x.tftest.hcl", content: "x" },
        { path: "deep/docs/notes.md", content: "x" },
        { path: "README.md", content: "readme" },
        { path: ".terraformignore", content: "*.tfvars\nexamples/\nbuild/\n!build/keep.txt\ndocs/*.md\n" },
      ],
      0o022,
    );
    await packModule(dir, { output: join(scratch.path, "ignored.zip"), excludes: ["tests/"] });
    const names = (await listZip(join(scratch.path, "ignored.zip"))).map((entry) => entry.name);
    // deep/docs/ holds only an excluded file: it is left out, not stored as an empty directory.
    expect(names).toEqual([".terraformignore", "README.md", "build/keep.txt", "main.tf"]);

    await packModule(dir, { output: join(scratch.path, "no-defaults.zip"), defaultExcludes: false });
    const all = (await listZip(join(scratch.path, "no-defaults.zip"))).map((entry) => entry.name);
    expect(all).toEqual(
      expect.arrayContaining([
        ".git/config",
        ".terraform/providers/p",
        "terraform.tfstate",
        "crash.log",
        "tests/x.tftest.hcl",
      ]),
    );
  });

  it("keeps only a re-included tree below a catch-all (go-slug's dir-negation case)", async () => {
    const dir = fresh();
    writeTree(
      dir,
      [
        { path: "main.tf", content: "# main\n" },
        { path: "noise.txt", content: "x" },
        { path: "infra/tf/net.tf", content: "# net\n" },
        { path: "infra/other.txt", content: "x" },
        { path: ".terraformignore", content: "*\n!/main.tf\n!/infra/\n!/infra/tf/\n!/infra/tf/**\n!/keep/\n" },
      ],
      0o022,
    );
    mkdirSync(join(dir, "keep"));
    mkdirSync(join(dir, "drop"));
    const plan = await planModule(dir, { output: join(scratch.path, "x.zip") });
    // "keep" and "drop" match "*" by name, so like go-slug no entry is made for them.
    expect(plan.entries.map((entry) => entry.path)).toEqual(["infra/other.txt", "infra/tf/net.tf", "main.tf"]);
  });

  it("stores symlinks inside the module as the files they point to, and walks symlinked directories", async () => {
    const dir = fresh();
    writeTree(
      dir,
      [
        { path: "main.tf", content: "# main\n" },
        { path: "shared/tool.sh", content: "#!/bin/sh\n", mode: 0o755 },
      ],
      0o022,
    );
    symlinkSync("shared/tool.sh", join(dir, "tool.sh"));
    symlinkSync("shared", join(dir, "linked"));
    const zip = join(scratch.path, "links.zip");
    await packModule(dir, { output: zip });
    expect(await entriesOf(zip)).toEqual({
      "linked/tool.sh": "#!/bin/sh\n",
      "main.tf": "# main\n",
      "shared/tool.sh": "#!/bin/sh\n",
      "tool.sh": "#!/bin/sh\n",
    });
    const modes = (await listZip(zip)).map((entry) => [entry.name, entry.mode, entry.isSymlink]);
    expect(modes).toContainEqual(["tool.sh", 0o755, false]);
  });

  it("leaves its own output out when it writes into the module, so a second run gives the same zip", async () => {
    const dir = fresh("self");
    writeTree(dir, TREE, 0o022);
    const first = await packModule(dir, { cwd: dir });
    const second = await packModule(dir, { cwd: dir });
    expect(first.file).toBe(join(dir, `${dir.split("/").pop()}.zip`));
    expect(second.digest).toBe(first.digest);
    expect(listFiles(dir).filter((name) => name.endsWith(".zip") || name.endsWith(".tmp"))).toEqual([
      first.file.slice(dir.length + 1),
    ]);
  });
});
