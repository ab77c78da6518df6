import type { UnpackPlan } from "./unpack-plan.js";

/** A provider zip and where its entries land when OpenTofu unpacks it. */
export interface UnpackedZip {
  /** The zip's entries in zip order; only their Unix modes are read. */
  entries: ReadonlyArray<{ mode: number | undefined }>;
  /** Where each entry would be unpacked (see {@link planUnpack}). */
  plan: UnpackPlan;
}

/** The executable tofu init would run, or why it would find none. */
export type ExecutableVerdict = { ok: true; name: string; warning?: string } | { ok: false; problem: string };

/**
 * CachedProvider.ExecutableFile (internal/providercache/cached_provider.go:108): the first file,
 * in name order, directly in the package directory whose name is `terraform-provider-TYPE`
 * optionally followed by `_` or `.` and more. It warns when the zip records a Unix mode without
 * an execute bit for a platform other than Windows.
 * @param options.guessed the type is a guess (from a repository name): any `terraform-provider-*`
 *   file passes, with a warning.
 * @param options.os the package's platform OS; `windows` needs no execute bit.
 */
export function findExecutable(
  zip: UnpackedZip,
  type: string,
  options: { guessed?: boolean; os?: string } = {},
): ExecutableVerdict {
  const prefix = `terraform-provider-${type}`;
  const names = [...zip.plan.files.keys()]
    .filter((path) => !path.includes("/"))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const name = names.find(
    (file) =>
      file.startsWith(prefix) &&
      (file.length === prefix.length || file[prefix.length] === "_" || file[prefix.length] === "."),
  );
  const others = names.filter((file) => file.startsWith("terraform-provider-"));
  if (!name && options.guessed && others.length > 0) {
    return {
      ok: true,
      name: others[0]!,
      warning: `the provider type is not known (guessed "${type}" from the repository name); ${others[0]} is the executable if the type is ${others[0]!.slice("terraform-provider-".length).split(/[_.]/)[0]}: pass --provider HOST/NAMESPACE/TYPE to check it`,
    };
  }
  if (!name) {
    const seen =
      others.length > 0
        ? `it has ${others.join(", ")}; if that is the provider, its type is not "${type}"`
        : `its top-level files are ${names.slice(0, 5).join(", ") || "none"}`;
    return {
      ok: false,
      problem: `the package has no file ${prefix}[_VERSION][.exe] at its root ("could not find executable file starting with ${prefix}"); ${seen}`,
    };
  }
  const mode = zip.entries[zip.plan.files.get(name)!]!.mode;
  if (runsAsIs(mode, options.os)) return { ok: true, name };
  return {
    ok: true,
    name,
    warning: `${name} is not marked executable in the zip (mode ${mode!.toString(8)}); tofu init installs it, but running it may fail`,
  };
}

/**
 * True when an executable with this zip entry mode runs once unpacked on `os`: Windows has no
 * execute bit, and a zip made there records no Unix mode (`undefined`), so both run as they are;
 * otherwise one of the execute bits must be set.
 */
export function runsAsIs(mode: number | undefined, os: string | undefined): boolean {
  return os === "windows" || mode === undefined || (mode & 0o111) !== 0;
}
