import { authIoOf, configFilesOf, type AuthEffects } from "./effects.js";
import { helperErase, helperGet } from "./helpers/credential-helper.js";
import type { AuthIo } from "./io/auth-io.js";
import type { LogoutRecord } from "./records.js";
import { registryHost } from "./reference-query.js";
import { materialize, resolveSource } from "./resolver.js";
import type { ConfigFileStore } from "./store/config-file-store.js";
import { editableDocument, removeAuth, serializeDocument } from "./store/docker-config-edit.js";
import { helperFailure } from "./store/helper-failure.js";
import { logoutPlan, type StorePlan } from "./store/store-plan.js";

/** What `logout` removes: the credentials of `host`, from `registryConfig` when given. */
export interface LogoutOptions {
  /** `HOST[:PORT]`. */
  host: string;
  /** The docker-style file to remove them from instead of where OpenTofu finds them. */
  registryConfig?: string;
}

/**
 * `tofu-oci-auth logout HOST`: removes the credentials OpenTofu would use for HOST from where
 * login stores them (an `auths` entry, or the helper's store). Not being logged in is no error.
 * The record's `warnings` name credentials OpenTofu still finds afterwards.
 */
export async function logout(
  options: LogoutOptions,
  effects: AuthEffects,
): Promise<LogoutRecord & { warnings: string[] }> {
  const host = registryHost(options.host);
  const io = authIoOf(effects);
  const files = configFilesOf(effects);
  const plan = await logoutPlan(io, files, host, options.registryConfig);
  const removed = await erase(io, files, plan, host);
  const record: LogoutRecord & { warnings: string[] } = {
    kind: "logout",
    registry: host,
    removed,
    warnings: await remaining(io, host),
  };
  if (plan.store !== "none" && plan.file) record.file = plan.file;
  if (plan.store === "helper") record.helper = plan.helper;
  return record;
}

async function erase(io: AuthIo, files: ConfigFileStore, plan: StorePlan, host: string): Promise<boolean> {
  let removed = false;
  if (plan.store === "helper")
    removed = await eraseFromHelper(io, plan.helper, plan.serverURL).catch(helperFailure(plan.helper, "removing"));
  if (plan.store === "none" || !plan.file) return removed;
  const file = plan.file;
  return files.locked(file, async () => {
    const text = await files.read(file);
    if (text === undefined) return removed;
    const document = editableDocument(text, file);
    if (!removeAuth(document, host)) return removed;
    await files.write(file, serializeDocument(document));
    return true;
  });
}

/** Erases only what is there: some helpers (pass) fail to erase a missing entry. */
async function eraseFromHelper(io: AuthIo, helper: string, serverURL: string): Promise<boolean> {
  const answer = await helperGet(io, helper, serverURL);
  if (!answer.found || (answer.username === "" && answer.secret === "")) return false;
  return helperErase(io, helper, serverURL);
}

async function remaining(io: AuthIo, host: string): Promise<string[]> {
  const selected = (await resolveSource(io, { registry: host, repository: "" })).selection.selected;
  if (!selected || (await materialize(io, selected)).anonymous) return [];
  return [
    `OpenTofu still finds credentials for ${host}: the ${selected.location} (${selected.entry}). Run tofu-oci-auth resolve ${host} for the details.`,
  ];
}
