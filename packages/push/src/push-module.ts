import { usageError, type EncodedManifest, type ImageManifest } from "@tofu-oci/core";
import { buildModuleManifest } from "@tofu-oci/opentofu";
import { CONFIG_UPLOAD, fileUpload } from "./blobs.js";
import { titleOf } from "./local-file.js";
import type { ModuleInput } from "./package-records.js";
import type { Uploader } from "./uploader.js";

/** OpenTofu and ORAS both read a module source without a tag as `latest`. */
export const DEFAULT_MODULE_TAG = "latest";

/** Everything a module push will store, computed before any network request. */
export interface ModulePlan {
  type: "module";
  input: ModuleInput;
  manifest: EncodedManifest<ImageManifest>;
  /** REF's tag and every `--tag`, or `latest` when there is none. */
  tags: string[];
}

/** The manifest of design.md §3 for a module zip, with the zip's file name as the layer title. */
export function planModule(input: ModuleInput, settings: { tags: readonly string[]; annotations: Record<string, string> }): ModulePlan {
  const manifest = buildModuleManifest({ layer: input.zip, title: titleOf(input.zip.file), annotations: settings.annotations });
  const tags = settings.tags.length > 0 ? [...settings.tags] : [DEFAULT_MODULE_TAG];
  return { type: "module", input, manifest, tags };
}

/** Config blob and zip first, then the manifest with its tags. */
export async function pushModule(plan: ModulePlan, uploader: Uploader): Promise<void> {
  await uploader.blobs([CONFIG_UPLOAD, fileUpload(plan.input.zip)]);
  await uploader.manifest(plan.manifest, plan.tags);
}

/** One REF tag names one module; several module records at once would overwrite each other. */
export function assertSingleModule(count: number): void {
  if (count > 1) throw usageError(`got ${count} module packages for one reference`, "Push one module per command; each module needs its own repository or tag.");
}
