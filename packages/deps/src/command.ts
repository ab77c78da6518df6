import { defineCommand, readPackageVersion, withRegistryOptions, type CliSpec } from "@tofu-oci/cli-kit";
import { TofuOciError, plural, type ErrorCode } from "@tofu-oci/core";

/**
 * The exit code of a record that failed (docs/contract/design.md 2.2): 3 when what it names does
 * not exist, 1 when verify's checks failed, 6 for anything else (bad constraints, sources, locks).
 */
function problemCode(record: { notFound?: true; checks?: unknown[] }): ErrorCode {
  if (record.notFound) return "not-found";
  return record.checks?.length ? "verification-failed" : "invalid-input";
}

const lockCommand = defineCommand({
  command: "lock [dir]",
  describe:
    "Write .terraform.lock.hcl with zh: and h1: hashes for every platform, from the OCI mirror OpenTofu's CLI configuration names",
  builder: (y) =>
    withRegistryOptions(y)
      .positional("dir", { type: "string", describe: "The configuration directory (default: the current one)" })
      .option("platform", {
        type: "string",
        array: true,
        describe: "Lock only this platform, os_arch or os/arch (repeatable; default: every platform in the mirror)",
      })
      .option("upgrade", {
        type: "boolean",
        describe: "Take the newest allowed versions instead of the locked ones, as tofu init -upgrade",
      })
      .option("download", {
        type: "boolean",
        describe: "Download every zip: check all of it, and each recorded h1: against it",
      })
      .option("dry-run", { type: "boolean", describe: "Report what would change without writing the lock file" })
      .example("$0 lock", "Lock every platform of the configuration here, from the oci_mirror of ~/.tofurc")
      .example(
        "TF_CLI_CONFIG_FILE=ci.tfrc $0 lock ./infra --platform linux_amd64 --platform darwin_arm64",
        "Two platforms, another CLI configuration",
      ),
  handler: async (args, output) => {
    const [{ lock }, { describeRecord }, { commandClientOptions }] = await Promise.all([
      import("./lock.js"),
      import("./text.js"),
      import("@tofu-oci/auth/command"),
    ]);
    const clientOptions = await commandClientOptions(args, output);
    const result = await lock(
      {
        ...(args.dir !== undefined ? { dir: args.dir } : {}),
        platforms: args.platform ?? [],
        upgrade: args.upgrade ?? false,
        download: args.download ?? false,
        dryRun: args.dryRun ?? false,
        clientOptions,
        onRecord: (record) => output.record(record, describeRecord),
        onWarning: (message) => output.warn(message),
      },
      { cwd: args.ctx.cwd, env: args.ctx.env, signal: args.ctx.signal },
    );
    if (result.failed.length === 0) return;
    const names = result.failed.map((r) => r.provider).join(", ");
    const what = `${plural(result.failed.length, "provider")} could not be locked: ${names}`;
    throw new TofuOciError(problemCode(result.failed[0]!), what, {
      hint: "Each provider-lock record says why; its lock entry was left as it was.",
    });
  },
});

const SOURCES_DIR = {
  type: "string",
  describe: "The configuration directory, subdirectories included (default: the current one)",
} as const;

const CONSTRAINT = {
  type: "string",
  describe: "Version constraint for sources without a '# tofu-oci: ~> 1.2' comment on their line",
} as const;

