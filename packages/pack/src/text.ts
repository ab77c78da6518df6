import { formatBytes, plural, type ModulePackageRecord, type ProviderPackageRecord } from "@tofu-oci/core";
import { zhOf } from "@tofu-oci/opentofu";
import type { ModulePlan } from "./pack-module.js";

/** One line of `--dry-run` output: a path that would be packed. */
export interface FileRecord {
  /** Always `file`. */
  kind: "file";
  /** The path inside the zip; directories end with `/`. */
  path: string;
  /** The file's size in bytes; 0 for a directory. */
  size: number;
  /** `0644` or `0755`. */
  mode: string;
}

/** The `--dry-run` records of a plan, in zip order. */
export function fileRecords(plan: ModulePlan): FileRecord[] {
  return plan.entries.map((entry) => ({
    kind: "file",
    path: entry.path,
    size: entry.size,
    mode: entry.mode.toString(8).padStart(4, "0"),
  }));
}

/** `--format text` for a dry-run line: just the path. */
export function describeFileRecord(record: FileRecord): string {
  return record.path;
}

/** `--format text` for a module package record. */
export function describeModuleRecord(record: ModulePackageRecord): string {
  return [
    `packed ${plural(record.files, "file")} into ${record.file} (${formatBytes(record.size)})`,
    `  digest: ${record.digest}`,
  ].join("\n");
}

/** `--format text` for a provider package record. */
export function describeProviderRecord(record: ProviderPackageRecord): string {
  const lines = [`provider ${record.provider} ${record.version}: ${plural(record.platforms.length, "platform")}`];
  for (const platform of record.platforms) {
    lines.push(
      `  ${platform.os}_${platform.arch}  ${platform.file} (${formatBytes(platform.size)})`,
      `    ${zhOf(platform.digest)}`,
      `    ${platform.h1}`,
    );
  }
  return lines.join("\n");
}
