import { isTofuOciError, resolveIfExists, type Descriptor, type ReadOnlyTarget } from "@tofu-oci/core";
import type { RegistryClient, RegistryClientOptions } from "@tofu-oci/core/remote";
import type { VerifyOptions } from "@tofu-oci/verify";

/** How the deps verbs reach registries. */
export interface RegistryAccess {
  /** Registry settings and credentials. Default: anonymous HTTPS. */
  clientOptions?: RegistryClientOptions;
  /**
   * Open repositories here instead of in a registry (library use and tests: memory targets).
   * Verification then reads through the target instead of OpenTofu's own manifest requests.
   */
  openTarget?: (registry: string, repository: string) => ReadOnlyTarget;
}

/**
 * One connection pool and token cache for every repository a run reads (tags, resolves and the
 * verifications), closed at the end of the run.
 */
export class RegistrySession {
  readonly #access: RegistryAccess;
  readonly #signal: AbortSignal | undefined;
  readonly #targets = new Map<string, ReadOnlyTarget>();
  readonly #tags = new Map<string, Promise<string[] | undefined>>();
  #client: RegistryClient | undefined;
  #shared: RegistryClientOptions | undefined;
  #ownedDispatcher: { close(): Promise<void> } | undefined;

  constructor(access: RegistryAccess, signal?: AbortSignal) {
    this.#access = access;
    this.#signal = signal;
  }

  /** The repository's tags (listed once per run), or undefined when the repository does not exist. */
  tags(registry: string, repository: string): Promise<string[] | undefined> {
    const key = `${registry}/${repository}`;
    if (!this.#tags.has(key)) this.#tags.set(key, this.#listTags(registry, repository));
    return this.#tags.get(key)!;
  }

  /** What a tag or digest names now, or undefined when it does not exist. */
  async resolve(registry: string, repository: string, reference: string): Promise<Descriptor | undefined> {
    return resolveIfExists(await this.target(registry, repository), reference, this.#options());
  }

  /** The options `verify` needs to read `registry/repository` through this session. */
  async verifyAccess(registry: string, repository: string): Promise<Pick<VerifyOptions, "clientOptions" | "target">> {
    if (this.#access.openTarget) return { target: await this.target(registry, repository) };
    await this.#ensureClient();
    return { clientOptions: this.#shared! };
  }

  async target(registry: string, repository: string): Promise<ReadOnlyTarget> {
    const key = `${registry}/${repository}`;
    let target = this.#targets.get(key);
    if (!target) {
      target = this.#access.openTarget
        ? this.#access.openTarget(registry, repository)
        : await this.#remote(registry, repository);
      this.#targets.set(key, target);
    }
    return target;
  }

  async close(): Promise<void> {
    await this.#client?.close();
    await this.#ownedDispatcher?.close();
  }

  async #listTags(registry: string, repository: string): Promise<string[] | undefined> {
    const target = await this.target(registry, repository);
    const tags: string[] = [];
    try {
      for await (const tag of target.tags(this.#options())) tags.push(tag);
    } catch (error) {
      if (isTofuOciError(error) && error.code === "not-found") return undefined;
      throw error;
    }
    return tags;
  }

  async #remote(registry: string, repository: string): Promise<ReadOnlyTarget> {
    await this.#ensureClient();
    const { RemoteRepository } = await import("@tofu-oci/core/remote");
    return new RemoteRepository(this.#client!, registry, repository);
  }

  /** verify makes a client per artifact; sharing the dispatcher and token cache keeps one pool and one login. */
  async #ensureClient(): Promise<void> {
    if (this.#client) return;
    const { RegistryClient, TokenCache, registryDispatcher } = await import("@tofu-oci/core/remote");
    const options = this.#access.clientOptions ?? {};
    const dispatcher = options.dispatcher ?? registryDispatcher(options);
    if (!options.dispatcher) this.#ownedDispatcher = dispatcher;
    this.#shared = { ...options, dispatcher, tokenCache: options.tokenCache ?? new TokenCache() };
    this.#client = new RegistryClient(this.#shared);
  }

  #options(): { signal?: AbortSignal } {
    return this.#signal ? { signal: this.#signal } : {};
  }
}
