import { plural } from "@tofu-oci/core";
import type { LockFileRecord, ModulePinRecord, ModuleSourceRecord, ProviderLockRecord } from "./records.js";

/** Any record of the deps verbs. */
export type DepsRecord = ModuleSourceRecord | ModulePinRecord | ProviderLockRecord | LockFileRecord;

/** One line of text for a deps record, as the commands print it on a terminal. */
export function describeRecord(record: DepsRecord): string {
  switch (record.kind) {
    case "module-source":
      return describeSource(record);
    case "module-pin":
      return describePin(record);
    case "provider-lock":
      return describeProvider(record);
    case "lock-file":
      return `${record.file}: ${record.changed ? "written" : "unchanged"}, ${plural(record.providers, "provider")}`;
  }
}

function describeSource(record: ModuleSourceRecord): string {
  const where = `${record.file}:${record.line} module.${record.module}`;
  if (record.problem) return `${where}: ${record.problem}`;
  const current = record.current ?? record.digest ?? "?";
  const state = record.outdated ? `outdated: wanted ${record.wanted}` : "current";
  const moved = record.tagMoved ? `; tag ${record.current} moved since the digest was pinned` : "";
  const constraint = record.constraint ? `, constraint ${record.constraint}` : "";
  return `${where}: ${current} (${state}; latest ${record.latest ?? "none"}${constraint}${moved})`;
}

function describePin(record: ModulePinRecord): string {
  const to = record.to ? ` ${record.to}` : "";
  const tag = record.tag ? ` (${record.tag})` : "";
  const problem = record.problem ? `: ${record.problem}` : "";
  return `${record.file}:${record.line} module.${record.module}: ${record.action}${to}${tag}${problem}`;
}

function describeProvider(record: ProviderLockRecord): string {
  const head = `${record.provider}${record.version ? ` ${record.version}` : ""}: ${record.action}`;
  if (record.action === "failed" || record.action === "kept" || record.action === "removed")
    return `${head}${record.problem ? ` (${record.problem})` : ""}`;
  const added = record.platforms!.filter((p) => p.added).length;
  return `${head}, ${record.platforms!.length} platforms${added > 0 ? ` (${added} new)` : ""}, ${record.hashes} hashes`;
}
