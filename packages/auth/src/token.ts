import { parseReference, TofuOciError } from "@tofu-oci/core";
import { RegistryClient, registryDispatcher, type RegistryClientOptions } from "@tofu-oci/core/remote";
import type { Dispatcher } from "undici";
import { authIoOf, type AuthEffects } from "./effects.js";
import { providerOn } from "./provider.js";
import type { TokenRecord } from "./records.js";

/** Which token `token` gets, and how. */
export interface TokenOptions {
  /** `HOST/REPO[:TAG]` or `oci://HOST/REPO`. */
  reference: string;
  /**
   * How to reach the registry (`plainHttp`, `insecure`, `caFile`...) and with which
   * credentials. Default: HTTPS with the credentials OpenTofu would use.
   */
  clientOptions?: RegistryClientOptions;
  /**
   * A docker-style config.json OpenTofu's credentials come from instead of its search, when
   * `clientOptions` has no credentials. Default: none.
   */
  registryConfig?: string;
}

/**
 * `tofu-oci-auth token REF`: a bearer token with pull scope for REF's repository, obtained
 * with the credentials OpenTofu would use (or those of `clientOptions`), for debugging with
 * curl. An `access_token` from the CLI configuration is returned as is, as OpenTofu sends it.
 * @throws TofuOciError when the registry uses Basic authentication or none at all.
 */
export async function token(options: TokenOptions, effects: AuthEffects): Promise<TokenRecord> {
  const reference = parseReference(options.reference);
  const base = options.clientOptions ?? {};
  const credentials = base.credentials ?? providerOn(authIoOf(effects), options.registryConfig);
  const url = new URL(
    `/v2/${reference.repository}/tags/list`,
    `${base.plainHttp ? "http" : "https"}://${reference.registry}`,
  );
  const recorder = await recordingAgent(base, url.origin);
  const client = new RegistryClient({ ...base, credentials, dispatcher: recorder.dispatcher, retry: { retries: 1 } });
  const scope = `repository:${reference.repository}:pull`;
  try {
    const response = await client.send({
      method: "GET",
      url,
      repository: reference.repository,
      scopes: [scope],
      signal: effects.signal,
    });
    await response.body.dump();
  } finally {
    await client.close();
    await recorder.close();
  }
  return {
    kind: "token",
    registry: reference.registry,
    repository: reference.repository,
    scope,
    token: bearerOf(recorder.authorizations, reference.registry),
  };
}

function bearerOf(authorizations: string[], registry: string): string {
  const last = authorizations.at(-1);
  if (last?.startsWith("Bearer ")) return last.slice("Bearer ".length);
  if (last) {
    throw new TofuOciError("unauthorized", `${registry} uses Basic authentication, so there is no bearer token`, {
      hint: "Use the username and password directly, e.g. curl -u USER.",
    });
  }
  throw new TofuOciError("not-found", `${registry} did not ask for authentication, so it issued no token`, {
    hint: "Anonymous requests work for this repository; curl needs no token.",
  });
}

/**
 * The connection pool of RegistryClient (TLS settings included) with an interceptor that
 * notes the Authorization header of each request to the registry, so the token core's auth flow
 * obtained can be shown without a second implementation of that flow.
 */
async function recordingAgent(
  options: RegistryClientOptions,
  registryOrigin: string,
): Promise<{ dispatcher: Dispatcher; authorizations: string[]; close: () => Promise<void> }> {
  const agent = registryDispatcher(options);
  const authorizations: string[] = [];
  const dispatcher = agent.compose((dispatch) => (request, handler) => {
    const value = headerValue(request.headers, "authorization");
    // Requests to the token service carry the password; only the registry's own requests count.
    if (value && String(request.origin) === registryOrigin) authorizations.push(value);
    return dispatch(request, handler);
  });
  return { dispatcher, authorizations, close: () => agent.close() };
}

function headerValue(headers: Dispatcher.DispatchOptions["headers"], name: string): string | undefined {
  if (!headers || Array.isArray(headers) || typeof (headers as Iterable<unknown>)[Symbol.iterator] === "function")
    return undefined;
  const found = Object.entries(headers as Record<string, unknown>).find(([key]) => key.toLowerCase() === name);
  return typeof found?.[1] === "string" ? found[1] : undefined;
}
