import { isTofuOciError, type Descriptor, type OperationOptions } from "@tofu-oci/core";
import { ContentMismatch, type ArtifactStore } from "./artifact-store.js";
import type { Checks } from "./checks.js";

/** What a tag or digest resolved to, or why it did not. */
export type Resolution =
  | { ok: true; selector: string; descriptor: Descriptor }
  | {
      ok: false;
      selector: string;
      problem: string /** The tag, digest or repository does not exist. */;
      missing?: true;
    };

/** Resolves a tag or digest; "not found" and a malformed answer are outcomes, other errors throw. */
export async function resolveSelector(
  store: ArtifactStore,
  selector: string,
  options: OperationOptions = {},
): Promise<Resolution> {
  try {
    return { ok: true, selector, descriptor: await store.resolve(selector, options) };
  } catch (error) {
    if (error instanceof ContentMismatch) return { ok: false, selector, problem: error.message };
    if (isTofuOciError(error) && error.code === "not-found") {
      return {
        ok: false,
        selector,
        missing: true,
        problem: `${store.name} has no ${selector.startsWith("sha256:") ? "manifest" : "tag"} ${selector} ("resolving ${selector.startsWith("sha256:") ? "digest" : "tag"}": not found); check the reference, or push the artifact`,
      };
    }
    throw error;
  }
}

/** Records the `resolve` check (with the address's warning, if any); a failure stops the chain. */
export function checkResolution(resolution: Resolution, checks: Checks, warning?: string): Descriptor {
  if (!resolution.ok) return checks.fail("resolve", resolution.problem);
  const { descriptor, selector } = resolution;
  checks.pass(
    "resolve",
    selector === descriptor.digest
      ? `${selector} exists (${descriptor.mediaType})`
      : `${selector} -> ${descriptor.digest} (${descriptor.mediaType})`,
    warning,
  );
  return descriptor;
}
