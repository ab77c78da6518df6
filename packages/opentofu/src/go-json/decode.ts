import { decodeGoBase64 } from "./base64.js";
import { type JsonNode, parseGoJson } from "./scanner.js";

/** image-spec v1.1.1 `Platform` (specs-go/v1/descriptor.go:53-72). */
export interface GoPlatform {
  /** `architecture`; "" when absent. */
  architecture: string;
  /** `os`; "" when absent. */
  os: string;
  /** `os.version`; "" when absent. */
  osVersion: string;
  /** `os.features`; null when absent. */
  osFeatures: string[] | null;
  /** `variant`; "" when absent. */
  variant: string;
}

/** image-spec v1.1.1 `Descriptor` (specs-go/v1/descriptor.go:22-50); `size` is an int64. */
export interface GoDescriptor {
  /** `mediaType`; "" when absent. */
  mediaType: string;
  /** `digest` as written (not validated by decoding); "" when absent. */
  digest: string;
  /** `size`, a Go int64; 0 when absent. */
  size: bigint;
  /** `urls`; null when absent. */
  urls: string[] | null;
  /** `annotations`; null when absent. */
  annotations: Record<string, string> | null;
  /** `data`, base64-decoded as Go's `[]byte`; null when absent. */
  data: Uint8Array | null;
  /** `platform`; null when absent. */
  platform: GoPlatform | null;
  /** `artifactType`; "" when absent. */
  artifactType: string;
}

/** image-spec v1.1.1 `Manifest` (specs-go/v1/manifest.go:20-41) with `specs.Versioned`. */
export interface GoManifest {
  /** `schemaVersion`, a Go int; 0 when absent. */
  schemaVersion: bigint;
  /** `mediaType`; "" when absent. */
  mediaType: string;
  /** `artifactType`; "" when absent. */
  artifactType: string;
  /** `config`; a zero descriptor when absent. */
  config: GoDescriptor;
  /** `layers`; null when absent. */
  layers: GoDescriptor[] | null;
  /** `subject`; null when absent. */
  subject: GoDescriptor | null;
  /** `annotations`; null when absent. */
  annotations: Record<string, string> | null;
}

/** image-spec v1.1.1 `Index` (specs-go/v1/index.go:21-38). */
export interface GoIndex {
  /** `schemaVersion`, a Go int; 0 when absent. */
  schemaVersion: bigint;
  /** `mediaType`; "" when absent. */
  mediaType: string;
  /** `artifactType`; "" when absent. */
  artifactType: string;
  /** `manifests`; null when absent. */
  manifests: GoDescriptor[] | null;
  /** `subject`; null when absent. */
  subject: GoDescriptor | null;
  /** `annotations`; null when absent. */
  annotations: Record<string, string> | null;
}

/** What `json.Unmarshal` returns: the value it filled in, and its error (the first one). */
export type GoDecodeResult<T> = { ok: true; value: T } | { ok: false; error: string; value?: T };

/** Decodes bytes into `ociv1.Manifest` exactly as Go's `json.Unmarshal` (Go 1.26, jsonv2 off). */
export function decodeGoManifest(bytes: Uint8Array): GoDecodeResult<GoManifest> {
  return decodeInto(bytes, MANIFEST) as GoDecodeResult<GoManifest>;
}

/** Decodes bytes into `ociv1.Index` exactly as Go's `json.Unmarshal` (Go 1.26, jsonv2 off). */
export function decodeGoIndex(bytes: Uint8Array): GoDecodeResult<GoIndex> {
  return decodeInto(bytes, INDEX) as GoDecodeResult<GoIndex>;
}

type Kind =
  | { kind: "string"; goType: string }
  | { kind: "int"; goType: string; bits: 64 }
  | { kind: "bytes" }
  | { kind: "slice"; goType: string; elem: Kind }
  | { kind: "map"; goType: string }
  | { kind: "uint8" }
  | { kind: "struct"; struct: StructType }
  | { kind: "pointer"; struct: StructType };

interface Field {
  /** The JSON name (from the tag). */
  json: string;
  /** The property of the decoded value. */
  prop: string;
  type: Kind;
  /** Go names of embedded structs on the way to the field (Go 1.24+ error paths name them). */
  embedded?: string[];
}

interface StructType {
  goType: string;
  name: string;
  fields: Field[];
  zero: () => Record<string, unknown>;
}

const STRING: Kind = { kind: "string", goType: "string" };
const DIGEST: Kind = { kind: "string", goType: "digest.Digest" };
const STRINGS: Kind = { kind: "slice", goType: "[]string", elem: STRING };
const STRING_MAP: Kind = { kind: "map", goType: "map[string]string" };