const outdatedCommand = defineCommand({
  command: "outdated [dir]",
  describe: "List every oci:// module source with what it pins, the newest version and the newest allowed one",
  builder: (y) =>
    withRegistryOptions(y, { concurrency: false })
      .positional("dir", SOURCES_DIR)
      .option("constraint", CONSTRAINT)
      .option("exit-code", {
        type: "boolean",
        describe: "Exit 1 when a source is outdated or its pinned tag moved (for CI)",
      })
      .example("$0 outdated", "Every module source here and below")
      .example("$0 outdated ./infra --constraint '~> 1.0' --exit-code", "Fail CI when a newer 1.x exists"),
  handler: async (args, output) => {
    const [{ outdated }, { describeRecord }, { commandClientOptions }] = await Promise.all([
      import("./outdated.js"),
      import("./text.js"),
      import("@tofu-oci/auth/command"),
    ]);
    const clientOptions = await commandClientOptions(args, output);
    const records = await outdated(
      {
        ...(args.dir !== undefined ? { dir: args.dir } : {}),
        ...(args.constraint !== undefined ? { constraint: args.constraint } : {}),
        clientOptions,
        onRecord: (record) => output.record(record, describeRecord),
      },
      { cwd: args.ctx.cwd, signal: args.ctx.signal },
    );
    const problems = records.filter((record) => record.problem !== undefined);
    if (problems.length > 0)
      throw new TofuOciError(
        problemCode(problems[0]!),
        `${plural(problems.length, "module source")} could not be checked`,
        {
          hint: "Each module-source record with a problem says why.",
        },
      );
    const stale = records.filter((record) => record.outdated || record.tagMoved);
    if (args.exitCode && stale.length > 0) {
      throw new TofuOciError("verification-failed", `${plural(stale.length, "module source")} outdated or moved`, {
        hint: "Run tofu-oci deps update to move them to the newest allowed versions, pinned by digest.",
      });
    }
  },
});

function pinCommand(verb: "pin" | "update") {
  return defineCommand({
    command: `${verb} [dir]`,
    describe:
      verb === "pin"
        ? "Pin every oci:// module source on a tag to the digest the tag names now (keeping the tag in a comment)"
        : "Move every oci:// module source to the newest version its constraint allows, pinned by digest",
    builder: (y) =>
      withRegistryOptions(y, { concurrency: false })
        .positional("dir", SOURCES_DIR)
        .option("constraint", { ...CONSTRAINT, hidden: verb === "pin" })
        .option("dry-run", { type: "boolean", describe: "Report what would change without writing any file" })
        .example(
          `$0 ${verb}`,
          verb === "pin"
            ? "?tag=1.2.0 becomes ?digest=sha256:... # tofu-oci: tag=1.2.0"
            : "Each source to its newest allowed version, pinned",
        ),
    handler: async (args, output) => {
      const [pins, { describeRecord }, { commandClientOptions }] = await Promise.all([
        import("./pin.js"),
        import("./text.js"),
        import("@tofu-oci/auth/command"),
      ]);
      const clientOptions = await commandClientOptions(args, output);
      if (verb === "pin" && args.constraint !== undefined)
        throw new TofuOciError("usage", "--constraint applies to deps update and deps outdated, not to deps pin");
      const options = {
        ...(args.dir !== undefined ? { dir: args.dir } : {}),
        ...(args.constraint !== undefined ? { constraint: args.constraint } : {}),
        dryRun: args.dryRun ?? false,
        clientOptions,
        onRecord: (record: Parameters<typeof describeRecord>[0]) => output.record(record, describeRecord),
      };
      const records = await (verb === "pin" ? pins.pin : pins.update)(options, {
        cwd: args.ctx.cwd,
        signal: args.ctx.signal,
      });
      const refused = records.filter((record) => record.action === "refused");
      if (refused.length > 0) {
        throw new TofuOciError(
          problemCode(refused[0]!),
          `${plural(refused.length, "module source")} left as they were`,
          { hint: "Each refused module-pin record says why." },
        );
      }
    },
  });
}

/** The tofu-oci-deps command line; the umbrella runs it as `tofu-oci deps`. */
export const cli: CliSpec = {
  scriptName: "tofu-oci-deps",
  version: readPackageVersion(import.meta.url),
  commands: [lockCommand, outdatedCommand, pinCommand("pin"), pinCommand("update")],
  epilogue: [
    "Exit codes: 0 ok; 1 a check failed (or, with --exit-code, something is outdated); 2 usage;",
    "3 not found; 4 auth; 5 registry/network; 6 bad configuration, lock file, source or constraint.",
    "Examples:",
    "  $0 lock --platform linux_amd64 --platform darwin_arm64",
    "  $0 outdated --exit-code",
    "  $0 update --dry-run",
  ].join("\n"),
};
