import {
  openLocator,
  parseLocator,
  usageError,
  type Locator,
  type ParseLocatorOptions,
  type Target,
} from "@tofu-oci/core";
import type { RegistryClient, RegistryClientOptions } from "@tofu-oci/core/remote";

/** The side effects mirror's library functions use; all optional. */
export interface MirrorContext {
  /** Base for relative paths. Default: the process's working directory. */
  cwd?: string;
  /** Aborts the run; nothing partial is tagged. */
  signal?: AbortSignal;
  /** Environment variables (`TF_TOKEN_<host>` for module registries). Default: none. */
  env?: Record<string, string | undefined>;
}

/**
 * Runs `work` with one registry client for every repository it touches (so blobs can be
 * mounted between repositories of one registry and tokens are reused), and closes it after.
 */
export async function withRegistryClient<T>(
  options: RegistryClientOptions | undefined,
  work: (client: RegistryClient) => Promise<T>,
): Promise<T> {
  const { RegistryClient } = await import("@tofu-oci/core/remote");
  const client = new RegistryClient(options);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/** `{ signal }` for core's operation options, when the context has one. */
export function signalOf(ctx: MirrorContext): { signal?: AbortSignal } {
  return ctx.signal ? { signal: ctx.signal } : {};
}

/** `{ cwd }` when the context has one. */
export function cwdOf(ctx: MirrorContext): { cwd?: string } {
  return ctx.cwd ? { cwd: ctx.cwd } : {};
}

/**
 * Parses SRC or DST of copy and export (docs/contract/design.md §2.1, layouts with `ociLayout`); a `//SUBDIR`
 * is refused: mirror copies whole artifacts.
 * @throws TofuOciError "usage" (exit 2).
 */
export function parseCopyLocator(input: string, options: ParseLocatorOptions = {}): Locator {
  const locator = parseLocator(input, options);
  if (locator.subdir)
    throw usageError(`"${input}" names a //subdirectory`, "Copy whole artifacts: leave out the //SUBDIR part.");
  return locator;
}

/** Opens a repository with the run's one client (blobs mount between its repositories), or a layout. */
export async function openShared(
  locator: Locator,
  options: { client: RegistryClient; create?: boolean },
): Promise<Target> {
  return (await openLocator(locator, options)).target;
}
