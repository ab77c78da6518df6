import { describeTransfer, formatBytes } from "@tofu-oci/core";
import type {
  ProviderFailureRecord,
  ProviderMirrorRecord,
  ProviderPlanRecord,
  ProvidersRecord,
} from "./provider-mirror/records.js";

/** The human summary of a providers record (`--format text`). */
export function describeProvidersRecord(record: ProvidersRecord): string {
  if (record.kind === "verification") return describeFailure(record);
  if (record.kind === "plan") return describePlan(record);
  return describeMirrored(record);
}

function describeMirrored(record: ProviderMirrorRecord): string {
  const platforms = record.platforms.map((p) => `${p.os}_${p.arch}`).join(", ");
  const moved = `${formatBytes(record.bytesDownloaded)} downloaded; ${describeTransfer(record)}`;
  const lines = [
    `${record.unchanged ? "unchanged" : "mirrored"} ${record.provider} ${record.version} -> ${record.reference}`,
    `  platforms: ${platforms}`,
    `  ${moved}`,
  ];
  for (const sbom of record.sboms)
    lines.push(`  SBOM ${sbom.os}_${sbom.arch}: ${sbom.digest} (${sbom.modules} modules)`);
  return lines.join("\n");
}

function describeFailure(record: ProviderFailureRecord): string {
  const failed = record.checks.filter((check) => !check.ok).map((check) => `  ${check.id} failed: ${check.message}`);
  return [`FAILED ${record.provider} ${record.version}: nothing pushed`, ...failed].join("\n");
}

function describePlan(record: ProviderPlanRecord): string {
  const action = { mirror: "would mirror", "add-platforms": "would add platforms to", unchanged: "unchanged" }[
    record.action
  ];
  return `${action} ${record.provider} ${record.version} -> ${record.reference} (${record.platforms.join(", ")})`;
}
