import { parseReference, usageError, type Locator } from "@tofu-oci/core";
import type { BundleArtifact } from "./bundle-contents.js";

/** Where `import --to` sends the bundle's artifacts. */
export type ImportTo = { kind: "template"; template: string } | { kind: "reference"; endpoint: Locator };

/** One artifact with its destination. */
export interface ImportPlan {
  artifact: BundleArtifact;
  destination: Locator;
  tag?: string;
  /** Where the artifact came from, for the record. */
  from: string;
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const PLACEHOLDERS = ["registry", "repository", "name"] as const;

/**
 * Parses `--to`: a template such as `mirror.internal/${repository}` (placeholders `${registry}`,
 * `${repository}` and `${name}`, the last part of the repository, all taken from where export
 * found each artifact), or a reference `HOST/REPO[:TAG]`.
 * @throws TofuOciError "usage" (exit 2).
 */
export function parseImportTo(to: string): ImportTo {
  const names = [...to.matchAll(PLACEHOLDER)].map((match) => match[1]!);
  if (names.length === 0) {
    const parsed = parseReference(to);
    if (parsed.digest)
      throw usageError(
        `--to "${to}" names a digest`,
        "Import keeps each artifact's digest; give a repository and optionally a tag.",
      );
    return {
      kind: "reference",
      endpoint: {
        kind: "registry",
        registry: parsed.registry,
        repository: parsed.repository,
        ...(parsed.tag ? { tag: parsed.tag } : {}),
      },
    };
  }
  const unknown = names.filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw usageError(
      `--to "${to}" has unknown placeholder ${unknown.map((n) => `\${${n}}`).join(", ")}`,
      `Use ${PLACEHOLDERS.map((n) => `\${${n}}`).join(", ")}.`,
    );
  // A sample substitution catches a template that can never give a valid reference.
  parseReference(to.replace(PLACEHOLDER, "x"));
  return { kind: "template", template: to };
}

/**
 * Gives every artifact its destination and tag; two artifacts may not claim one tag.
 * @throws TofuOciError "usage" (exit 2) when the bundle and `--to` do not fit together.
 */
export function planImport(to: ImportTo, artifacts: readonly BundleArtifact[], file: string): ImportPlan[] {
  const plans = artifacts.map((artifact) =>
    to.kind === "template"
      ? fromTemplate(to.template, artifact, file)
      : toReference(to.endpoint, artifact, artifacts.length, file),
  );
  const claimed = new Map<string, string>();
  for (const plan of plans) {
    if (!plan.tag) continue;
    const key = `${plan.destination.registry}/${plan.destination.repository}:${plan.tag}`;
    const previous = claimed.get(key);
    if (previous && previous !== plan.artifact.descriptor.digest)
      throw usageError(
        `two artifacts of ${file} would both be tagged ${key}`,
        "Use a --to template with ${repository} to keep them apart.",
      );
    claimed.set(key, plan.artifact.descriptor.digest);
  }
  return plans;
}

function fromTemplate(template: string, artifact: BundleArtifact, file: string): ImportPlan {
  if (!artifact.fullName)
    throw usageError(
      `${file} does not say where ${artifact.descriptor.digest} came from`,
      "Import it with --to HOST/REPO[:TAG] instead of a template.",
    );
  const source = parseReference(artifact.fullName);
  const values: Record<string, string> = {
    registry: source.registry,
    repository: source.repository,
    name: source.repository.split("/").at(-1)!,
  };
  const target = parseReference(template.replace(PLACEHOLDER, (_, name: string) => values[name]!));
  const tag = artifact.tag ?? source.tag;
  return {
    artifact,
    destination: { kind: "registry", registry: target.registry, repository: target.repository },
    ...(tag ? { tag } : {}),
    from: artifact.fullName,
  };
}

function toReference(endpoint: Locator, artifact: BundleArtifact, count: number, file: string): ImportPlan {
  if (endpoint.tag && count > 1)
    throw usageError(
      `--to names the tag ${endpoint.tag}, but ${file} holds ${count} artifacts`,
      "Leave the tag out: each artifact keeps its own tag.",
    );
  const tag = endpoint.tag ?? artifact.tag;
  const { tag: _ignored, ...repository } = endpoint;
  return {
    artifact,
    destination: repository,
    ...(tag ? { tag } : {}),
    from: artifact.fullName ?? `${file}@${artifact.descriptor.digest}`,
  };
}
