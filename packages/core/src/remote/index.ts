/**
 * The registry client: distribution-spec HTTP with authentication, retries and connection reuse, and remote
 * repositories as targets.
 * @module
 */
export {
  RegistryClient,
  registryDispatcher,
  type RegistryClientOptions,
  type RegistryRequest,
} from "./registry-client.js";
export { newAgent } from "./undici-agent.js";
export { RemoteRepository, referrersTag, type RemoteRepositoryOptions } from "./remote-repository.js";
export { authenticating, mergeScopes, TokenCache, type AuthOptions } from "./authenticator.js";
export { parseChallenge, type Challenge } from "./www-authenticate.js";
export { responseError, type RetryOptions } from "./http.js";
export { notFoundOrDenied, registryWords } from "./registry-refusals.js";
export {
  sendOnce,
  withRetry,
  dispatcherSend,
  retrying,
  header,
  type Send,
  type DispatcherSendOptions,
  type RetryingOptions,
  type HttpRequest,
  type HttpResponse,
} from "./http.js";
export {
  fileUploadSessions,
  memoryUploadSessions,
  type SavedUpload,
  type UploadSessionStore,
} from "./upload-sessions.js";
export { chunkLimitIn, type RegistryKnowledge } from "./registry-knowledge.js";
export { assertRealmTransport } from "./realm-policy.js";
