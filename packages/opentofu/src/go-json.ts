/**
 * Decodes OCI manifests the way OpenTofu does (internal/getmodules/oci_getter.go:326 and
 * internal/getproviders/oci_registry_mirror_source.go:544, :596): Go's `encoding/json` into
 * image-spec's `ociv1.Manifest` and `ociv1.Index`. Field names match case-insensitively, unknown fields are
 * ignored, `null` leaves a field empty, and a value of the wrong type anywhere in a known field
 * is an error, as `json.Unmarshal` reports it.
 */

/** The descriptor fields OpenTofu reads. Absent strings are "". */
export interface GoDescriptor {
  /** The media type; "" when absent. */
  mediaType: string;
  /** The digest as written (not validated here); "" when absent. */
  digest: string;
  /** The size in bytes; 0 when absent. */
  size: number;
  /** The artifact type; "" when absent. */
  artifactType: string;
  /** The platform, when the descriptor has one (index entries); absent strings are "". */
  platform?: { os: string; architecture: string; osVersion: string };
}

/** The image manifest fields OpenTofu reads (image-spec `ociv1.Manifest`). */
export interface GoManifest {
  /** The media type in the JSON; "" when absent. */
  mediaType: string;
  /** The artifact type OpenTofu checks; "" when absent. */
  artifactType: string;
  /** The layers, in order; empty when absent or null. */
  layers: GoDescriptor[];
  /** The manifest's annotations (null values dropped); null when there are none. */
  annotations: Record<string, string> | null;
}

/** The image index fields OpenTofu reads (image-spec `ociv1.Index`). */
export interface GoIndex {
  /** The media type in the JSON; "" when absent. */
  mediaType: string;
  /** The artifact type OpenTofu checks; "" when absent. */
  artifactType: string;
  /** The entries, in order; empty when absent or null. */
  manifests: GoDescriptor[];
}

/** What `json.Unmarshal` would return as its error. */
export class GoJsonError extends Error {
  /** Always `GoJsonError`. */
  override readonly name = "GoJsonError";
}

type Kind = "string" | "int" | "bytes" | "strings" | "stringMap" | Schema | [Schema];
interface Schema {
  [field: string]: Kind;
}

const PLATFORM: Schema = { architecture: "string", os: "string", "os.version": "string", "os.features": "strings", variant: "string" };
const DESCRIPTOR: Schema = {
  mediaType: "string",
  digest: "string",
  size: "int",
  urls: "strings",
  annotations: "stringMap",
  data: "bytes",
  platform: PLATFORM,
  artifactType: "string",
};
const COMMON: Schema = { schemaVersion: "int", mediaType: "string", artifactType: "string", subject: DESCRIPTOR, annotations: "stringMap" };
const MANIFEST: Schema = { ...COMMON, config: DESCRIPTOR, layers: [DESCRIPTOR] };
const INDEX: Schema = { ...COMMON, manifests: [DESCRIPTOR] };

/** Decodes image manifest bytes; throws {@link GoJsonError} where Go would fail. */
export function decodeImageManifest(bytes: Uint8Array): GoManifest {
  const value = decode(bytes, MANIFEST);
  const annotations = field(value, "annotations") as Record<string, string | null> | null | undefined;
  const kept = annotations ? Object.entries(annotations).filter((entry): entry is [string, string] => entry[1] !== null) : [];
  return {
    mediaType: text(value, "mediaType"),
    artifactType: text(value, "artifactType"),
    layers: descriptors(value, "layers"),
    annotations: annotations ? Object.fromEntries(kept) : null,
  };
}

/** Decodes image index bytes; throws {@link GoJsonError} where Go would fail. */
export function decodeImageIndex(bytes: Uint8Array): GoIndex {
  const value = decode(bytes, INDEX);
  return { mediaType: text(value, "mediaType"), artifactType: text(value, "artifactType"), manifests: descriptors(value, "manifests") };
}

