export {
  startRegistry,
  freePort,
  REGISTRY_MODES,
  type RegistryMode,
  type TestRegistry,
  type StartRegistryOptions,
} from "./registry.js";
export { startTokenServer, type TokenServer, type TokenServerOptions } from "./token-server.js";
export { ensureCommands, hasCommand, INTEGRATION_COMMANDS, TEST_COMMANDS } from "./system-deps.js";
export { makeServerCertificate, makeTokenSigningCertificate, type CertificateFiles } from "./certificates.js";
export { skopeo, skopeoInspectRaw } from "./skopeo.js";
export { tempDir, uniqueRepository, waitUntil } from "./temp.js";
export { runBin, runProcess, binPath, parseRecords, type BinResult, type RunBinOptions } from "./run-bin.js";
export type { RegistryInfo } from "./global-setup.js";
export { RegistryStorage } from "./registry-storage.js";
export {
  startFaultProxy,
  type FaultProxy,
  type FaultProxyOptions,
  type Fault,
  type ScriptedFault,
} from "./fault-proxy.js";
export {
  startProviderRegistry,
  type TestProvider,
  type TestProviderRegistry,
  type ProviderFault,
  type ProviderRegistryOptions,
  type ReleaseZip,
} from "./provider-registry.js";
export {
  startModuleRegistry,
  type TestModuleRegistry,
  type ModuleRegistryOptions,
  type ModuleDownload,
} from "./module-registry.js";
export { buildZip, storedEntry, endOfCentralDirectory, type ZipSpec } from "./zip-builder.js";
export { truncatedZip, ratioBomb, sizeBomb, lyingSizeZip, buildTar, type TarSpec } from "./hostile-archives.js";
export { memoryContext, type MemoryContextOptions } from "./memory-context.js";
export {
  startPersonality,
  type StartPersonalityOptions,
  type RunningPersonality,
  type PersonalityBackend,
  type RequestRecord,
} from "./personalities/start-personality.js";
export {
  PERSONALITIES,
  PERSONALITY_NAMES,
  OPENTOFU_MEDIA_TYPES,
  UNREPRODUCED_ROWS,
  personalityKnobs,
  personalityGuide,
  type Personality,
  type PersonalityName,
  type PersonalityGuide,
  type Quirk,
  type NativeRow,
  type KnobSelection,
} from "./personalities/catalogue.js";
export type {
  Knobs,
  Throttle,
  ThrottleBody,
  BlobRedirect,
  TokenEndpoint,
  BasicChallenge,
  TagPaging,
  MediaTypeAllowList,
  RouteKind,
} from "./personalities/knobs.js";
export {
  startHostileServer,
  sendJson,
  sendEndless,
  sendTrickle,
  type HostileServer,
  type HostileServerOptions,
  type HostileHandler,
  type SeenRequest,
} from "./hostile-server.js";
export { startGitDaemon, type GitDaemon } from "./git-daemon.js";
export { goProgram, GREET, MAIN_MODULE, type GoProgram } from "./go-program.js";
export { runInTerminal, TERMINAL_COMMANDS, type TerminalOptions, type TerminalResult } from "./terminal.js";
