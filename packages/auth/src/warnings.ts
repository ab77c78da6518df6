import type { AmbientFile } from "./docker-config/discover.js";
import { goQuote } from "@tofu-oci/core/go";
import { matchPrefix } from "./policy/prefix-match.js";
import { NO_MATCH } from "./policy/specificity.js";
import type { Materialized, Resolution } from "./resolver.js";

const IGNORED_ENV = ["DOCKER_CONFIG", "REGISTRY_AUTH_FILE", "TOFU_CLI_CONFIG_FILE"];
const IGNORED_AUTH_FIELDS = ["identitytoken", "registrytoken", "username", "password"];

/**
 * OpenTofu's surprising rules (docs/contract/auth/spec.md §13) that apply to this resolution, one sentence each,
 * so that `resolve` can say why credentials a user expects are not used.
 */
export function surprisingRules(
  resolution: Resolution,
  env: Readonly<Record<string, string | undefined>>,
  materialized?: Materialized,
): string[] {
  return [
    ...resolution.cliConfig.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message),
    ...ignoredEnvironment(env),
    ...discardedAmbientFiles(resolution),
    ...unexpandedPaths(resolution),
    ...readFiles(resolution).flatMap((file) => fileWarnings(file, resolution)),
    ...dockerHub(resolution),
    ...selectionWarnings(resolution, materialized),
  ];
}

function ignoredEnvironment(env: Readonly<Record<string, string | undefined>>): string[] {
  return IGNORED_ENV.filter((name) => env[name]).map(
    (name) => `${name} is set, but OpenTofu does not read it (spec §13.12).`,
  );
}

function discardedAmbientFiles(resolution: Resolution): string[] {
  const ambient = resolution.policy.ambient;
  if (!ambient.discarded) return [];
  const bad = ambient.files
    .filter((file) => file.status === "unreadable" || file.status === "malformed")
    .map((file) => file.error);
  const good = ambient.files.filter((file) => file.status === "read").map((file) => file.path);
  const alsoIgnored = good.length > 0 ? ` This also ignores ${good.join(", ")}.` : "";
  return [
    `OpenTofu ignores every docker-style credentials file, because one malformed or unreadable file disables them all (spec §13.1): ${bad.join("; ")}.${alsoIgnored}`,
  ];
}

function unexpandedPaths(resolution: Resolution): string[] {
  const files = resolution.policy.defaults.dockerStyleConfigFiles ?? [];
  return files
    .filter((file) => /[~$]/.test(file))
    .map(
      (file) =>
        `docker_style_config_files entry ${file} contains "~" or "$", which OpenTofu does not expand (spec §13.11).`,
    );
}

function readFiles(resolution: Resolution): AmbientFile[] {
  return resolution.policy.ambient.files.filter((file) => file.config);
}

function fileWarnings(file: AmbientFile, resolution: Resolution): string[] {
  const { registry, repository } = resolution.query;
  const config = file.config!;
  const warnings: string[] = [];
  for (const [key, entry] of config.auths) {
    const relevant = matchPrefix(key, registry, repository) !== NO_MATCH || key.includes(registry);
    const ignored = entry?.ignored.filter((field) => IGNORED_AUTH_FIELDS.includes(field.toLowerCase())) ?? [];
    if (relevant && ignored.length > 0) {
      warnings.push(
        `auths ${goQuote(key)} in ${file.path} has ${ignored.join(", ")}, which OpenTofu ignores: it reads only "auth" (spec §13.2).`,
      );
    }
    if (/^[a-z]+:\/\//i.test(key) && key.includes(registry))
      warnings.push(
        `auths key ${goQuote(key)} in ${file.path} never matches: OpenTofu compares keys as written, with no scheme removal (spec §13.3).`,
      );
  }
  if (config.auths.size === 0 && config.otherKeys.length > 0 && file.path.endsWith(".dockercfg")) {
    warnings.push(
      `${file.path} looks like the legacy .dockercfg layout; OpenTofu reads it as config.json, so it contributes nothing (spec §13.4).`,
    );
  }
  const hasAuth = [...config.auths].some(
    ([key, entry]) => entry?.auth && matchPrefix(key, registry, repository) !== NO_MATCH,
  );
  if (hasAuth && config.credHelpers.get(registry)) {
    warnings.push(
      `${file.path} has both an auths entry and credHelpers for ${registry}; OpenTofu uses the auths entry, Docker would use the helper (spec §13.5).`,
    );
  }
  return warnings;
}

function dockerHub(resolution: Resolution): string[] {
  if (resolution.query.registry !== "docker.io") return [];
  return [
    "OpenTofu never sends credentials to docker.io: its client talks to registry-1.docker.io instead. Use registry-1.docker.io as the domain (spec §13.3).",
  ];
}

function selectionWarnings(resolution: Resolution, materialized: Materialized | undefined): string[] {
  const { selection, policy } = resolution;
  const selected = selection.selected;
  const warnings: string[] = [];
  if (!selected && selection.errors.length > 0)
    warnings.push(
      `OpenTofu ignores these problems only because nothing else matched (spec §13.8): ${selection.errors.join("; ")}.`,
    );
  if (selected?.kind === "static-oauth")
    warnings.push(
      "The access_token is sent as the bearer token as is; refresh_token is never used and the token is never renewed (spec §13.7).",
    );
  if (selected?.location === "oci_default_credentials block" && !policy.defaults.discoverAmbientCredentials) {
    warnings.push(
      "The oci_default_credentials helper is used although discover_ambient_credentials = false (spec §13.10).",
    );
  }
  if (selected?.kind === "helper" && materialized?.anonymous) {
    const others = selection.considered
      .filter((c) => c.source && c.source !== selected)
      .map((c) => `${c.location} (${c.source!.entry})`);
    const skipped = others.length > 0 ? `; it does not try ${others.join(", ")}` : "";
    warnings.push(
      `The helper "${selected.helper}" has no credentials for ${selected.serverURL}, so OpenTofu goes anonymous${skipped} (spec §13.9).`,
    );
  }
  warnings.push(...ties(resolution));
  return warnings;
}

function ties(resolution: Resolution): string[] {
  const selected = resolution.selection.selected;
  const tied = resolution.selection.considered.filter(
    (c) =>
      c.source &&
      c.source !== selected &&
      c.location === selected?.location &&
      c.source.specificity === selected.specificity &&
      c.source.kind === "static-basic" &&
      selected.kind === "static-basic",
  );
  return tied.map(
    (c) =>
      `${c.source!.entry} and ${selected!.entry} in ${selected!.location} match equally; OpenTofu's choice between them is random (spec §13.17).`,
  );
}
