import type { OciCredentialsBlock } from "../cli-config/oci-blocks.js";
import type { DockerStyleConfig } from "../docker-config/docker-config.js";
import { helperSource, type Candidate, type CredentialsConfig } from "./credentials-source.js";
import { goQuote } from "@tofu-oci/core/go";
import { matchPrefix } from "./prefix-match.js";
import { DOMAIN, GLOBAL, NO_MATCH } from "./specificity.js";

/** An explicit `oci_credentials` block: one source at the label's specificity when it matches. */
export function explicitBlockConfig(block: OciCredentialsBlock): CredentialsConfig {
  const location = `explicit oci_credentials ${goQuote(block.prefix)} block`;
  return {
    location,
    candidates(registry, repository): Candidate[] {
      const specificity = matchPrefix(block.prefix, registry, repository);
      if (specificity === NO_MATCH) return [];
      if (block.username !== "") {
        return [
          {
            source: {
              kind: "static-basic",
              specificity,
              location,
              entry: "username/password",
              username: block.username,
              password: block.password,
            },
          },
        ];
      }
      if (block.accessToken !== "") {
        return [
          {
            source: {
              kind: "static-oauth",
              specificity,
              location,
              entry: "access_token/refresh_token",
              accessToken: block.accessToken,
              refreshToken: block.refreshToken,
            },
          },
        ];
      }
      if (block.helper !== "")
        return [{ source: helperSource(block.helper, registry, specificity, location, "docker_credentials_helper") }];
      return [{ error: `${location} has no supported credentials arguments`, entry: "empty arguments" }];
    },
  };
}

/** The `oci_default_credentials` helper: always a Global source. */
export function globalHelperConfig(helper: string): CredentialsConfig {
  const location = "oci_default_credentials block";
  return {
    location,
    candidates: (registry) => [
      { source: helperSource(helper, registry, GLOBAL, location, "docker_credentials_helper") },
    ],
  };
}

/** A docker-style file: matching `auths` entries, then `credHelpers[domain]`, then `credsStore` (docs/contract/auth/spec.md §7.2). */
export function dockerFileConfig(path: string, config: DockerStyleConfig): CredentialsConfig {
  return {
    location: path,
    candidates(registry, repository): Candidate[] {
      const candidates: Candidate[] = [];
      for (const [key, entry] of config.auths) {
        if (!entry?.auth) continue;
        const specificity = matchPrefix(key, registry, repository);
        if (specificity === NO_MATCH) continue;
        const colon = entry.auth.indexOf(":");
        const name = `auths ${goQuote(key)}`;
        if (colon === -1)
          candidates.push({
            error: `auth object for ${goQuote(key)} in ${path} does not have base64-encoded username:password pair`,
            entry: name,
          });
        else
          candidates.push({
            source: {
              kind: "static-basic",
              specificity,
              location: path,
              entry: name,
              username: entry.auth.slice(0, colon),
              password: entry.auth.slice(colon + 1),
            },
          });
      }
      const domainHelper = config.credHelpers.get(registry);
      if (domainHelper)
        candidates.push({
          source: helperSource(domainHelper, registry, DOMAIN, path, `credHelpers ${goQuote(registry)}`),
        });
      if (config.credsStore)
        candidates.push({ source: helperSource(config.credsStore, registry, GLOBAL, path, "credsStore") });
      return candidates;
    },
  };
}
