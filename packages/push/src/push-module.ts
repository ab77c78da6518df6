import { usageError, type EncodedManifest, type ImageManifest, type LocalGraph } from "@tofu-oci/core";
import { moduleGraph } from "@tofu-oci/opentofu";
import type { ModuleInput } from "./package-records.js";

/** OpenTofu and ORAS both read a module source without a tag as `latest`. */
export const DEFAULT_MODULE_TAG = "latest";

/** Everything a module push will store, computed before any network request. */
export interface ModulePlan {
  type: "module";
  input: ModuleInput;
  /** Config, zip and the manifest of docs/contract/design.md §3 (the zip's file name as the layer title). */
  graph: LocalGraph & { root: EncodedManifest<ImageManifest> };
  /** REF's tag and every `--tag`, or `latest` when there is none. */
  tags: string[];
}

/** The graph of docs/contract/design.md §3 for a module zip, and its tags. */
export function planModule(
  input: ModuleInput,
  settings: { tags: readonly string[]; annotations: Record<string, string> },
): ModulePlan {
  const tags = settings.tags.length > 0 ? [...settings.tags] : [DEFAULT_MODULE_TAG];
  return { type: "module", input, graph: moduleGraph(input.zip, { annotations: settings.annotations }), tags };
}

/** One REF tag names one module; several module records at once would overwrite each other. */
export function assertSingleModule(count: number): void {
  if (count > 1)
    throw usageError(
      `got ${count} module packages for one reference`,
      "Push one module per command; each module needs its own repository or tag.",
    );
}
