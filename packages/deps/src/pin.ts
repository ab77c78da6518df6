import { resolve } from "node:path";
import { moduleSource, writeFileAtomic } from "@tofu-oci/core";
import { verify } from "@tofu-oci/verify";
import type { DepsContext } from "./context.js";
import { checkConstraint, missingTagProblem } from "./outdated.js";
import type { ModulePinRecord } from "./records.js";
import { RegistrySession, type RegistryAccess } from "./registry-session.js";
import { applyEdits, sourceEdits, type Edit } from "./sources/edit.js";
import { inspectSource } from "./sources/inspect-source.js";
import { readModuleSources, type ModuleSource } from "./sources/module-sources.js";

/** What `deps pin` and `deps update` change. */
export interface PinOptions extends RegistryAccess {
  /** The configuration directory; every subdirectory is read too. Default: `ctx.cwd`. */
  dir?: string;
  /** Report what would change without writing any file. Default false. */
  dryRun?: boolean;
  /** Called with each record as soon as it is made. */
  onRecord?: (record: ModulePinRecord) => void;
}

/** What `deps update` changes: {@link PinOptions} and the constraint for sources without their own. */
export interface UpdateOptions extends PinOptions {
  /**
   * The constraint for sources without a `# tofu-oci:` constraint on their line. Default: none
   * (the newest version).
   */
  constraint?: string;
}

/** Where one source should point: a tag and the digest it names, or why not. */
type Target = { tag: string; digest: string } | { unchanged: string } | { problem: string; notFound?: boolean };

/**
 * Pins every `oci://` module source under `dir` that selects a tag (`?tag=X`, or none: OpenTofu's
 * `latest`) to the digest the tag names now, `?digest=sha256:...`, keeping the tag in a
 * `# tofu-oci: tag=X` comment on the line. Each pinned artifact first passes verify's OpenTofu
 * rules; one that would not install is refused and left as it was. Only the source string and
 * the comment after it change; every other byte of the file stays.
 * @throws TofuOciError "invalid-input" (exit 6) for a file that is not valid HCL; registry failures.
 */
export function pin(options: PinOptions = {}, ctx: DepsContext = {}): Promise<ModulePinRecord[]> {
  return rewriteSources(options, ctx, "pinned", async (source, session) => {
    const { locator } = source;
    if (locator!.digest) return { unchanged: "already pinned by digest" };
    const tag = locator!.tag ?? "latest";
    const descriptor = await session.resolve(locator!.registry, locator!.repository, tag);
    return descriptor
      ? { tag, digest: descriptor.digest }
      : { problem: `the tag ${tag} does not exist in ${locator!.registry}/${locator!.repository}`, notFound: true };
  });
}

/**
 * Moves every `oci://` module source under `dir` to the newest version tag its constraint allows
 * (the line's `# tofu-oci:` constraint, else `constraint`) and pins it by digest, as {@link pin}.
 */
export function update(options: UpdateOptions = {}, ctx: DepsContext = {}): Promise<ModulePinRecord[]> {
  checkConstraint(options.constraint);
  return rewriteSources(options, ctx, "updated", async (source, session) => {
    const status = await inspectSource(source, session, options.constraint);
    if (status.problem !== undefined) return { problem: status.problem, notFound: status.notFound === true };
    if (status.wanted === undefined && status.tagMissing)
      return { problem: missingTagProblem(status).problem!, notFound: true };
    if (status.wanted === undefined)
      return {
        unchanged: `no version tag${status.constraint ? ` allowed by "${status.constraint}"` : ""} in the repository`,
      };
    const { locator } = source;
    const descriptor = await session.resolve(locator!.registry, locator!.repository, status.wanted);
    return descriptor
      ? { tag: status.wanted, digest: descriptor.digest }
      : {
          problem: `the tag ${status.wanted} disappeared from ${locator!.registry}/${locator!.repository}`,
          notFound: true,
        };
  });
}

async function rewriteSources(
  options: PinOptions,
  ctx: DepsContext,
  action: "pinned" | "updated",
  choose: (source: ModuleSource, session: RegistrySession) => Promise<Target>,
): Promise<ModulePinRecord[]> {
  const files = await readModuleSources(resolve(ctx.cwd ?? ".", options.dir ?? "."));
  const session = new RegistrySession(options, ctx.signal);
  const records: ModulePinRecord[] = [];
  try {
    for (const file of files) {
      const edits: Edit[] = [];
      for (const source of file.sources) {
        const { record, changes } = await rewriteOne(source, file.text, session, action, choose);
        edits.push(...changes);
        options.onRecord?.(record);
        records.push(record);
      }
      if (edits.length > 0 && !options.dryRun) await writeFileAtomic(file.file, applyEdits(file.text, edits));
    }
  } finally {
    await session.close();
  }
  return records;
}

async function rewriteOne(
  source: ModuleSource,
  text: string,
  session: RegistrySession,
  action: "pinned" | "updated",
  choose: (source: ModuleSource, session: RegistrySession) => Promise<Target>,
): Promise<{ record: ModulePinRecord; changes: Edit[] }> {
  const base = {
    kind: "module-pin" as const,
    file: source.path,
    line: source.site.line,
    module: source.site.module,
    from: source.site.value,
  };
  if (!source.locator)
    return { record: { ...base, action: "refused", problem: source.problem ?? "not an oci:// source" }, changes: [] };
  const target = await choose(source, session);
  if ("problem" in target) {
    const notFound = target.notFound ? { notFound: true as const } : {};
    return { record: { ...base, action: "refused", problem: target.problem, ...notFound }, changes: [] };
  }
  if ("unchanged" in target)
    return { record: { ...base, action: "unchanged", problem: target.unchanged }, changes: [] };
  const to = moduleSource(source.locator, { digest: target.digest });
  const pinned = { ...base, to, tag: target.tag, digest: target.digest };
  if (to === source.site.value && source.directive.tag === target.tag)
    return { record: { ...pinned, action: "unchanged" }, changes: [] };
  const { locator } = source;
  const [verdict] = await verify({
    reference: to,
    type: "module",
    ...(await session.verifyAccess(locator.registry, locator.repository)),
  });
  if (!verdict!.ok) {
    const checks = verdict!.checks.filter((check) => !check.ok);
    return {
      record: {
        ...base,
        action: "refused",
        tag: target.tag,
        digest: target.digest,
        problem: `${to} would not install with tofu init`,
        checks,
      },
      changes: [],
    };
  }
  const directive = {
    ...(source.directive.constraint ? { constraint: source.directive.constraint } : {}),
    tag: target.tag,
  };
  return { record: { ...pinned, action }, changes: sourceEdits(text, source.site, to, directive) };
}
