export {
  RegistryHttp,
  DEFAULT_MAX_DOWNLOAD_SIZE,
  tokensFromEnv,
  tokenVariableHost,
  statusError,
  isLoopback,
  type RegistryHttpOptions,
  type DownloadedFile,
  type ApiResponse,
} from "./registry-http.js";
export { discoverService, parseJsonObject, invalidResponse } from "./service-discovery.js";
export { discoverProvidersApi } from "./provider-discovery.js";
export {
  ProviderRegistryClient,
  parsePackageMetadata,
  type AvailableVersion,
  type PackageMetadata,
  type RegistryPackageEntry,
} from "./provider-registry-client.js";
export { ModuleRegistryClient, type ModuleLocation } from "./module-registry-client.js";
export { metadataChecks, zipChecks, sha256sumsEntry, checkResult, PackageCheckId } from "./package-authentication.js";
export { checkSignature, type SignatureResult, type SignatureCheckOptions } from "./signature.js";
export { SignedSumsCache, type SignedSums } from "./signed-sums.js";
