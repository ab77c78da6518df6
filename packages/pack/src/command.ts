/**
 * The `pack` commands (module, provider) for the umbrella `tofu-oci` and the `tofu-oci-pack` bin; loads the CLI
 * kit.
 * @module
 */
import {
  ProgressBars,
  defineCommand,
  isStdout,
  readPackageVersion,
  writeToStdout,
  type CliSpec,
} from "@tofu-oci/cli-kit";
import { usageError } from "@tofu-oci/core";

const moduleCommand = defineCommand({
  command: "module <dir>",
  describe: "Pack a module directory into a deterministic zip and print its package record",
  builder: (y) =>
    y
      .positional("dir", {
        type: "string",
        demandOption: true,
        describe: "The module's root directory (with its .tf files)",
      })
      .option("output", {
        alias: "o",
        type: "string",
        describe:
          "The zip to write, its directory created when missing (default ./<dirname>.zip); - writes it to stdout",
      })
      .option("out-dir", { type: "string", describe: "Write <dirname>.zip into this directory (created when missing)" })
      .conflicts("output", "out-dir")
      .option("exclude", {
        type: "string",
        array: true,
        describe: "Leave out paths matching this .terraformignore-style pattern (repeatable)",
      })
      .option("default-excludes", {
        type: "boolean",
        default: true,
        describe:
          "Leave out .git/, .terraform/, *.tfstate, *.tfstate.backup, .terraform.tfstate.lock.info, crash.log, crash.*.log (--no-default-excludes keeps them)",
      })
      .option("dry-run", { type: "boolean", describe: "Print the files that would be packed; write nothing" })
      .example("$0 module ./modules/network", "Write ./network.zip and print its package record")
      .example("$0 module . -o dist/net.zip --exclude 'tests/'", "Choose the zip; leave out tests/")
      .example("$0 module ./net --dry-run --format text", "List what would go in")
      .example("$0 module ./net -o - | ssh host 'cat > net.zip'", "The zip on stdout (its record on stderr)"),
  handler: async (args, output) => {
    const [{ packModule, planModule }, { parseSourceDateEpoch }, text] = await Promise.all([
      import("./pack-module.js"),
      import("./source-date-epoch.js"),
      import("./text.js"),
    ]);
    const options = {
      output: args.output,
      outDir: args.outDir,
      excludes: args.exclude ?? [],
      defaultExcludes: args.defaultExcludes ?? true,
      sourceDateEpoch: parseSourceDateEpoch(args.ctx.env.SOURCE_DATE_EPOCH),
      cwd: args.ctx.cwd,
      signal: args.ctx.signal,
    };
    if (args.dryRun) {
      for (const record of text.fileRecords(await planModule(args.dir, options)))
        output.record(record, text.describeFileRecord);
      return;
    }
    const bars = new ProgressBars(args.ctx.stderr, { enabled: args.ctx.stderrIsTTY && !output.quiet });
    let started = false;
    const onProgress = (bytes: number, total: number) => {
      if (!started) bars.start("pack", `packing ${args.dir}`, total);
      started = true;
      bars.update("pack", bytes);
    };
    try {
      if (isStdout(args.output)) {
        // The zip is stdout; its record goes to stderr as text.
        const record = await writeToStdout(args.ctx, "module.zip", (zip) =>
          packModule(args.dir, { ...options, output: zip, onProgress }),
        );
        bars.stop();
        output.info(text.describeModuleRecord({ ...record, file: "stdout" }));
        return;
      }
      const record = await packModule(args.dir, { ...options, onProgress });
      bars.stop();
      output.record(record, text.describeModuleRecord);
    } finally {
      bars.stop();
    }
  },
});

const providerCommand = defineCommand({
  command: "provider [paths..]",
  describe: "Collect a provider version's release zips (unchanged) and print its package record",
  builder: (y) =>
    y
      .version(false)
      .positional("paths", {
        type: "string",
        array: true,
        describe:
          "Release zips terraform-provider-TYPE_VERSION_OS_ARCH.zip, their *_SHA256SUMS, or directories holding them (default .)",
      })
      .option("provider", { type: "string", demandOption: true, describe: "The provider address HOST/NAMESPACE/TYPE" })
      .option("version", {
        type: "string",
        demandOption: true,
        describe: "The version, as in the zips' names (e.g. 1.2.0)",
      })
      .option("require-shasums", { type: "boolean", describe: "Fail unless a *_SHA256SUMS file lists every zip" })
      .example(
        "$0 provider --provider registry.example.com/acme/thing --version 1.2.0 dist/",
        "All zips of a goreleaser dist/, checked against its SHA256SUMS",
      ),
  handler: async (args, output) => {
    if (typeof args.version !== "string") throw usageError("--version needs a value, e.g. --version 1.2.0");
    const [{ packProvider }, { describeProviderRecord }] = await Promise.all([
      import("./pack-provider.js"),
      import("./text.js"),
    ]);
    const record = await packProvider({
      provider: args.provider,
      version: args.version,
      paths: args.paths ?? [],
      requireShasums: args.requireShasums ?? false,
      cwd: args.ctx.cwd,
      onWarning: (message) => output.warn(message),
      signal: args.ctx.signal,
    });
    output.record(record, describeProviderRecord);
  },
});

/** The tofu-oci-pack command line; the umbrella runs it as `tofu-oci pack`. */
export const cli: CliSpec = {
  scriptName: "tofu-oci-pack",
  version: readPackageVersion(import.meta.url),
  commands: [moduleCommand, providerCommand],
  epilogue: [
    "Examples:",
    "  $0 module ./modules/network            (writes ./network.zip, prints its record)",
    "  $0 module . -o dist/net.zip --exclude 'tests/' --exclude '*.md'",
    "  $0 module ./net --dry-run --format text",
    "  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) $0 module ./net --out-dir dist",
    "  $0 provider --provider registry.example.com/acme/thing --version 1.2.0 dist/",
    "  $0 module ./net | tofu-oci-push registry.example.com/modules/net:1.0.0",
    "",
    "Zips are the same byte for byte on every run and machine: sorted entries, fixed timestamps",
    "(SOURCE_DATE_EPOCH or 1980-01-01), modes 0644/0755. .terraformignore works as in remote runs.",
  ].join("\n"),
};
