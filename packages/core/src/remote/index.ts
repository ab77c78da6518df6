export { RegistryClient, type RegistryClientOptions, type RegistryRequest } from "./registry-client.js";
export { RemoteRepository, referrersTag, type RemoteRepositoryOptions } from "./remote-repository.js";
export { mergeScopes } from "./authenticator.js";
export { parseChallenge, type Challenge } from "./www-authenticate.js";
export { responseError, type RetryOptions } from "./http.js";
export { sendOnce, withRetry, header, type HttpRequest, type HttpResponse } from "./http.js";
export { fileUploadSessions, memoryUploadSessions, type UploadSessionStore } from "./upload-sessions.js";
