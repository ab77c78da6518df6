import { usageError, type TofuOciError } from "@tofu-oci/core";
import { evaluate, TemplateEvalError, toText } from "./hcl-template/evaluate.js";
import { type Diagnostic, type Expr, parseTemplate, TemplateSyntaxError } from "./hcl-template/parse.js";
import { checkRepositoryTemplate, expandRepositoryTemplate, rootNames } from "./hcl-template/repository-template.js";
import { formatProviderAddress, type ProviderAddress } from "./provider-address.js";

/** The variables an `oci_mirror` `repository_template` may use. */
export type TemplateVariable = "hostname" | "namespace" | "type";

/** A checked `repository_template`: the HCL 2 template, parsed. */
export interface RepositoryTemplate {
  /** The template exactly as given. */
  text: string;
  /** The parsed HCL template (hclsyntax.ParseTemplate). */
  expr: Expr;
  /** The variables it refers to. */
  variables: ReadonlySet<TemplateVariable>;
}

/** Options of {@link parseRepositoryTemplate}. */
export interface ParseRepositoryTemplateOptions {
  /**
   * The `include` patterns of the `oci_mirror` block (`HOST/NAMESPACE/TYPE`, `*` wildcards) the
   * template is checked against, as OpenTofu loads the block; e.g. exactly the mirrored
   * providers, as `tofu-oci-mirror providers --print-config` prints them. Default: none, so every
   * symbol must be referenced, as for a block without `include`.
   */
  include?: readonly string[];
  /**
   * The template names a directory (an OCI layout), not a registry repository: only its HCL
   * syntax and symbols are checked. Default false.
   */
  directory?: boolean;
}

const SYMBOLS = new Set<string>(["hostname", "namespace", "type"]);

/**
 * Parses and checks an `oci_mirror { repository_template }` exactly as OpenTofu loads the CLI
 * configuration ({@link checkRepositoryTemplate}, internal/command/cliconfig/provider_installation.go:371-525):
 * an HCL 2 template (strip markers, `%{ if }`, `%{ for }`, escapes; no functions) over hostname,
 * namespace and type only, each symbol the `include` patterns do not pin referenced, and the
 * example provider's result a valid OCI repository address. Nothing is trimmed.
 * @throws TofuOciError "usage" (exit 2) with OpenTofu's diagnostics.
 */
export function parseRepositoryTemplate(
  text: string,
  options: ParseRepositoryTemplateOptions = {},
): RepositoryTemplate {
  if (options.directory) return parseDirectoryTemplate(text);
  const checked = checkRepositoryTemplate(text, { include: [...(options.include ?? [])], position: "--to" });
  if (!checked.ok) throw badTemplate(text, checked.diagnostics);
  return { text, expr: checked.template, variables: checked.variables as Set<TemplateVariable> };
}

function parseDirectoryTemplate(text: string): RepositoryTemplate {
  let expr: Expr;
  try {
    expr = parseTemplate(text);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) throw badTemplate(text, [error.diagnostic]);
    throw error;
  }
  const names = rootNames(expr);
  const unknown = names.filter((name) => !SYMBOLS.has(name));
  if (unknown.length > 0) {
    throw badTemplate(text, [
      {
        summary: "Invalid template",
        detail: `the symbol ${JSON.stringify(unknown[0])} is not available; only "hostname", "namespace", and "type" are`,
      },
    ]);
  }
  return { text, expr, variables: new Set(names) as Set<TemplateVariable> };
}

/**
 * The template's text for one provider (for a directory template).
 * @throws TofuOciError "usage" when it does not evaluate to a string.
 */
export function renderTemplate(template: RepositoryTemplate, address: ProviderAddress): string {
  try {
    const value = evaluate(template.expr, {
      hostname: address.hostname,
      namespace: address.namespace,
      type: address.type,
    });
    if (value.kind === "null" || value.kind === "tuple" || value.kind === "unknown") {
      throw badTemplate(template.text, [
        { summary: "Invalid template", detail: `for ${formatProviderAddress(address)} it does not produce a string` },
      ]);
    }
    return toText(value);
  } catch (error) {
    if (error instanceof TemplateEvalError) throw badTemplate(template.text, [error.diagnostic]);
    throw error;
  }
}

/** A registry repository a template names. */
export interface TemplateRepository {
  /** The registry host (with port) the template names. */
  registry: string;
  /** The repository path, with the provider's values filled in. */
  repository: string;
}

/**
 * The repository of one provider, as OpenTofu computes it
 * (`evalOCIProviderMirrorRepositoryTemplate`, provider_installation.go:552-581, then
 * `ociauthconfig.ParseRepositoryAddressPrefix`, repository_addr.go:27-62: {@link expandRepositoryTemplate}).
 * A bare registry, which OpenTofu's configuration accepts, names no repository to mirror into.
 * @throws TofuOciError "usage" (exit 2) when the result is not a registry repository.
 */
export function templateRepository(template: RepositoryTemplate, address: ProviderAddress): TemplateRepository {
  const expanded = expandRepositoryTemplate(template.expr, address, "Invalid oci_mirror block at --to");
  const provider = formatProviderAddress(address);
  if (!expanded.ok && "diagnostic" in expanded) throw badTemplate(template.text, [expanded.diagnostic]);
  if (!expanded.ok) {
    const hint =
      address.hostname.includes(":") && expanded.text.includes(address.hostname)
        ? "${hostname} includes the registry's port, which is not allowed in a repository path; leave it out of the template."
        : undefined;
    throw badTemplate(
      template.text,
      [
        {
          summary: "Invalid repository",
          detail: `for ${provider} it gives "${expanded.text}", which is not a valid OCI repository address (${expanded.error})`,
        },
      ],
      hint,
    );
  }
  if (expanded.repository === "") {
    throw badTemplate(template.text, [
      {
        summary: "No repository",
        detail: `for ${provider} it gives the registry "${expanded.text}" without a repository; OpenTofu would find no provider there`,
      },
    ]);
  }
  return { registry: expanded.registry, repository: expanded.repository };
}

function badTemplate(
  text: string,
  diagnostics: readonly Diagnostic[],
  hint = "Write e.g. registry.example.com/opentofu-providers/${namespace}/${type} (quote it in the shell).",
): TofuOciError {
  const problems = diagnostics.map((d) => `${d.summary}: ${d.detail}`).join("; ");
  return usageError(`invalid repository template ${JSON.stringify(text)}: ${problems}`, hint);
}
