import { resolve } from "node:path";
import { isTofuOciError, usageError } from "@tofu-oci/core";
import { parseVersionConstraint } from "@tofu-oci/opentofu";
import type { DepsContext } from "./context.js";
import type { ModuleSourceRecord } from "./records.js";
import { RegistrySession, type RegistryAccess } from "./registry-session.js";
import { inspectSource, type SourceStatus } from "./sources/inspect-source.js";
import { readModuleSources } from "./sources/module-sources.js";

/** What `deps outdated` looks at. */
export interface OutdatedOptions extends RegistryAccess {
  /** The configuration directory; every subdirectory is read too. Default: `ctx.cwd`. */
  dir?: string;
  /**
   * The constraint for sources without a `# tofu-oci:` constraint on their line, e.g. `~> 1.2`.
   * Default: none (the newest version).
   */
  constraint?: string;
  /** Called with each record as soon as it is made. */
  onRecord?: (record: ModuleSourceRecord) => void;
}

/**
 * Lists every `oci://` module source under `dir` with what it pins, the newest version tag, the
 * newest one its constraint allows, and (for a digest pinned from a tag) whether the tag moved.
 * @throws TofuOciError "usage" (exit 2) for a bad `constraint`, "invalid-input" (exit 6) for a
 *   configuration file that is not valid HCL, and registry failures (exit 4, 5).
 */
export async function outdated(options: OutdatedOptions = {}, ctx: DepsContext = {}): Promise<ModuleSourceRecord[]> {
  checkConstraint(options.constraint);
  const files = await readModuleSources(resolve(ctx.cwd ?? ".", options.dir ?? "."));
  const session = new RegistrySession(options, ctx.signal);
  const records: ModuleSourceRecord[] = [];
  try {
    for (const source of files.flatMap((file) => file.sources)) {
      const record = sourceRecord(missingTagProblem(await inspectSource(source, session, options.constraint)));
      options.onRecord?.(record);
      records.push(record);
    }
  } finally {
    await session.close();
  }
  return records;
}

/** A `--constraint` is checked before any request. */
export function checkConstraint(constraint: string | undefined): void {
  if (constraint === undefined) return;
  try {
    parseVersionConstraint(constraint);
  } catch (error) {
    if (!isTofuOciError(error)) throw error;
    throw usageError(`--constraint: ${error.message}`, error.hint);
  }
}

/** A pinned tag that is not in the repository is reported (with `latest`, `wanted`) as not found. */
export function missingTagProblem(status: SourceStatus): SourceStatus {
  if (!status.tagMissing || status.problem !== undefined) return status;
  const { locator } = status.source;
  const problem = `the tag ${status.tag} does not exist in ${locator!.registry}/${locator!.repository}`;
  return { ...status, problem, notFound: true };
}

function sourceRecord(status: SourceStatus): ModuleSourceRecord {
  const { source } = status;
  const { locator } = source;
  return {
    kind: "module-source",
    file: source.path,
    line: source.site.line,
    module: source.site.module,
    source: source.site.value,
    repository: locator ? `${locator.registry}/${locator.repository}` : "",
    ...(status.tag !== undefined ? { current: status.tag } : {}),
    ...(status.digest !== undefined ? { digest: status.digest } : {}),
    ...(status.constraint !== undefined ? { constraint: status.constraint } : {}),
    ...(status.wanted !== undefined ? { wanted: status.wanted } : {}),
    ...(status.latest !== undefined ? { latest: status.latest } : {}),
    ...(status.tagMoved !== undefined ? { tagMoved: status.tagMoved } : {}),
    outdated: status.outdated,
    ...(status.problem !== undefined ? { problem: status.problem } : {}),
    ...(status.notFound ? { notFound: true as const } : {}),
  };
}
