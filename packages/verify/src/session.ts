import type { LockFile } from "@tofu-oci/opentofu";
import type { ArtifactStore } from "./artifact-store.js";
import type { Checks } from "./checks.js";
import type { VerifyInput } from "./inputs.js";
import type { Resolution } from "./resolution.js";

/** Validated options that apply to every input. */
export interface Settings {
  type?: "module" | "provider";
  /** Requested provider platforms as `os_arch`; empty means every platform of the index. */
  platforms: string[];
  lock?: LockFile;
  /** Normalized `HOST/NAMESPACE/TYPE` from --provider. */
  provider?: string;
  /** Absolute --extract directory. */
  extract?: string;
  requireSbom: boolean;
  /** Absolute --extract-sbom directory; implies requireSbom. */
  extractSbom?: string;
  /** Where layers are downloaded for checking. */
  tempDir: string;
  /** A provider platform's h1: annotation replaces its download. */
  trustH1Annotation: boolean;
  signal?: AbortSignal;
}

/** Everything one verification works with. */
export interface Session {
  input: VerifyInput;
  store: ArtifactStore;
  resolution?: Resolution;
  checks: Checks;
  settings: Settings;
}

/** Record fields a verification adds besides `checks`. */
export interface Outcome {
  digest?: string;
  [field: string]: unknown;
}
