import {
  describeTransfer,
  type ModuleArtifactRecord,
  type ProviderArtifactRecord,
  type ReferrerRecord,
  type TransferFields,
} from "@tofu-oci/core";
import type { PushRecord } from "./push.js";

/** The human summary of a push record (`--format text`). */
export function describePushRecord(record: PushRecord): string {
  return record.type === "module" ? describeModule(record) : describeProvider(record);
}

function describeModule(record: ModuleArtifactRecord): string {
  const lines = [
    `${headline(record)} module ${record.reference}`,
    `  tags: ${record.tags.join(", ")}`,
    `  ${describeTransfer(record)}`,
  ];
  if (record.registry === "") {
    lines.push(
      `  OCI layout: ${record.source}`,
      `  Copy it to a registry to use it from OpenTofu (the digest stays the same): tofu-oci-mirror copy --from-oci-layout ${record.repository}${record.tags[0] ? `:${record.tags[0]}` : `@${record.digest}`} HOST/REPO`,
    );
  } else {
    lines.push(
      "  Use it in a module block:",
      `    source = "${record.source}"`,
      `  or follow the tag:`,
      `    source = "${record.sourceByTag}"`,
    );
  }
  return [...lines, ...referrerLines(record.referrers)].join("\n");
}

function describeProvider(record: ProviderArtifactRecord): string {
  const lines = [
    `${headline(record)} provider ${record.provider} ${record.version} as ${record.reference}`,
    `  tags: ${record.tags.join(", ")}`,
    `  platforms: ${record.platforms.map((p) => `${p.os}_${p.arch}`).join(", ")}`,
    `  ${describeTransfer(record)}`,
  ];
  if (record.replaced) lines.push(`  replaced ${record.replaced} (--force)`);
  if (record.registry !== "")
    lines.push("  Install it with this in the OpenTofu CLI configuration:", indent(ociMirrorSnippet(record), 4));
  return [...lines, ...referrerLines(record.referrers)].join("\n");
}

/**
 * The `provider_installation` CLI-configuration block that makes OpenTofu install this provider
 * from the repository (OpenTofu's `oci_mirror` installation method).
 */
export function ociMirrorSnippet(record: Pick<ProviderArtifactRecord, "source" | "provider">): string {
  return [
    "provider_installation {",
    "  oci_mirror {",
    `    repository_template = "${record.source}"`,
    `    include             = ["${record.provider}"]`,
    "  }",
    "  direct {",
    `    exclude = ["${record.provider}"]`,
    "  }",
    "}",
  ].join("\n");
}

/** The human summary of an attach record. */
export function describeReferrerRecord(record: ReferrerRecord): string {
  return [
    `${headline(record)} ${record.artifactType} ${record.reference}`,
    `  refers to ${record.subject}`,
    `  ${describeTransfer(record)}`,
  ].join("\n");
}

function headline(record: TransferFields): string {
  return record.unchanged ? "unchanged" : "pushed";
}

function referrerLines(referrers: ReadonlyArray<{ digest: string; artifactType: string }>): string[] {
  return referrers.map((r) => `  attached ${r.artifactType} ${r.digest}`);
}

function indent(text: string, spaces: number): string {
  return text.replace(/^/gm, " ".repeat(spaces));
}
