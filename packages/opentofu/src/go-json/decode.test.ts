import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeGoIndex, decodeGoManifest, foldName } from "./decode.js";

interface JsonCase {
  name: string;
  target: "manifest" | "index";
  input?: string;
  inputBase64?: string;
  expect: { value: unknown } | { error: string };
}
const table = JSON.parse(readFileSync(new URL("../../test/cases/go-json.json", import.meta.url), "utf8")) as {
  cases: JsonCase[];
};

/** The decoded Go value as `json.Marshal` writes it (omitempty fields dropped), ints as strings. */
function marshalLike(value: unknown, key?: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map((item) => marshalLike(item));
  if (typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (key === "annotations") return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
  const out: Record<string, unknown> = {};
  for (const [name, field] of entries) {
    const json = JSON_NAMES[name] ?? name;
    if (OMIT_EMPTY.has(json) && isEmpty(field)) continue;
    out[json] = marshalLike(field, name);
  }
  return out;
}
const JSON_NAMES: Record<string, string> = { osVersion: "os.version", osFeatures: "os.features" };
const OMIT_EMPTY = new Set([
  "mediaType@top",
  "urls",
  "annotations",
  "data",
  "platform",
  "artifactType",
  "subject",
  "os.version",
  "os.features",
  "variant",
]);
function isEmpty(value: unknown): boolean {
  if (value === null || value === "") return true;
  if (Array.isArray(value) || value instanceof Uint8Array) return value.length === 0;
  return typeof value === "object" && Object.keys(value as object).length === 0;
}

/** Manifest and Index mediaType/artifactType are omitempty; Descriptor's mediaType is not. */
function marshalTop(value: unknown): unknown {
  const out = marshalLike(value) as Record<string, unknown>;
  const top = value as Record<string, unknown>;
  for (const name of ["mediaType", "artifactType"]) if (top[name] === "") delete out[name];
  return out;
}

describe("Go encoding/json into image-spec manifests", () => {
  it.each(table.cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const bytes =
      c.inputBase64 !== undefined ? Buffer.from(c.inputBase64, "base64") : Buffer.from(c.input ?? "", "utf8");
    const result = c.target === "index" ? decodeGoIndex(bytes) : decodeGoManifest(bytes);
    if ("error" in c.expect) {
      expect(result).toMatchObject({ ok: false, error: c.expect.error });
    } else {
      expect(result.ok).toBe(true);
      expect(marshalTop(result.value)).toEqual(c.expect.value);
    }
  });
});

describe("foldName", () => {
  it("folds the long s and the Kelvin sign to ASCII, and nothing else non-ASCII", () => {
    expect(foldName("\u017fize")).toBe(foldName("SIZE"));
    expect(foldName("\u212a")).toBe(foldName("k"));
    expect(foldName("\u0131")).not.toBe(foldName("i"));
    expect(foldName("\u0130")).not.toBe(foldName("I"));
  });
});
