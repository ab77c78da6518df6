import { fileURLToPath } from "node:url";
import { binPath, parseRecords, runProcess, tempDir, uniqueRepository } from "@tofu-oci/testkit";
import { afterAll, describe, expect, inject, it } from "vitest";

// The record pass-through rule in real pipelines: a command consumes the records of its kinds,
// passes every other record on unchanged, and an upstream `error` record ends it with the
// upstream's exit code and message (printed once, by the command that failed).

const registries = inject("registries");
const example = fileURLToPath(new URL("../../../examples/modules/network", import.meta.url));
const scratch = tempDir("tofu-oci-pipeline-records-");
afterAll(() => scratch.cleanup());

const tofuOci = `${JSON.stringify(process.execPath)} ${JSON.stringify(binPath("cli"))}`;
const env = {
  HOME: scratch.path,
  XDG_CONFIG_HOME: `${scratch.path}/.config`,
  DOCKER_CONFIG: undefined,
  REGISTRY_AUTH_FILE: undefined,
  TF_CLI_CONFIG_FILE: undefined,
};

/** Runs a bash pipeline; `codes` are the exit codes of its commands, in order. */
async function pipeline(line: string) {
  const result = await runProcess("bash", ["-c", `${line}; echo "codes \${PIPESTATUS[*]}" >&2`], {
    cwd: scratch.path,
    env,
    timeoutMs: 120_000,
  });
  const codes = (/codes ([\d ]+)\n$/.exec(result.stderr)?.[1] ?? "").split(" ").map(Number);
  return { ...result, codes, stderr: result.stderr.replace(/codes [\d ]+\n$/, "") };
}

describe("records that are not the command's pass by", () => {
  it("verify checks the artifacts and passes a cli-config record on", async () => {
    const cliConfig = JSON.stringify({ kind: "cli-config", text: "provider_installation {}" });
    const result = await pipeline(
      `${tofuOci} pack module ${JSON.stringify(example)} -o net.zip | ${tofuOci} push --oci-layout ./layout:1.0.0 | { cat; echo '${cliConfig}'; } | ${tofuOci} verify --format json`,
    );
    expect(result.codes, result.stderr).toEqual([0, 0, 0, 0]);
    const records = parseRecords(result.stdout);
    expect(records.map((record) => record.kind).sort()).toEqual(["cli-config", "verification"]);
    expect(records.find((record) => record.kind === "cli-config")).toEqual(JSON.parse(cliConfig));
    expect(records.find((record) => record.kind === "verification")).toMatchObject({ ok: true });
  });

  it("mirror export | verify: the artifacts are verified, the bundle record passes on", async () => {
    const { host } = registries.plain;
    const ref = `${host}/${uniqueRepository("pipeline/export")}:1.0.0`;
    const pushed = await pipeline(
      `${tofuOci} pack module ${JSON.stringify(example)} -o net.zip | ${tofuOci} push ${ref} --plain-http`,
    );
    expect(pushed.codes, pushed.stderr).toEqual([0, 0]);
    const result = await pipeline(
      `${tofuOci} mirror export ${ref} -o bundle.tar --plain-http | ${tofuOci} verify --plain-http --format json`,
    );
    expect(result.codes, result.stderr).toEqual([0, 0]);
    const records = parseRecords(result.stdout);
    expect(records.map((record) => record.kind).sort()).toEqual(["bundle", "verification"]);
  });
});

describe("an upstream failure ends the pipeline with its own exit code", () => {
  it("pack | push (authentication fails) | verify exits 4 at push and at verify, and says it once", async () => {
    const { host } = registries.basic;
    const ref = `${host}/${uniqueRepository("pipeline/unauthorized")}:1.0.0`;
    const result = await pipeline(
      `${tofuOci} pack module ${JSON.stringify(example)} -o net.zip | ${tofuOci} push ${ref} --plain-http | ${tofuOci} verify --plain-http`,
    );
    expect(result.codes, result.stderr).toEqual([0, 4, 4]);
    expect(result.stderr.match(/^error: /gm)).toHaveLength(1);
    const [record] = parseRecords(result.stdout);
    expect(record).toMatchObject({ kind: "error", code: "unauthorized" });
  });

  it.each([
    ["push", `${JSON.stringify("127.0.0.1:1/net:1.0.0")}`],
    ["verify", ""],
  ])("%s stops on an error record before it reads anything else", async (command, args) => {
    const error = JSON.stringify({ kind: "error", code: "not-found", message: "no such thing", hint: "Check it." });
    const result = await pipeline(`echo '${error}' | ${tofuOci} ${command} ${args} --format json`);
    expect(result.codes).toEqual([0, 3]);
    expect(result.stderr).toBe("");
    expect(parseRecords(result.stdout)).toEqual([JSON.parse(error)]);
  });
});
