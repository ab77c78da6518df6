import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { isTofuOciError, usageError } from "@tofu-oci/core";
import {
  formatPlatform,
  formatProviderAddress,
  parsePlatform,
  parseProviderAddress,
  readLockFile,
} from "@tofu-oci/opentofu";
import { assertExtractTarget } from "./extract.js";
import type { Settings } from "./session.js";

/** The options that apply to every input; {@link validateSettings} checks them. */
export interface SettingsOptions {
  /** `module` or `provider`. Default: from the record, else detected from what the reference selects. */
  type?: "module" | "provider";
  /** Provider platforms to check, `os_arch` or `os/arch`. Default: every platform of the index. */
  platforms?: string[];
  /** A `.terraform.lock.hcl` whose hashes OpenTofu would enforce. */
  lockFile?: string;
  /** The lock-file block (and provider type) to use, `HOST/NAMESPACE/TYPE`. Default: the only block at the version. */
  provider?: string;
  /** Unpack the module (or the one provider platform) here once every check passed. */
  extract?: string;
  /** Fail unless an SPDX or CycloneDX SBOM is attached as a referrer. Default false. */
  requireSbom?: boolean;
  /** Where layers are downloaded for checking. Default: the OS temp directory. */
  tempDir?: string;
  /**
   * Take a provider platform's `h1:` from the `dev.tofu-oci.provider.h1` annotation of its
   * manifest and do not download the zip (so its zip, executable and lock `h1:` checks do not
   * run); platforms without the annotation are downloaded as usual. Default false: every zip is
   * downloaded, and an annotation is checked against it.
   */
  trustH1Annotation?: boolean;
}

/**
 * Checks every local option before anything touches the network: platforms, the provider
 * address, the lock file (read and parsed: a malformed one is exit 6) and the --extract target.
 * @throws TofuOciError "usage" (exit 2) or "invalid-input" (exit 6).
 */
export async function validateSettings(
  options: SettingsOptions,
  context: { cwd?: string; signal?: AbortSignal } = {},
): Promise<Settings> {
  const cwd = context.cwd ?? ".";
  const settings: Settings = {
    platforms: [...new Set((options.platforms ?? []).map((text) => formatPlatform(parsePlatform(text))))],
    requireSbom: options.requireSbom ?? false,
    tempDir: options.tempDir ?? tmpdir(),
    trustH1Annotation: options.trustH1Annotation ?? false,
  };
  if (options.type) settings.type = options.type;
  if (options.provider !== undefined) settings.provider = parseProvider(options.provider);
  if (options.lockFile !== undefined) settings.lock = await readLockFile(resolve(cwd, options.lockFile));
  if (options.extract !== undefined)
    settings.extract = await extractTarget(resolve(cwd, options.extract), settings.platforms);
  if (context.signal) settings.signal = context.signal;
  if (settings.type === "module" && (settings.platforms.length > 0 || settings.lock)) {
    throw usageError("--platform and --lockfile apply to providers, not to --type module");
  }
  return settings;
}

/** `--provider` as `HOST/NAMESPACE/TYPE` in any case, normalized as the lock file writes it. */
function parseProvider(text: string): string {
  try {
    return formatProviderAddress(parseProviderAddress(text, { form: "qualified" }));
  } catch (error) {
    if (!isTofuOciError(error)) throw error;
    throw usageError(`invalid --provider: ${error.message}`, error.hint);
  }
}

async function extractTarget(dir: string, platforms: string[]): Promise<string> {
  if (platforms.length > 1)
    throw usageError("--extract unpacks one provider platform; give at most one --platform with it");
  await assertExtractTarget(dir);
  return dir;
}