/** The mediaType a JSON document declares, if it is an object with one (for hints only). */
export function declaredMediaType(bytes: Uint8Array): string | undefined {
  try {
    const value = JSON.parse(Buffer.from(bytes).toString("utf8")) as unknown;
    return isObject(value) ? (field(value, "mediaType") as string | undefined) : undefined;
  } catch {
    return undefined;
  }
}

function decode(bytes: Uint8Array, schema: Schema): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (error) {
    throw new GoJsonError(`invalid JSON: ${(error as Error).message}`);
  }
  if (value === null) return {};
  check(value, schema, "");
  return value as Record<string, unknown>;
}

function check(value: unknown, kind: Kind, path: string): void {
  if (value === null) return;
  if (Array.isArray(kind)) return checkArray(value, kind[0]!, path);
  if (typeof kind === "object") return checkObject(value, kind, path);
  if (!matchesScalar(value, kind)) throw new GoJsonError(`cannot unmarshal ${jsonType(value)} into ${path || "the manifest"} of Go type ${goType(kind)}`);
}

function checkArray(value: unknown, item: Schema, path: string): void {
  if (!Array.isArray(value)) throw new GoJsonError(`cannot unmarshal ${jsonType(value)} into ${path} of Go type []Descriptor`);
  value.forEach((element, i) => check(element, item, `${path}[${i}]`));
}

function checkObject(value: unknown, schema: Schema, path: string): void {
  if (!isObject(value)) throw new GoJsonError(`cannot unmarshal ${jsonType(value)} into ${path || "the manifest"} of Go type struct`);
  for (const [name, kind] of Object.entries(schema)) {
    const child = field(value, name);
    if (child !== undefined) check(child, kind, path ? `${path}.${name}` : name);
  }
}

function matchesScalar(value: unknown, kind: "string" | "int" | "bytes" | "strings" | "stringMap"): boolean {
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "int":
      return typeof value === "number" && Number.isSafeInteger(value);
    case "bytes":
      return typeof value === "string" && isStdBase64(value);
    case "strings":
      return Array.isArray(value) && value.every((item) => item === null || typeof item === "string");
    case "stringMap":
      return isObject(value) && Object.values(value).every((item) => item === null || typeof item === "string");
  }
}

/** Go's `[]byte` fields take padded standard base64 (newlines ignored). */
function isStdBase64(value: string): boolean {
  const compact = value.replace(/[\r\n]/g, "");
  return compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
}

/** A field as Go finds it: any key equal under case folding; the last such key wins. */
function field(object: Record<string, unknown>, name: string): unknown {
  const folded = name.toLowerCase();
  let found: unknown;
  for (const [key, value] of Object.entries(object)) if (key.toLowerCase() === folded) found = value;
  return found;
}

function text(object: Record<string, unknown>, name: string): string {
  return (field(object, name) as string | null | undefined) ?? "";
}

function descriptors(object: Record<string, unknown>, name: string): GoDescriptor[] {
  const list = (field(object, name) as unknown[] | null | undefined) ?? [];
  return list.map((item) => toDescriptor((item ?? {}) as Record<string, unknown>));
}

function toDescriptor(value: Record<string, unknown>): GoDescriptor {
  const descriptor: GoDescriptor = {
    mediaType: text(value, "mediaType"),
    digest: text(value, "digest"),
    size: (field(value, "size") as number | null | undefined) ?? 0,
    artifactType: text(value, "artifactType"),
  };
  const platform = field(value, "platform") as Record<string, unknown> | null | undefined;
  if (platform) descriptor.platform = { os: text(platform, "os"), architecture: text(platform, "architecture"), osVersion: text(platform, "os.version") };
  return descriptor;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  return typeof value === "object" ? "object" : typeof value;
}

function goType(kind: string): string {
  return { string: "string", int: "int64", bytes: "[]byte", strings: "[]string", stringMap: "map[string]string" }[kind] ?? kind;
}
