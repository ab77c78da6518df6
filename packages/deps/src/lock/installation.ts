import { TofuOciError, invalidInput, isTofuOciError } from "@tofu-oci/core";
import { providerInstallation, type ProviderInstallationMethod } from "@tofu-oci/auth";
import {
  methodHandlesProvider,
  parseProviderPatterns,
  parseRepositoryTemplate,
  templateRepository,
  type ProviderAddress,
  type ProviderPattern,
  type RepositoryTemplate,
  type TemplateRepository,
} from "@tofu-oci/opentofu";
import type { DepsContext } from "../context.js";

/** An installation method with its patterns parsed; `oci_mirror`s with their template. */
interface Method {
  kind: ProviderInstallationMethod["kind"];
  include: ProviderPattern[];
  exclude: ProviderPattern[];
  template?: RepositoryTemplate;
}

/** How `tofu init` would install one provider: from these OCI mirror repositories, or some other way. */
export type InstallationPlan = { kind: "oci"; repositories: TemplateRepository[] } | { kind: "other"; reason: string };

/** The installation methods in effect, parsed and checked. */
export class Installation {
  readonly #methods: Method[] | undefined;
  readonly #where: string;

  private constructor(methods: Method[] | undefined, where: string) {
    this.#methods = methods;
    this.#where = where;
  }

  /**
   * The `provider_installation` methods of OpenTofu's CLI configuration (read by @tofu-oci/auth
   * exactly as OpenTofu finds and decodes it), or the given ones.
   * @throws TofuOciError "invalid-input" (exit 6) for a configuration OpenTofu reports problems with.
   */
  static async load(given: readonly ProviderInstallationMethod[] | undefined, ctx: DepsContext): Promise<Installation> {
    if (given)
      return new Installation(
        given.map((method) => parseMethod(method, "the given installation methods")),
        "the given installation methods",
      );
    const config = await providerInstallation({
      env: ctx.env ?? {},
      cwd: ctx.cwd ?? ".",
      ...(ctx.platform ? { platform: ctx.platform } : {}),
    });
    if (config.errors.length > 0) {
      throw invalidInput(
        `There are some problems with the CLI configuration: ${config.errors.join("; ")}`,
        "Fix the provider_installation block: tofu init reports these problems too.",
      );
    }
    const where = config.file ?? "the CLI configuration";
    return new Installation(
      config.methods?.map((method) => parseMethod(method, where)),
      where,
    );
  }

  /**
   * multi_source.go:37 and :89: every method whose include/exclude patterns take the provider
   * offers versions, and the first that has the chosen version installs it. A provider only OCI
   * mirrors take is locked from them; one that another method (direct, a network or filesystem
   * mirror) may install is left alone, since its versions there cannot be seen.
   */
  plan(address: ProviderAddress): InstallationPlan {
    if (!this.#methods)
      return {
        kind: "other",
        reason: "the CLI configuration has no provider_installation block, so tofu init installs it directly",
      };
    const methods = this.#methods.filter((method) => methodHandlesProvider(method, address));
    if (methods.length === 0) return { kind: "other", reason: `no installation method in ${this.#where} includes it` };
    const others = methods.filter((method) => method.kind !== "oci_mirror").map((method) => method.kind);
    if (others.length > 0)
      return { kind: "other", reason: `${[...new Set(others)].join(" and ")} in ${this.#where} may install it too` };
    return { kind: "oci", repositories: methods.map((method) => repositoryOf(method.template!, address, this.#where)) };
  }
}

function parseMethod(method: ProviderInstallationMethod, where: string): Method {
  try {
    const parsed: Method = {
      kind: method.kind,
      include: parseProviderPatterns(method.include),
      exclude: parseProviderPatterns(method.exclude),
    };
    if (method.kind === "oci_mirror") {
      // Checked as OpenTofu loads the block (provider_installation.go:371-525), include patterns too.
      parsed.template = parseRepositoryTemplate(method.repositoryTemplate, { include: method.include });
    }
    return parsed;
  } catch (error) {
    throw configError(error, where);
  }
}

function repositoryOf(template: RepositoryTemplate, address: ProviderAddress, where: string): TemplateRepository {
  try {
    return templateRepository(template, address);
  } catch (error) {
    throw configError(error, where);
  }
}

function configError(error: unknown, where: string): unknown {
  if (!isTofuOciError(error)) return error;
  return new TofuOciError("invalid-input", `${where}: ${error.message}`, {
    hint: error.hint ?? "Fix the provider_installation block.",
    cause: error,
  });
}
