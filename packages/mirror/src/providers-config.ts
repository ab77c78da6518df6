import { formatProviderAddress, type ProviderAddress, type RepositoryTemplate } from "@tofu-oci/opentofu";

/** The `--print-config` record: the CLI configuration block that makes `tofu init` use the mirror. */
export interface CliConfigRecord {
  /** Always `cli-config`. */
  kind: "cli-config";
  /** The `provider_installation` block, ready to paste into a `.tofurc`. */
  text: string;
  /** The provider addresses the `oci_mirror` block includes, `HOST/NAMESPACE/TYPE` each. */
  include: string[];
}

/**
 * The `provider_installation` block for an OCI mirror (OpenTofu
 * `internal/command/cliconfig/provider_installation.go`): an `oci_mirror` with the template and
 * an `include` of exactly the mirrored providers, and a `direct` method that excludes them so
 * every other provider still comes from its origin registry.
 */
export function cliConfigRecord(template: RepositoryTemplate, providers: readonly ProviderAddress[]): CliConfigRecord {
  const include = mirrorIncludePatterns(providers);
  const list = `[${include.map(hclString).join(", ")}]`;
  const text = [
    "provider_installation {",
    "  oci_mirror {",
    `    repository_template = ${hclString(template.text)}`,
    `    include             = ${list}`,
    "  }",
    "  direct {",
    `    exclude = ${list}`,
    "  }",
    "}",
  ].join("\n");
  return { kind: "cli-config", text, include };
}

/** The `include` (and `exclude`) list of the printed block: each mirrored provider once, sorted. */
export function mirrorIncludePatterns(providers: readonly ProviderAddress[]): string[] {
  return [...new Set(providers.map(formatProviderAddress))].sort();
}

/** An HCL quoted string; the template's own `${...}` stays a template. */
function hclString(value: string): string {
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`;
}
