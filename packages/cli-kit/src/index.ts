export { runCli, outputFor, nestCommands, type CliSpec, type GlobalArgs, type HandlerArgs } from "./run-cli.js";
export { Output, type Format, type OutputOptions } from "./output.js";
export { processContext, type CommandContext } from "./context.js";
export { runBin, runMain, type Main } from "./run-bin.js";
export { loadConfig, validateConfig, type TofuOciConfig, type LoadedConfig } from "./config.js";
export { withRegistryOptions, registryClientOptions, type RegistryArgs, type ResolveRegistryOptions } from "./registry-options.js";
export { readPackageVersion } from "./version.js";
export { ProgressBars, formatBytes, type ProgressBarsOptions } from "./progress.js";
export { memoryContext } from "./test-context.js";
