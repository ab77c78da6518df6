import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PERSONALITIES, PERSONALITY_NAMES, type Knobs, type PersonalityName } from "@tofu-oci/testkit";

/**
 * What the registry matrix expects of each personality (docs/contract/registry-quirks.md), and
 * what the root README's "Registries" section says about it. Every personality is in it; none is
 * skipped.
 */
export interface RegistryPlan {
  /**
   * The variant every flow runs against: GitLab and Quay refuse OpenTofu's media types until an
   * administrator allows them (gitlab-mediatype-allowlist, quay-artifact-allowlist).
   */
  variant?: string;
  /** The registry's own words when the default personality refuses OpenTofu's types. */
  refusesByDefault?: RegExp;
  /** Whether a chunked upload (`chunkSize` set) continues mid-blob after ^C; false where chunks are refused. */
  resumes: boolean;
  /**
   * Serve the front over TLS (the CA given with --ca-file): where more than one host is involved
   * (storage redirects, a token host). The others run over plain HTTP to keep the matrix's CPU
   * time down (TLS cost a third of it); every registry mode's TLS is tested in packages/core.
   */
  tls?: true;
}

export const PLANS: Record<PersonalityName, RegistryPlan> = {
  ghcr: { resumes: true, tls: true },
  ecr: { resumes: true, tls: true },
  "ecr-public": { resumes: true },
  // gar-no-chunked: every blob goes up in one PUT, so there is nothing to resume mid-blob.
  gar: { resumes: false },
  dockerhub: { resumes: true, tls: true },
  gitlab: {
    variant: "opentofu-types-allowed",
    refusesByDefault: /unknown media type: (archive\/zip|application\/vnd\.opentofu\.modulepkg)/,
    resumes: true,
    tls: true,
  },
  harbor: { resumes: true },
  quay: { variant: "opentofu-types-allowed", refusesByDefault: /'archive\/zip' is not one of/, resumes: true },
  acr: { resumes: true, tls: true },
  artifactory: { resumes: true },
  nexus: { resumes: true },
  zot: { resumes: true },
  distribution: { resumes: true },
};

/** Every personality, in catalogue order. */
export const NAMES = [...PERSONALITY_NAMES];

/** A CycloneDX SBOM file (a type on both allow-list variants). */
export function writeSbom(dir: string): string {
  const file = join(dir, "sbom.cdx.json");
  writeFileSync(file, JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.5", version: 1, components: [] }));
  return file;
}

/**
 * The personality's tag paging at a small scale, so a few tags make several pages: its own
 * style and over-the-limit answer (ECR's error, ACR's silent cap, Quay's opaque links), and a
 * page of 3 for those that return every tag at once.
 */
export function smallTagPages(name: PersonalityName): Knobs["tags"] {
  const own = PERSONALITIES[name].quirks.map((quirk) => quirk.knobs.tags).find((tags) => tags !== undefined);
  return { style: own?.style ?? "spec", defaultN: 3, maxN: 3, overMax: own?.overMax ?? "cap" };
}

/** The personality's rate limits made tiny (3 requests in 0.3 s), in each registry's own 429 form. */
export function tinyThrottles(name: PersonalityName): Knobs["throttles"] | undefined {
  const own = PERSONALITIES[name].quirks.flatMap((quirk) => quirk.knobs.throttles ?? []);
  if (own.length === 0) return undefined;
  return own.map(({ methods: _methods, routes: _routes, ...throttle }) => ({
    ...throttle,
    limit: 3,
    windowSeconds: 0.3,
  }));
}
