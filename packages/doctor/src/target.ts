import { parseLocator, usageError, type Locator } from "@tofu-oci/core";

/** The scratch repository's name under REF's repository when none is given. */
export const SCRATCH_NAME = "tofu-oci-doctor";

/** What a doctor run looks at: REF's registry and repository, its artifact if it names one, and the scratch repository. */
export interface DoctorTarget {
  /** REF as given. */
  reference: string;
  /** REF's registry host (with port). */
  registry: string;
  /** "" when REF names only a registry. */
  repository: string;
  /** REF's tag or digest (with its `//SUBDIR`), when REF names an artifact. */
  artifact?: Locator;
  /**
   * Where probes push and delete test artifacts: `--scratch`, else `REPO/tofu-oci-doctor` (or `tofu-oci-doctor` for a
   * bare host).
   */
  scratchRepository: string;
}

/**
 * Reads REF (`HOST`, `HOST/REPO[:TAG|@DIGEST]` or `oci://HOST/REPO[//SUBDIR][?tag=|?digest=]`)
 * and the scratch repository (default `REPO/tofu-oci-doctor`, or `tofu-oci-doctor` for a bare
 * HOST), before anything touches the network.
 * @throws TofuOciError "usage" (exit 2) for a malformed REF or scratch repository, or a scratch
 *   repository that is REF's own (doctor pushes and deletes there).
 */
export function parseTarget(reference: string, scratch?: string): DoctorTarget {
  const text = reference.trim().replace(/^oci:\/\//, "");
  const bareHost = text !== "" && !text.includes("/");
  // A bare HOST is checked as the registry of its default scratch repository.
  const locator = parseLocator(bareHost ? `${text}/${SCRATCH_NAME}` : reference);
  const repository = bareHost ? "" : locator.repository;
  const scratchRepository = parseScratch(
    locator.registry,
    scratch ?? (bareHost ? SCRATCH_NAME : `${repository}/${SCRATCH_NAME}`),
  );
  if (scratchRepository === repository) {
    throw usageError(
      `the scratch repository ${scratchRepository} is REF's own repository`,
      "doctor pushes and deletes in the scratch repository: name another one with --scratch-repository.",
    );
  }
  const target: DoctorTarget = { reference, registry: locator.registry, repository, scratchRepository };
  if (!bareHost && (locator.tag !== undefined || locator.digest !== undefined)) target.artifact = locator;
  return target;
}

function parseScratch(registry: string, scratch: string): string {
  let locator: Locator;
  try {
    locator = parseLocator(`${registry}/${scratch}`);
  } catch (error) {
    throw usageError(
      `invalid scratch repository "${scratch}": ${(error as Error).message.replace(/^invalid reference "[^"]*": /, "")}`,
      "Give a repository path on REF's registry, e.g. --scratch-repository team/tofu-oci-doctor.",
    );
  }
  if (locator.tag !== undefined || locator.digest !== undefined) {
    throw usageError(
      `invalid scratch repository "${scratch}": it names a tag or digest`,
      "Give only the repository path; doctor picks the tags.",
    );
  }
  return locator.repository;
}
