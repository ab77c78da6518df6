import { resolve } from "node:path";
import { formatReference, parseLayoutReference, parseReference } from "./reference.js";
import type { RegistryClient, RegistryClientOptions } from "./remote/registry-client.js";
import type { Target } from "./target.js";

/**
 * Where an artifact is: a registry repository or an OCI image layout directory, with the tag or
 * digest that selects it (never both). What every command takes as REF, SRC or DST.
 */
export interface Locator {
  /** A registry repository or an OCI image layout directory. */
  kind: "registry" | "layout";
  /** The registry host; "" for a layout. */
  registry: string;
  /** The repository, or the layout's absolute path. */
  repository: string;
  /** The tag, when one is given. */
  tag?: string;
  /** The digest, `sha256:<hex>`, when one is given. */
  digest?: string;
  /** The `//SUBDIR` of an `oci://` module source. */
  subdir?: string;
}

/** Options of {@link parseLocator}. */
export interface ParseLocatorOptions {
  /** The input is `PATH[:TAG|@DIGEST]` of an OCI image layout. Default false. */
  ociLayout?: boolean;
  /** Base of a relative layout path. Default: the process's working directory. */
  cwd?: string;
}

/**
 * Parses a reference of docs/contract/design.md §2.1: `HOST/REPO[:TAG|@DIGEST]`,
 * `oci://HOST/REPO[//SUBDIR][?tag=TAG|?digest=DIGEST]`, or with `ociLayout` `PATH[:TAG|@DIGEST]`
 * (the path made absolute).
 * @throws TofuOciError "usage" (exit 2) saying what is wrong.
 */
export function parseLocator(input: string, options: ParseLocatorOptions = {}): Locator {
  if (options.ociLayout) {
    const { path, tag, digest } = parseLayoutReference(input);
    const repository = options.cwd ? resolve(options.cwd, path) : resolve(path);
    return withSelector({ kind: "layout", registry: "", repository }, { tag, digest });
  }
  const { registry, repository, tag, digest, subdir } = parseReference(input);
  const locator = withSelector({ kind: "registry", registry, repository }, { tag, digest });
  if (subdir !== undefined) locator.subdir = subdir;
  return locator;
}

/** `HOST/REPO`, or the layout path. */
export function locatorName(locator: Locator): string {
  return locator.kind === "layout" ? locator.repository : `${locator.registry}/${locator.repository}`;
}

/** `NAME@DIGEST`, `NAME:TAG` or `NAME` (`NAME` as {@link locatorName}); the selector defaults to the locator's. */
export function formatLocator(
  locator: Locator,
  selector: { tag?: string | undefined; digest?: string | undefined } = locator,
): string {
  if (selector.digest) return `${locatorName(locator)}@${selector.digest}`;
  return selector.tag ? `${locatorName(locator)}:${selector.tag}` : locatorName(locator);
}

/**
 * The OpenTofu module source of a registry locator with this selector
 * (`oci://HOST/REPO[//SUBDIR]?digest=...|?tag=...`); for a layout, {@link formatLocator}.
 */
export function moduleSource(locator: Locator, selector: { digest: string } | { tag: string }): string {
  if (locator.kind === "layout") return formatLocator(locator, selector);
  const { registry, repository, subdir } = locator;
  return formatReference({ registry, repository, ...(subdir ? { subdir } : {}), ...selector }, "opentofu");
}

/** The same repository or layout, without tag, digest or subdirectory. */
export function repositoryOf(locator: Locator): Locator {
  return { kind: locator.kind, registry: locator.registry, repository: locator.repository };
}

/** The tag or digest a reference selects (the digest when it names both), if any. */
export function selectorOf(reference: { tag?: string | undefined; digest?: string | undefined }): string | undefined {
  return reference.digest ?? reference.tag;
}

/** How {@link openLocator} connects. */
export interface OpenLocatorOptions {
  /** Create a missing layout (for writers). Default false. */
  create?: boolean;
  /** Reuse this client (its connections and tokens) for a registry; it is not closed for you. */
  client?: RegistryClient;
  /** Options of a new client when none is given. */
  clientOptions?: RegistryClientOptions;
}

/** An opened locator: the target, and the registry client to close when a new one was made. */
export interface OpenedLocator {
  /** What was opened. */
  locator: Locator;
  /** The repository or layout to read and write. */
  target: Target;
  /** The client this call created; close it when done. Absent for layouts and given clients. */
  client?: RegistryClient;
}

/**
 * Opens the repository or layout a locator names. The target modules load on demand, so
 * commands that never touch a registry do not pay for undici at start-up.
 */
export async function openLocator(locator: Locator, options: OpenLocatorOptions = {}): Promise<OpenedLocator> {
  if (locator.kind === "layout") {
    const { OciLayout } = await import("./layout/oci-layout.js");
    return { locator, target: await OciLayout.open(locator.repository, { create: options.create ?? false }) };
  }
  const [{ RegistryClient }, { RemoteRepository }] = await Promise.all([
    import("./remote/registry-client.js"),
    import("./remote/remote-repository.js"),
  ]);
  const client = options.client ?? new RegistryClient(options.clientOptions);
  const target = new RemoteRepository(client, locator.registry, locator.repository);
  return options.client ? { locator, target } : { locator, target, client };
}

/** How `openTarget` reads a reference and connects. */
export interface OpenTargetOptions extends ParseLocatorOptions, OpenLocatorOptions {}

/** {@link parseLocator} then {@link openLocator}. */
export async function openTarget(input: string, options: OpenTargetOptions = {}): Promise<OpenedLocator> {
  return openLocator(parseLocator(input, options), options);
}

function withSelector(locator: Locator, selector: { tag?: string | undefined; digest?: string | undefined }): Locator {
  if (selector.digest) locator.digest = selector.digest;
  else if (selector.tag) locator.tag = selector.tag;
  return locator;
}
