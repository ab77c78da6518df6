export { startRegistry, freePort, REGISTRY_MODES, type RegistryMode, type TestRegistry, type StartRegistryOptions } from "./registry.js";
export { startTokenServer, type TokenServer, type TokenServerOptions } from "./token-server.js";
export { ensureCommands, hasCommand, INTEGRATION_COMMANDS } from "./system-deps.js";
export { makeServerCertificate, makeTokenSigningCertificate } from "./certificates.js";
export { skopeo, skopeoInspectRaw } from "./skopeo.js";
export { tempDir, uniqueRepository } from "./temp.js";
export { runBin, runProcess, binPath, parseRecords, type BinResult, type RunBinOptions } from "./run-bin.js";
export type { RegistryInfo } from "./global-setup.js";
export { RegistryStorage } from "./registry-storage.js";
