import { Readable } from "node:stream";
import {
  ArtifactType,
  isIndexMediaType,
  usageError,
  type AnyRecord,
  type ReadOnlyTarget,
  type VerificationRecord,
} from "@tofu-oci/core";
import type { RegistryClientOptions } from "@tofu-oci/core/remote";
import type { ArtifactStore } from "./artifact-store.js";
import { Checks, type Check } from "./checks.js";
import { inputFromReference, inputsFromRecords, selectorToResolve, type VerifyInput } from "./inputs.js";
import { openStore } from "./open-store.js";
import { resolveSelector, type Resolution } from "./resolution.js";
import type { Session, Settings } from "./session.js";
import type { PlatformResult } from "./verify-provider.js";
import { validateSettings, type SettingsOptions } from "./settings.js";

/** What to verify and how. Every field is optional; the empty object reads records from stdin. */
export interface VerifyOptions extends SettingsOptions {
  /**
   * `HOST/REPO[:TAG|@DIGEST]`, `oci://HOST/REPO[//SUBDIR][?tag=|?digest=]`, or with `ociLayout`
   * `PATH[:TAG|@DIGEST]`. Absent or `-`: tofu-oci-push artifact records are read from stdin.
   */
  reference?: string;
  /** The reference is an OCI image layout directory. Default false. */
  ociLayout?: boolean;
  /** Registry settings and credentials. */
  clientOptions?: RegistryClientOptions;
  /** Read from this target instead of opening the reference's registry or layout (library use, tests). */
  target?: ReadOnlyTarget;
  /** Called with each record as soon as it is made. */
  onRecord?: (record: VerifyRecord) => void;
  /** Receives the records on stdin that are not artifact records, to pass on unchanged. */
  onOtherRecord?: (record: AnyRecord) => void;
}

/** The side effects verify uses. Default: no stdin, the process's working directory. */
export interface VerifyContext {
  /** Where artifact records are read when `reference` is absent or `-`. */
  stdin?: Readable;
  /** Base for relative layout and lock-file paths. Default: the process's working directory. */
  cwd?: string;
  /** Aborts the downloads; records already made stay valid. */
  signal?: AbortSignal;
}

/** A verification record (docs/contract/design.md §2.2) with verify's check details. */
export interface VerifyRecord extends VerificationRecord {
  /** Every check run, in order, each with its verify check id. */
  checks: Check[];
  /** Set when the tag, digest or repository does not exist: nothing could be checked (exit code 3). */
  notFound?: true;
  /** Modules in a registry: the digest-pinned module source to paste into OpenTofu. */
  source?: string;
  /** Modules: the directory inside the package that `//subdir` selects. */
  moduleDir?: string;
  /** Modules: the directory `extract` unpacked the package into. */
  extracted?: string;
  /** With `extractSbom`: the SBOM files written, one per provider platform (or the module's, or the index's). */
  sboms?: string[];
  /** Providers: the provider address, when given or known from the index. */
  provider?: string;
  /** Providers: the version, from the tag. */
  version?: string;
  /** Providers: per checked platform, its manifest, layer and the `zh:`/`h1:` lock-file hashes. */
  platforms?: PlatformResult[];
}

/**
 * Verifies each artifact exactly as `tofu init` (OpenTofu >= 1.10) would install it and returns
 * one record per input, `ok: false` when OpenTofu would refuse it. All local input is checked
 * before the first network request.
 * @throws TofuOciError for bad input (exit 2 or 6) and for registry failures (exit 4 or 5);
 *   a verdict is never thrown.
 */
export async function verify(options: VerifyOptions = {}, ctx: VerifyContext = {}): Promise<VerifyRecord[]> {
  const settings = await validateSettings(options, ctx);
  const inputs = await readInputs(options, ctx);
  if (settings.extract && inputs.length > 1)
    throw usageError(
      `--extract unpacks one artifact, and stdin has ${inputs.length} records`,
      "Verify them one at a time, or drop --extract.",
    );
  if (settings.extractSbom && inputs.length > 1)
    throw usageError(
      `--extract-sbom writes one artifact's SBOMs, and stdin has ${inputs.length} records`,
      "Verify them one at a time, or drop --extract-sbom.",
    );
  const records: VerifyRecord[] = [];
  for (const input of inputs) {
    const record = await verifyInput(input, settings, options);
    options.onRecord?.(record);
    records.push(record);
  }
  return records;
}

async function readInputs(options: VerifyOptions, ctx: VerifyContext): Promise<VerifyInput[]> {
  const cwd = ctx.cwd ?? ".";
  if (options.reference !== undefined && options.reference !== "-") {
    const input = inputFromReference(options.reference, { ociLayout: options.ociLayout ?? false, cwd });
    return [input];
  }
  return inputsFromRecords(ctx.stdin ?? Readable.from([]), { cwd, onOtherRecord: options.onOtherRecord });
}

async function verifyInput(input: VerifyInput, settings: Settings, options: VerifyOptions): Promise<VerifyRecord> {
  const store = options.target
    ? await targetStore(options.target)
    : await openStore(input.location, options.clientOptions);
  try {
    const resolution = input.plusTag
      ? undefined
      : await resolveSelector(store, selectorToResolve(input.location), { signal: settings.signal });
    const type = settings.type ?? input.type ?? detectType(settings, resolution);
    const session: Session = { input, store, checks: new Checks(), settings, ...(resolution ? { resolution } : {}) };
    const { verifyModule } = await import("./verify-module.js");
    const { verifyProvider } = await import("./verify-provider.js");
    const outcome = type === "module" ? await verifyModule(session) : await verifyProvider(session);
    const { digest, ...extra } = outcome;
    const missing = resolution && !resolution.ok && resolution.missing ? { notFound: true as const } : {};
    return {
      kind: "verification",
      ok: session.checks.ok,
      type,
      reference: input.reference,
      ...(digest ? { digest } : {}),
      ...missing,
      checks: session.checks.list,
      ...extra,
    };
  } finally {
    await store.close();
  }
}

/** A provider when provider options are given or the reference selects an index or a provider platform manifest. */
function detectType(settings: Settings, resolution: Resolution | undefined): "module" | "provider" {
  if (settings.platforms.length > 0 || settings.lock) return "provider";
  if (!resolution?.ok) return "module";
  const { mediaType, artifactType } = resolution.descriptor;
  return isIndexMediaType(mediaType) ||
    artifactType === ArtifactType.provider ||
    artifactType === ArtifactType.providerTarget
    ? "provider"
    : "module";
}

async function targetStore(target: ReadOnlyTarget): Promise<ArtifactStore> {
  const { TargetStore } = await import("./target-store.js");
  return new TargetStore(target);
}