const PLATFORM: StructType = {
  goType: "v1.Platform",
  name: "Platform",
  fields: [
    { json: "architecture", prop: "architecture", type: STRING },
    { json: "os", prop: "os", type: STRING },
    { json: "os.version", prop: "osVersion", type: STRING },
    { json: "os.features", prop: "osFeatures", type: STRINGS },
    { json: "variant", prop: "variant", type: STRING },
  ],
  zero: () => ({ architecture: "", os: "", osVersion: "", osFeatures: null, variant: "" }),
};

const DESCRIPTOR: StructType = {
  goType: "v1.Descriptor",
  name: "Descriptor",
  fields: [
    { json: "mediaType", prop: "mediaType", type: STRING },
    { json: "digest", prop: "digest", type: DIGEST },
    { json: "size", prop: "size", type: { kind: "int", goType: "int64", bits: 64 } },
    { json: "urls", prop: "urls", type: STRINGS },
    { json: "annotations", prop: "annotations", type: STRING_MAP },
    { json: "data", prop: "data", type: { kind: "bytes" } },
    { json: "platform", prop: "platform", type: { kind: "pointer", struct: PLATFORM } },
    { json: "artifactType", prop: "artifactType", type: STRING },
  ],
  zero: () => ({
    mediaType: "",
    digest: "",
    size: 0n,
    urls: null,
    annotations: null,
    data: null,
    platform: null,
    artifactType: "",
  }),
};

const DESCRIPTORS: Kind = { kind: "slice", goType: "[]v1.Descriptor", elem: { kind: "struct", struct: DESCRIPTOR } };
const VERSIONED: Field = {
  json: "schemaVersion",
  prop: "schemaVersion",
  type: { kind: "int", goType: "int", bits: 64 },
  embedded: ["Versioned"],
};
const COMMON: Field[] = [
  VERSIONED,
  { json: "mediaType", prop: "mediaType", type: STRING },
  { json: "artifactType", prop: "artifactType", type: STRING },
];
const TAIL: Field[] = [
  { json: "subject", prop: "subject", type: { kind: "pointer", struct: DESCRIPTOR } },
  { json: "annotations", prop: "annotations", type: STRING_MAP },
];

const MANIFEST: StructType = {
  goType: "v1.Manifest",
  name: "Manifest",
  fields: [
    ...COMMON,
    { json: "config", prop: "config", type: { kind: "struct", struct: DESCRIPTOR } },
    { json: "layers", prop: "layers", type: DESCRIPTORS },
    ...TAIL,
  ],
  zero: () => ({
    schemaVersion: 0n,
    mediaType: "",
    artifactType: "",
    config: DESCRIPTOR.zero(),
    layers: null,
    subject: null,
    annotations: null,
  }),
};

const INDEX: StructType = {
  goType: "v1.Index",
  name: "Index",
  fields: [...COMMON, { json: "manifests", prop: "manifests", type: DESCRIPTORS }, ...TAIL],
  zero: () => ({
    schemaVersion: 0n,
    mediaType: "",
    artifactType: "",
    manifests: null,
    subject: null,
    annotations: null,
  }),
};

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

interface Context {
  struct?: StructType;
  fields: string[];
}

/** Go keeps a slice's backing array: elements past the length come back when it grows again. */
const BACKING = Symbol("backing");
type GoSlice = unknown[] & { [BACKING]?: unknown[] };

class Decoder {
  error?: string;
  context: Context = { fields: [] };

  save(message: string): void {
    this.error ??= message;
  }

  typeError(value: string, goType: string): void {
    const { struct, fields } = this.context;
    if (struct || fields.length > 0) {
      this.save(
        `json: cannot unmarshal ${value} into Go struct field ${struct?.name ?? ""}.${fields.join(".")} of type ${goType}`,
      );
    } else {
      this.save(`json: cannot unmarshal ${value} into Go value of type ${goType}`);
    }
  }

  /** Decodes `node` into a value of `type` whose current content is `current`; returns the new content. */
  value(node: JsonNode, type: Kind, current: unknown): unknown {
    if (node.kind === "null") return nullInto(type, current);
    switch (type.kind) {
      case "struct":
        return node.kind === "object"
          ? this.object(node, type.struct, current as Record<string, unknown>)
          : this.mismatch(node, type.struct.goType, current);
      case "pointer": {
        const target = (current as Record<string, unknown> | null) ?? type.struct.zero();
        return node.kind === "object"
          ? this.object(node, type.struct, target)
          : this.mismatch(node, type.struct.goType, target);
      }
      case "slice":
        return node.kind === "array"
          ? this.array(node, type, current as GoSlice | null)
          : this.mismatch(node, type.goType, current);
      case "map":
        return node.kind === "object"
          ? this.map(node, current as Record<string, string> | null)
          : this.mismatch(node, type.goType, current);
      case "string":
        return node.kind === "string" ? node.value : this.mismatch(node, type.goType, current);
      case "int":
        return node.kind === "number"
          ? this.integer(node.text, type.goType, INT64_MIN, INT64_MAX, current)
          : this.mismatch(node, type.goType, current);
      case "uint8":
        return node.kind === "number"
          ? this.integer(node.text, "uint8", 0n, 255n, current)
          : this.mismatch(node, "uint8", current);
      case "bytes":
        return this.bytes(node, current);
    }
  }

