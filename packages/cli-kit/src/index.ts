export {
  runCli,
  parseCommandLine,
  outputOptionsFromArgs,
  nestCommands,
  type CliSpec,
  type ParsedCommandLine,
} from "./run-cli.js";
export {
  defineCommand,
  outputFor,
  type Argv,
  type CommandDefinition,
  type CommandModule,
  type GlobalArgs,
  type HandlerArgs,
} from "./define-command.js";
export { Output, type Format, type OutputOptions } from "./output.js";
export { processContext, type CommandContext } from "./context.js";
export { runBin, runMain, type Main } from "./run-bin.js";
export { OutputClosed } from "./output-closed.js";
export { loadConfig, configFor, validateConfig, type TofuOciConfig, type LoadedConfig } from "./config.js";
export { qualifyReference, referenceDefaults } from "./default-registry.js";
export {
  withRegistryOptions,
  registryClientOptions,
  transportOptions,
  passwordFromFlags,
  type RegistryArgs,
  type RegistryOptionsSettings,
  type ResolveRegistryOptions,
} from "./registry-options.js";
export { readPackageVersion } from "./version.js";
export { ProgressBars, type ProgressBarsOptions } from "./progress.js";
export { withTransferProgress, blobLabel, type ProgressHooks } from "./transfer-progress.js";
export { positionalOrStdin, positionalOrRecords, assertStdinFree, type StdinRecords } from "./stdin-argument.js";
export { readHiddenLine } from "./hidden-input.js";
export { describeCommands, type CommandInfo, type OptionInfo, type PositionalInfo } from "./command-info.js";
export { COMPLETIONS_FLAG, completeWords, completionScript } from "./completion.js";
export { suggest } from "./suggest.js";
export { isStdout, writeToStdout } from "./stdout-file.js";
