import { plural } from "@tofu-oci/core";
import { inspectZip, planUnpack, reviewNames, type InspectedEntry, type UnpackPlan } from "@tofu-oci/opentofu";
import type { Checks } from "./checks.js";

/** A package zip that go-getter would unpack, and the tree it unpacks to. */
export interface CheckedZip {
  /** The downloaded zip. */
  path: string;
  entries: InspectedEntry[];
  plan: UnpackPlan;
}

/**
 * The checks go-getter's unzip makes of every OCI module and provider package: `zip-format`,
 * `zip-entry-names`, `zip-unpack`. A failure stops the chain.
 */
export async function checkPackageZip(path: string, checks: Checks): Promise<CheckedZip> {
  const entries = await inspectZip(path);
  if (!Array.isArray(entries))
    checks.fail("zip-format", `${entries.problem}; OpenTofu cannot unpack it: re-create the archive`);
  const files = entries.filter((entry) => !entry.isDirectory).length;
  checks.pass(
    "zip-format",
    `a valid zip with ${plural(entries.length, "entry", "entries")} (${plural(files, "file")})`,
  );
  const names = reviewNames(entries);
  if (names.problem) checks.fail("zip-entry-names", names.problem);
  checks.pass(
    "zip-entry-names",
    "no entry name leaves the package directory",
    names.warnings.length > 0 ? names.warnings.join("; ") : undefined,
  );
  const plan = planUnpack(entries);
  if ("problem" in plan)
    checks.fail("zip-unpack", `${plan.problem}; OpenTofu's unzip fails there: remove the conflicting entry`);
  checks.pass(
    "zip-unpack",
    `unpacks to ${plural(plan.files.size, "file")} in ${plural(plan.dirs.size - 1, "directory", "directories")}`,
    duplicateWarning(entries, plan),
  );
  return { path, entries, plan };
}

/** Files written over by a later entry of the same path: OpenTofu keeps the last, which the zip listing does not show. */
function duplicateWarning(entries: InspectedEntry[], plan: UnpackPlan): string | undefined {
  const replaced = plan.targets.filter(
    (target, index) => !entries[index]!.isDirectory && plan.files.get(target) !== index,
  );
  if (replaced.length === 0) return undefined;
  const names = [...new Set(replaced)];
  return `${replaced.length} ${replaced.length > 1 ? "entries are" : "entry is"} written over by a later entry of the same path (${names.slice(0, 3).join(", ")}${names.length > 3 ? ", ..." : ""}); OpenTofu, and --extract, keep the last`;
}
