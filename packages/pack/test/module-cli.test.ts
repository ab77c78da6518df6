import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseRecords, runInTerminal, runProcess, tempDir } from "@tofu-oci/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { listFiles, pack, writeTree } from "./helpers.js";

const scratch = tempDir("tofu-oci-pack-cli-");
afterAll(() => scratch.cleanup());
let counter = 0;
function fresh(): { module: string; out: string } {
  const base = join(scratch.path, `case-${counter++}`);
  const module = join(base, "mod");
  const out = join(base, "out");
  mkdirSync(module, { recursive: true });
  mkdirSync(out, { recursive: true });
  return { module, out };
}
const EXAMPLE = resolve(import.meta.dirname, "../../../examples/modules/network");

describe("tofu-oci-pack module", () => {
  it("packs the example module; unzip extracts exactly the files that went in", async () => {
    const { out } = fresh();
    const result = await pack(["module", EXAMPLE], { cwd: out });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const [record] = parseRecords(result.stdout);
    expect(record).toMatchObject({
      kind: "package",
      type: "module",
      file: join(out, "network.zip"),
      mediaType: "archive/zip",
      files: 7,
      source: EXAMPLE,
    });
    expect(record!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(record!.size).toBe(readFileSync(join(out, "network.zip")).length);

    const extracted = join(out, "x");
    execFileSync("unzip", ["-q", join(out, "network.zip"), "-d", extracted]);
    const packed = listFiles(extracted);
    expect(packed).toEqual(listFiles(EXAMPLE));
    for (const file of packed)
      expect(readFileSync(join(extracted, file)), file).toEqual(readFileSync(join(EXAMPLE, file)));
    execFileSync("unzip", ["-tq", join(out, "network.zip")]);
  });

  it("keeps modes 0644 and 0755 through unzip, and flags non-ASCII names so unzip restores them", async () => {
    const { module, out } = fresh();
    writeTree(
      module,
      [
        { path: "main.tf", content: "# m\n", mode: 0o600 },
        { path: "bin/run.sh", content: "#!/bin/sh\n", mode: 0o700 },
        { path: "docs/naïve.md", content: "ü\n" },
      ],
      0o077,
    );
    expect((await pack(["module", module, "-o", join(out, "m.zip")])).code).toBe(0);
    const extracted = join(out, "x");
    execFileSync("unzip", ["-q", join(out, "m.zip"), "-d", extracted]);
    const mode = (path: string) =>
      execFileSync("stat", ["-c", "%a", join(extracted, path)])
        .toString()
        .trim();
    expect([mode("main.tf"), mode("bin/run.sh"), mode("docs/naïve.md")]).toEqual(["644", "755", "644"]);
  });

  it("--out-dir creates the directory; --exclude and --no-default-excludes change what goes in", async () => {
    const { module, out } = fresh();
    writeTree(
      module,
      [
        { path: "main.tf", content: "" },
        { path: "README.md", content: "r" },
        { path: ".terraform/x", content: "x" },
      ],
      0o022,
    );
    const result = await pack([
      "module",
      module,
      "--out-dir",
      join(out, "dist"),
      "--exclude",
      "*.md",
      "--no-default-excludes",
    ]);
    expect(result.code).toBe(0);
    expect(parseRecords(result.stdout)[0]).toMatchObject({ file: join(out, "dist", "mod.zip"), files: 2 });
  });

  it("-o creates the zip's directory when missing", async () => {
    const { out } = fresh();
    const result = await pack(["module", EXAMPLE, "-o", join(out, "dist", "nested", "net.zip")]);
    expect(result.code, result.stderr).toBe(0);
    expect(parseRecords(result.stdout)[0]).toMatchObject({ file: join(out, "dist", "nested", "net.zip") });
    expect(
      readFileSync(join(out, "dist", "nested", "net.zip"))
        .subarray(0, 4)
        .toString("latin1"),
    ).toBe("PK\u0003\u0004");
  });

  it("-o - writes the zip to stdout (the record goes to stderr as text) and no file named -", async () => {
    const { out } = fresh();
    const bin = resolve(import.meta.dirname, "../dist/bin.js");
    const piped = await runProcess(
      "bash",
      ["-c", '"$0" "$1" module "$2" -o - > "$3"', process.execPath, bin, EXAMPLE, join(out, "stdout.zip")],
      { cwd: out },
    );
    expect(piped.code, piped.stderr).toBe(0);
    const direct = parseRecords((await pack(["module", EXAMPLE, "-o", join(out, "direct.zip")])).stdout)[0]!;
    expect(readFileSync(join(out, "stdout.zip"))).toEqual(readFileSync(join(out, "direct.zip")));
    expect(piped.stderr).toContain(`packed 7 files into stdout`);
    expect(piped.stderr).toContain(`digest: ${direct.digest}`);
    expect(listFiles(out).sort()).toEqual(["direct.zip", "stdout.zip"]);
  });

  it("shows progress while packing on a terminal", async () => {
    const { out } = fresh();
    const result = await runInTerminal(process.execPath, [
      resolve(import.meta.dirname, "../dist/bin.js"),
      "module",
      EXAMPLE,
      "-o",
      join(out, "net.zip"),
      "--format",
      "text",
    ]);
    expect(result.code, result.screen).toBe(0);
    expect(result.screen).toMatch(/\[=+\] 100% .* packing .*network/);
    expect(result.screen).toContain("packed 7 files into");
    const quiet = await runInTerminal(process.execPath, [
      resolve(import.meta.dirname, "../dist/bin.js"),
      "module",
      EXAMPLE,
      "-o",
      join(out, "quiet.zip"),
      "--format",
      "text",
      "-q",
    ]);
    expect(quiet.screen).not.toContain("packing");
  });

  it("--dry-run prints the file list and writes nothing", async () => {
    const { out } = fresh();
    const text = await pack(["module", EXAMPLE, "--dry-run", "--format", "text"], { cwd: out });
    expect(text.code).toBe(0);
    expect(text.stdout.trim().split("\n")).toEqual([
      ".terraformignore",
      "README.md",
      "main.tf",
      "modules/subnet/main.tf",
      "outputs.tf",
      "variables.tf",
      "versions.tf",
    ]);
    const json = await pack(["module", EXAMPLE, "--dry-run"], { cwd: out });
    expect(parseRecords(json.stdout)[2]).toEqual({ kind: "file", path: "main.tf", size: 730, mode: "0644" });
    expect(listFiles(out)).toEqual([]);
  });

  it("is the same through the umbrella: tofu-oci pack module", async () => {
    const { out } = fresh();
    const direct = await pack(["module", EXAMPLE, "-o", join(out, "direct.zip")]);
    const umbrella = await runProcess(
      process.execPath,
      [
        resolve(import.meta.dirname, "../../cli/dist/bin.js"),
        "pack",
        "module",
        "examples/modules/network",
        "-o",
        join(out, "umbrella.zip"),
      ],
      {
        cwd: resolve(import.meta.dirname, "../../.."),
      },
    );
    expect(umbrella.stderr).toBe("");
    expect(umbrella.code).toBe(0);
    expect(parseRecords(umbrella.stdout)[0]!.digest).toBe(parseRecords(direct.stdout)[0]!.digest);
  });
});

describe("tofu-oci-pack module: invalid input exits 6 and leaves no file", () => {
  async function expectInvalid(args: string[], out: string, message: RegExp, options: { unprivileged?: boolean } = {}) {
    const command = options.unprivileged
      ? unprivileged([process.execPath, resolve(import.meta.dirname, "../dist/bin.js"), ...args])
      : undefined;
    const result = command
      ? await runProcess(command[0]!, command.slice(1), { cwd: out })
      : await pack(args, { cwd: out });
    expect(result.code, result.stderr).toBe(6);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(parseRecords(result.stdout)[0]).toMatchObject({ kind: "error", code: "invalid-input" });
    expect(listFiles(out)).toEqual([]);
  }

  it("a missing directory", async () => {
    const { module, out } = fresh();
    await expectInvalid(["module", join(module, "nope")], out, /module directory .*nope does not exist/);
  });

  it("a file instead of a directory", async () => {
    const { module, out } = fresh();
    writeFileSync(join(module, "main.tf"), "");
    await expectInvalid(["module", join(module, "main.tf")], out, /main\.tf is not a directory/);
  });

  it("no .tf, .tf.json, .tofu or .tofu.json file at the root (even with some in subdirectories)", async () => {
    const { module, out } = fresh();
    writeTree(
      module,
      [
        { path: "README.md", content: "" },
        { path: "sub/main.tf", content: "" },
        { path: "main.tf.bak", content: "" },
      ],
      0o022,
    );
    await expectInvalid(["module", module], out, /has no \.tf, \.tf\.json, \.tofu or \.tofu\.json file at its root/);
    writeFileSync(join(module, "main.tf"), "");
    await expectInvalid(["module", module, "--exclude", "/main.tf"], out, /has no \.tf/);
  });

  it("a symlink pointing outside the directory (and a dangling one)", async () => {
    const { module, out } = fresh();
    writeFileSync(join(module, "main.tf"), "");
    writeFileSync(join(out, "..", "secret.txt"), "s");
    symlinkSync(join(out, "..", "secret.txt"), join(module, "leak.txt"));
    await expectInvalid(
      ["module", module],
      out,
      /leak\.txt is a symlink to .*secret\.txt, outside the module directory/,
    );
    expect((await pack(["module", module, "-o", join(out, "ok.zip"), "--exclude", "leak.txt"])).code).toBe(0);
    execFileSync("rm", [join(out, "ok.zip")]);
    symlinkSync("nothing-here", join(module, "dangling.tf"));
    await expectInvalid(["module", module, "--exclude", "leak.txt"], out, /dangling\.tf is a symlink to nothing/);
  });

  it("an unreadable file (run without root's power to read everything)", async () => {
    const { module, out } = fresh();
    writeFileSync(join(module, "main.tf"), "");
    writeFileSync(join(module, "private.tf"), "");
    chmodSync(join(module, "private.tf"), 0o000);
    await expectInvalid(
      ["module", module, "-o", join(out, "m.zip")],
      out,
      /cannot read private\.tf: permission denied/,
      { unprivileged: true },
    );
  });

  it("a package over 4 GiB (a sparse file, so nothing is read)", async () => {
    const { module, out } = fresh();
    writeFileSync(join(module, "main.tf"), "");
    writeFileSync(join(module, "huge.bin"), "");
    truncateSync(join(module, "huge.bin"), 4 * 1024 ** 3 + 1);
    await expectInvalid(["module", module], out, /holds 4294967297 bytes of files, over the 4 GiB limit/);
  });
});

/**
 * The command line that runs `command` without the capabilities that let root read any file
 * (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) when we are root. Still root, so it reaches a checkout
 * in a private directory (`git clone . "$(mktemp -d)"` makes one mode 0700), which user nobody
 * could not.
 */
function unprivileged(command: string[]): string[] {
  return process.getuid?.() === 0
    ? ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", ...command]
    : command;
}
