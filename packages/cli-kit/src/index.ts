export { runCli, nestCommands, type CliSpec } from "./run-cli.js";
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
export { loadConfig, validateConfig, type TofuOciConfig, type LoadedConfig } from "./config.js";
export { qualifyReference, referenceDefaults } from "./default-registry.js";
export {
  withRegistryOptions,
  registryClientOptions,
  transportOptions,
  passwordFromFlags,
  type RegistryArgs,
  type ResolveRegistryOptions,
} from "./registry-options.js";
export { readPackageVersion } from "./version.js";
export { ProgressBars, type ProgressBarsOptions } from "./progress.js";
export { withTransferProgress, blobLabel, type ProgressHooks } from "./transfer-progress.js";
export { positionalOrStdin, assertStdinFree } from "./stdin-argument.js";
