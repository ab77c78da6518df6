import { parseReference, usageError, type TofuOciError } from "@tofu-oci/core";
import { formatProviderAddress, type ProviderAddress } from "./provider-address.js";

/** The variables an `oci_mirror` `repository_template` may use. */
export type TemplateVariable = "hostname" | "namespace" | "type";

/** A parsed `repository_template`: literal text and variable references, in order. */
export interface RepositoryTemplate {
  /** The template exactly as given. */
  text: string;
  /** The template split into literal text and `${hostname}`, `${namespace}`, `${type}` references, in order. */
  parts: ReadonlyArray<{ literal: string } | { variable: TemplateVariable }>;
  /** The variables it refers to. */
  variables: ReadonlySet<TemplateVariable>;
}

const VARIABLES = new Set<string>(["hostname", "namespace", "type"]);
const EXAMPLE: ProviderAddress = { hostname: "example.com", namespace: "example-namespace", type: "example-type" };

/**
 * Parses the HCL template syntax OpenTofu's `oci_mirror { repository_template }` takes
 * (internal/command/cliconfig/provider_installation.go:332 decodeOCIMirrorInstallationMethodBlock), limited
 * to what that block allows: literal text, `${hostname}`, `${namespace}`, `${type}`, and the
 * escapes `$${` and `%%{`. Directives (`%{...}`) and other expressions are refused.
 * @throws TofuOciError "usage" (exit 2).
 */
export function parseRepositoryTemplate(text: string): RepositoryTemplate {
  const parts: Array<{ literal: string } | { variable: TemplateVariable }> = [];
  const variables = new Set<TemplateVariable>();
  let literal = "";
  for (let i = 0; i < text.length; ) {
    if (text.startsWith("$${", i) || text.startsWith("%%{", i)) {
      literal += text.slice(i + 1, i + 3);
      i += 3;
    } else if (text.startsWith("${", i)) {
      const end = text.indexOf("}", i);
      if (end === -1) throw badTemplate(text, "an interpolation ${ is not closed");
      const name = text.slice(i + 2, end).trim().replace(/^~|~$/g, "").trim();
      if (!VARIABLES.has(name)) throw badTemplate(text, `"${name}" is not available; only \${hostname}, \${namespace} and \${type} are`);
      if (literal) parts.push({ literal });
      literal = "";
      parts.push({ variable: name as TemplateVariable });
      variables.add(name as TemplateVariable);
      i = end + 1;
    } else if (text.startsWith("%{", i)) {
      throw badTemplate(text, "template directives (%{...}) are not supported in a repository template");
    } else {
      literal += text[i];
      i++;
    }
  }
  if (literal) parts.push({ literal });
  if (parts.length === 0) throw badTemplate(text, "the template is empty");
  return { text, parts, variables };
}

/** Substitutes a provider's address into the template. */
export function renderTemplate(template: RepositoryTemplate, address: ProviderAddress): string {
  return template.parts.map((part) => ("literal" in part ? part.literal : address[part.variable])).join("");
}

/**
 * Checks the template the way OpenTofu loads an `oci_mirror` block
 * (provider_installation.go:396 prepareOCIMirrorRepositoryMapping) whose `include` lists
 * exactly `providers`: each variable it leaves out must have one value across them, and it must
 * yield `registry[:port]/repository` without tag or digest (for the placeholder address
 * example.com/example-namespace/example-type and for each provider).
 * @throws TofuOciError "usage" (exit 2).
 */
export function assertRegistryTemplate(template: RepositoryTemplate, providers: readonly ProviderAddress[]): void {
  for (const variable of ["hostname", "namespace", "type"] as const) {
    const values = new Set(providers.map((address) => address[variable]));
    if (!template.variables.has(variable) && values.size > 1) {
      throw badTemplate(template.text, `it must refer to \${${variable}}, since the providers have ${values.size} different ${variable}s (${[...values].join(", ")})`);
    }
  }
  templateRepository(template, EXAMPLE);
}

/** A registry repository a template names. */
export interface TemplateRepository {
  /** The registry host (with port) the template names. */
  registry: string;
  /** The repository path, with the provider's values filled in. */
  repository: string;
}

/**
 * The repository of one provider: the template's output parsed as `registry[:port]/repository`
 * as OpenTofu does (internal/command/cliconfig/provider_installation.go:552
 * evalOCIProviderMirrorRepositoryTemplate, then ORAS reference parsing).
 * @throws TofuOciError "usage" (exit 2) when the output is not a valid repository address.
 */
export function templateRepository(template: RepositoryTemplate, address: ProviderAddress): TemplateRepository {
  const rendered = renderTemplate(template, address);
  const problem = (detail: string, hint?: string) =>
    badTemplate(template.text, `for ${formatProviderAddress(address)} it gives "${rendered}", ${detail}`, hint);
  let reference;
  try {
    reference = parseReference(rendered);
  } catch (error) {
    const hint = rendered.includes(":") && address.hostname.includes(":") ? "${hostname} includes the registry's port, which is not allowed in a repository path; leave it out of the template." : (error as TofuOciError).hint;
    throw problem(`which is not a valid OCI repository address (${(error as Error).message.replace(/^invalid reference "[^"]*": /, "")})`, hint);
  }
  if (rendered.startsWith("oci://")) throw problem("but the template is not an oci:// address: write REGISTRY/REPOSITORY");
  if (reference.tag || reference.digest) throw problem("which names a tag or digest; the template names a repository only");
  return { registry: reference.registry, repository: reference.repository };
}

function badTemplate(text: string, problem: string, hint = "Write e.g. registry.example.com/opentofu-providers/${namespace}/${type} (quote it in the shell)."): TofuOciError {
  return usageError(`invalid repository template "${text}": ${problem}`, hint);
}
