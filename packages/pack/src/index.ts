export {
  packModule,
  planModule,
  DEFAULT_LEVEL,
  MAX_PACKAGE_SIZE,
  type PackModuleOptions,
  type ModulePlan,
} from "./pack-module.js";
export { packProvider, type PackProviderOptions } from "./pack-provider.js";
export { IgnoreRules, DEFAULT_EXCLUDES, type IgnoreMatch } from "./ignore-rules.js";
export { parseReleaseZipName, type ReleaseZipName } from "./release-files.js";
export { zipTimestamp } from "./zip-writer.js";
export {
  fileRecords,
  describeFileRecord,
  describeModuleRecord,
  describeProviderRecord,
  type FileRecord,
} from "./text.js";
export type { ModuleEntry } from "./module-files.js";
