import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUILT_IN_COMMANDS, runUmbrella } from "@tofu-oci/cli";
import { PLANS } from "./registry-plans.js";
import {
  memoryContext,
  parseRecords,
  PERSONALITIES,
  startPersonality,
  type CertificateFiles,
  type KnobSelection,
  type PersonalityName,
  type RegistryInfo,
  type RegistryMode,
  type RunningPersonality,
} from "@tofu-oci/testkit";

/** What one in-process `tofu-oci` run printed and returned. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  records: Array<Record<string, unknown>>;
}

/** Options of one run. */
export interface RunOptions {
  stdin?: string;
  signal?: AbortSignal;
  /** Run in this working directory (its `.tofu-ocirc.json` applies) instead of the user's. */
  cwd?: string;
}

/**
 * A person using tofu-oci against one registry personality: own HOME (docker config), cache
 * (upload sessions) and working directory, running the umbrella CLI in-process as `runCli`
 * would from the bin, with the flags that reach the front (TLS trust or --plain-http).
 */
export class RegistryUser {
  readonly home: string;
  readonly cwd: string;
  readonly env: Record<string, string>;

  constructor(
    readonly root: string,
    readonly front: RunningPersonality,
    config: Record<string, unknown> = {},
  ) {
    this.home = join(root, "home");
    this.cwd = join(root, "work");
    mkdirSync(this.home, { recursive: true });
    this.env = {
      HOME: this.home,
      XDG_CACHE_HOME: join(root, "cache"),
      XDG_CONFIG_HOME: join(root, "config"),
      PATH: process.env.PATH ?? "",
    };
    this.workDir(this.cwd, config);
  }

  /** A working directory with this config file (e.g. `chunkSize`), for runs that need other defaults. */
  workDir(dir: string, config: Record<string, unknown>): string {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, ".tofu-ocirc.json"), JSON.stringify(config));
    return dir;
  }

  /** `--plain-http` or `--ca-file CA`: how every command reaches the front. */
  get flags(): string[] {
    return this.front.plainHttp ? ["--plain-http"] : ["--ca-file", this.front.caFile!];
  }

  /** `HOST/REPO[:TAG]` on the front. */
  ref(repository: string, tag?: string): string {
    return `${this.front.host}/${repository}${tag === undefined ? "" : `:${tag}`}`;
  }

  /** Runs `tofu-oci ARGS` in-process as this user; records are parsed from stdout (JSON mode, as in a pipe). */
  async run(args: string[], options: RunOptions = {}): Promise<RunResult> {
    const result = await runTofuOci(args, { ...options, env: this.env, cwd: options.cwd ?? this.cwd });
    if (process.env.DEBUG_MATRIX_CPU)
      process.stdout.write(`${this.front.name} ${args.slice(0, 2).join(" ")}: ${result.cpuMs} ms cpu\n`);
    return result;
  }

  /** `tofu-oci auth login HOST -u USER --password-stdin` with the personality's own login (its auth variant). */
  login(): Promise<RunResult> {
    const credentials = this.front.credentials!;
    return this.run(["auth", "login", this.front.host, "-u", credentials.username, "--password-stdin", ...this.flags], {
      stdin: `${credentials.password}\n`,
    });
  }
}

/**
 * Runs `tofu-oci ARGS` in-process, as the bin would (runCli with a context of its own): stdout
 * is parsed into records (JSON mode, as in a pipe). `cpuMs` is the CPU time of the whole test
 * process meanwhile (registry fronts included), for DEBUG_MATRIX_CPU=1.
 */
export async function runTofuOci(
  args: string[],
  options: RunOptions & { env: Record<string, string>; cwd: string },
): Promise<RunResult & { cpuMs: number }> {
  const memory = memoryContext({ stdin: options.stdin ?? "", env: options.env, cwd: options.cwd });
  const ctx = { ...memory.ctx, signal: options.signal ?? memory.ctx.signal };
  const cpu = process.cpuUsage();
  const code = await runUmbrella(args, ctx, { version: "0.0.0-test", builtIns: BUILT_IN_COMMANDS });
  const used = process.cpuUsage(cpu);
  const stdout = memory.stdout();
  let records: Array<Record<string, unknown>> = [];
  try {
    records = parseRecords(stdout);
  } catch {
    // Text output; the caller looks at stdout itself.
  }
  return { code, stdout, stderr: memory.stderr(), records, cpuMs: Math.round((used.user + used.system) / 1000) };
}

/** Starts a personality in front of the shared registry of its own mode, over TLS where its plan says so. */
export function startFront(
  name: PersonalityName,
  registries: Record<RegistryMode, RegistryInfo>,
  certificates: CertificateFiles,
  selection: KnobSelection = {},
): Promise<RunningPersonality> {
  const { defaultMode } = PERSONALITIES[name];
  return startPersonality(name, {
    registry: registries[defaultMode],
    tls: PLANS[name].tls === true,
    certificates,
    ...selection,
  });
}

/** The only record of a successful run, with the run's output as the failure message. */
export function recordsOf(result: RunResult, kind?: string): Array<Record<string, unknown>> {
  if (result.code !== 0) throw new Error(`exit ${result.code}\nstderr: ${result.stderr}\nstdout: ${result.stdout}`);
  return kind ? result.records.filter((record) => record.kind === kind) : result.records;
}