  private mismatch(node: JsonNode, goType: string, current: unknown): unknown {
    this.typeError(node.kind === "bool" ? "bool" : node.kind, goType);
    return current;
  }

  private integer(text: string, goType: string, min: bigint, max: bigint, current: unknown): unknown {
    const value = /^-?[0-9]+$/.test(text) ? BigInt(text) : undefined;
    if (value === undefined || value < min || value > max) {
      this.typeError(`number ${text}`, goType);
      return current;
    }
    return goType === "uint8" ? Number(value) : value;
  }

  private bytes(node: JsonNode, current: unknown): unknown {
    if (node.kind === "array")
      return Uint8Array.from(
        this.array(node, { kind: "slice", goType: "[]uint8", elem: { kind: "uint8" } }, null) as number[],
      );
    if (node.kind !== "string") return this.mismatch(node, "[]uint8", current);
    const decoded = decodeGoBase64(Buffer.from(node.value, "utf8"));
    if ("error" in decoded) {
      this.save(decoded.error);
      return current;
    }
    return decoded.bytes;
  }

  private object(
    node: Extract<JsonNode, { kind: "object" }>,
    type: StructType,
    target: Record<string, unknown>,
  ): Record<string, unknown> {
    const saved = { struct: this.context.struct, fields: [...this.context.fields] };
    for (const { key, value } of node.members) {
      const field = findField(type, key);
      if (field) {
        this.context = { struct: type, fields: [...saved.fields, ...(field.embedded ?? []), field.json] };
        target[field.prop] = this.value(value, field.type, target[field.prop]);
      }
      this.context = { struct: saved.struct, fields: [...saved.fields] };
    }
    return target;
  }

  private array(
    node: Extract<JsonNode, { kind: "array" }>,
    type: Extract<Kind, { kind: "slice" }>,
    current: GoSlice | null,
  ): GoSlice {
    if (node.items.length === 0) return [];
    const backing = current?.[BACKING] ?? current ?? [];
    node.items.forEach((item, i) => {
      const existing = i < backing.length ? backing[i] : zeroOf(type.elem);
      backing[i] = this.value(item, type.elem, existing);
    });
    const slice: GoSlice = backing.slice(0, node.items.length);
    slice[BACKING] = backing;
    return slice;
  }

  private map(
    node: Extract<JsonNode, { kind: "object" }>,
    current: Record<string, string> | null,
  ): Record<string, string> {
    const map = current ?? {};
    for (const { key, value } of node.members) {
      const element = this.value(value, STRING, "") as string;
      Object.defineProperty(map, key, { value: element, enumerable: true, configurable: true, writable: true });
    }
    return map;
  }
}

/** `null` sets pointers, slices and maps to nil and leaves every other Go type as it was. */
function nullInto(type: Kind, current: unknown): unknown {
  return type.kind === "pointer" || type.kind === "slice" || type.kind === "map" || type.kind === "bytes"
    ? null
    : current;
}

function zeroOf(type: Kind): unknown {
  switch (type.kind) {
    case "struct":
      return type.struct.zero();
    case "string":
      return "";
    case "int":
      return 0n;
    case "uint8":
      return 0;
    default:
      return null;
  }
}

/** `fields.byExactName[key]`, else `fields.byFoldedName[foldName(key)]` (encoding/json/decode.go, fold.go). */
function findField(type: StructType, key: string): Field | undefined {
  const exact = type.fields.find((field) => field.json === key);
  if (exact) return exact;
  const folded = foldName(key);
  return type.fields.find((field) => foldName(field.json) === folded);
}

/**
 * `foldName` of encoding/json/fold.go: ASCII letters upper-cased, every other rune replaced by the
 * smallest rune of its `unicode.SimpleFold` orbit. The only non-ASCII runes whose orbit holds an
 * ASCII letter are the Kelvin sign U+212A (K) and the long s U+017F (S), so those two match
 * `k` and `s` in field names; anything else non-ASCII matches no (ASCII) field name.
 */
export function foldName(key: string): string {
  let out = "";
  for (const char of key) {
    const code = char.codePointAt(0)!;
    if (code === 0x212a) out += "K";
    else if (code === 0x17f) out += "S";
    else if (code < 0x80) out += char.toUpperCase();
    else out += `\u0000${code.toString(16)}\u0000`;
  }
  return out;
}

function decodeInto(bytes: Uint8Array, type: StructType): GoDecodeResult<unknown> {
  let root: JsonNode;
  try {
    root = parseGoJson(bytes);
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  const decoder = new Decoder();
  const target = type.zero();
  const value = root.kind === "null" ? target : decoder.value(root, { kind: "struct", struct: type }, target);
  return decoder.error === undefined ? { ok: true, value } : { ok: false, error: decoder.error, value };
}
