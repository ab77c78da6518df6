import type { RegistryClient, RegistryClientOptions } from "@tofu-oci/core/remote";

/** The side effects mirror's library functions use; all optional. */
export interface MirrorContext {
  /** Base for relative paths. Default: the process's working directory. */
  cwd?: string;
  signal?: AbortSignal;
  /** Environment variables (`TF_TOKEN_<host>` for module registries). Default: none. */
  env?: Record<string, string | undefined>;
}

/**
 * Runs `work` with one registry client for every repository it touches (so blobs can be
 * mounted between repositories of one registry and tokens are reused), and closes it after.
 */
export async function withRegistryClient<T>(options: RegistryClientOptions | undefined, work: (client: RegistryClient) => Promise<T>): Promise<T> {
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
