import { staticCredentials, TofuOciError, usageError } from "@tofu-oci/core";
import { RegistryClient, type RegistryClientOptions } from "@tofu-oci/core/remote";
import { authIoOf, configFilesOf, type AuthEffects } from "./effects.js";
import { helperStore } from "./helpers/credential-helper.js";
import type { AuthIo } from "./io/auth-io.js";
import type { LoginRecord } from "./records.js";
import { registryHost } from "./reference-query.js";
import { resolveSource } from "./resolver.js";
import type { ConfigFileStore } from "./store/config-file-store.js";
import { editableDocument, serializeDocument, setAuth } from "./store/docker-config-edit.js";
import { loginPlan, type StorePlan } from "./store/store-plan.js";
import { helperFailure } from "./store/helper-failure.js";

/** What `login` checks and stores. */
export interface LoginOptions {
  /** `HOST[:PORT]`. */
  host: string;
  /** Must not be empty. */
  username: string;
  /** Must not be empty. */
  password: string;
  /** Store in this docker-style file instead of where OpenTofu finds them (`--registry-config`). */
  registryConfig?: string;
  /**
   * How to reach the registry for the check (`plainHttp`, `insecure`, `caFile`...); its
   * credentials are replaced by `username` and `password`, and it retries once. Default: HTTPS.
   */
  clientOptions?: RegistryClientOptions;
}

/**
 * `tofu-oci-auth login HOST`: checks the username and password against the registry (Basic or
 * token flow), then stores them where OpenTofu will find them for HOST (see `loginPlan`),
 * as an `auths` entry written atomically with mode 0600 or through a credential helper.
 * The record's `warnings` say when OpenTofu would still pick other credentials.
 * @throws TofuOciError (usage) for an empty username or password, (unauthorized) when the
 * registry rejects them; nothing is stored then.
 */
export async function login(
  options: LoginOptions,
  effects: AuthEffects,
): Promise<LoginRecord & { warnings: string[] }> {
  const host = registryHost(options.host);
  const { username, password } = options;
  if (username === "")
    throw usageError("login needs a username", `Run tofu-oci-auth login ${host} -u USER --password-stdin.`);
  if (password === "") throw usageError("the password is empty");
  const io = authIoOf(effects);
  const files = configFilesOf(effects);
  const plan = await loginPlan(io, files, host, options.registryConfig);
  const verified = await verify(host, username, password, options.clientOptions ?? {}, effects.signal);
  await store(io, files, plan, host, username, password);
  const warnings = await afterLogin(io, host, username, plan);
  return { kind: "login", registry: host, username, ...planFields(plan), verified, warnings };
}

/** Sends GET /v2/ with the credentials; true when the registry challenged and accepted them. */
async function verify(
  host: string,
  username: string,
  password: string,
  clientOptions: RegistryClientOptions,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  let challenged = false;
  const client = new RegistryClient({
    ...clientOptions,
    credentials: staticCredentials({ username, password }),
    retry: { retries: 1 },
    log: (line) => (challenged ||= line.endsWith("-> 401")),
  });
  try {
    const response = await client.send({
      method: "GET",
      url: new URL("/v2/", client.baseUrl(host)),
      repository: "",
      scopes: [],
      signal,
    });
    await response.body.dump();
    if (response.status === 401 || response.status === 403) {
      throw new TofuOciError("unauthorized", `${host} rejected the credentials (HTTP ${response.status} to GET /v2/)`, {
        hint: `Check the username and password for ${host}.`,
      });
    }
    if (response.status !== 200)
      throw new TofuOciError(
        "network",
        `${host} answered HTTP ${response.status} to GET /v2/; it does not look like an OCI registry`,
        { hint: "Check the host and port, and --plain-http." },
      );
    return challenged;
  } finally {
    await client.close();
  }
}

async function store(
  io: AuthIo,
  files: ConfigFileStore,
  plan: StorePlan,
  host: string,
  username: string,
  password: string,
): Promise<void> {
  if (plan.store === "helper") {
    await helperStore(io, plan.helper, plan.serverURL, username, password).catch(helperFailure(plan.helper, "storing"));
    return;
  }
  if (plan.store !== "file") return;
  await files.locked(plan.file, async () => {
    const document = editableDocument(await files.read(plan.file), plan.file);
    setAuth(document, host, username, password);
    await files.write(plan.file, serializeDocument(document));
  });
}

/** Checks that OpenTofu now picks what login stored; says what it picks instead if not. */
async function afterLogin(io: AuthIo, host: string, username: string, plan: StorePlan): Promise<string[]> {
  const selected = (await resolveSource(io, { registry: host, repository: "" })).selection.selected;
  const stored =
    plan.store === "helper"
      ? selected?.helper === plan.helper
      : selected?.location === (plan.store === "file" ? plan.file : "") && selected?.username === username;
  if (stored) return [];
  const what = selected ? `the ${selected.location} (${selected.entry})` : "no credentials";
  return [
    `OpenTofu will not use these credentials for ${host}: it selects ${what}. Run tofu-oci-auth resolve ${host} for the details.`,
  ];
}

function planFields(plan: StorePlan): Pick<LoginRecord, "store" | "file" | "helper" | "serverURL"> {
  if (plan.store === "helper")
    return {
      store: "helper",
      helper: plan.helper,
      serverURL: plan.serverURL,
      ...(plan.file ? { file: plan.file } : {}),
    };
  return { store: "file", ...(plan.store === "file" ? { file: plan.file } : {}) };
}
