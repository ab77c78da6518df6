export { opentofuCredentials, commandCredentials, type OpenTofuCredentialsOptions } from "./provider.js";
export {
  resolveSource,
  materialize,
  type CredentialsQuery,
  type Resolution,
  type ResolveOptions,
  type Materialized,
} from "./resolver.js";
export { CredentialsError, isCredentialsError, type ResolutionStage, type SelectedSource } from "./errors.js";
export { nodeAuthIo, type NodeAuthIoOptions } from "./io/node-io.js";
export {
  virtualAuthIo,
  type VirtualAuthIo,
  type VirtualAuthIoOptions,
  type VirtualHelperReply,
} from "./io/virtual-io.js";
export {
  HelperNotFoundError,
  type AuthIo,
  type GoOs,
  type HelperOutput,
  type HelperRunner,
  type PathKind,
} from "./io/auth-io.js";
export type { Specificity } from "./policy/specificity.js";
export type { CredentialsSource, SourceKind } from "./policy/credentials-source.js";
export { describeCredentials } from "./explain.js";
export {
  providerInstallation,
  type ProviderInstallationConfig,
  type ProviderInstallationMethod,
} from "./provider-installation.js";
export { resolve, type ResolveCommandOptions } from "./resolve.js";
export { login, type LoginOptions } from "./login.js";
export { logout, type LogoutOptions } from "./logout.js";
export { token, type TokenOptions } from "./token.js";
export type { AuthEffects } from "./effects.js";
export type { ConfigFileStore } from "./store/config-file-store.js";
export type { CredentialsRecord, CandidateRecord, LoginRecord, LogoutRecord, TokenRecord } from "./records.js";
