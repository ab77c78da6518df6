import { formatPos, type HclFile, type ObjectItem, type ObjectNode } from "../hcl1/ast.js";
import { decodeBody, HclDecodeError } from "../hcl1/decode.js";
import { errorDiagnostic, type Diagnostic } from "./diagnostics.js";
import type { DecodedBlocks } from "./oci-blocks.js";

/** One installation method of a `provider_installation` block, with its raw `include`/`exclude` patterns. */
export type ProviderInstallationMethod =
  | { kind: "direct"; include: string[]; exclude: string[] }
  | { kind: "filesystem_mirror"; path: string; include: string[]; exclude: string[] }
  | { kind: "network_mirror"; url: string; include: string[]; exclude: string[] }
  | { kind: "oci_mirror"; repositoryTemplate: string; include: string[]; exclude: string[] };

/** A `provider_installation` block: its methods in order (dev_overrides are not installation methods). */
export interface ProviderInstallation {
  methods: ProviderInstallationMethod[];
  /** The CLI config file it came from. */
  file: string;
}

const SUMMARY = "Invalid provider_installation method block";
const PATTERNS = { include: "string-list", exclude: "string-list" } as const;
const SCHEMAS = {
  direct: { ...PATTERNS, download_retry_count: "string" },
  filesystem_mirror: { ...PATTERNS, path: "string" },
  network_mirror: { ...PATTERNS, url: "string", download_retry_count: "string", trust_all_hashes: "bool" },
  oci_mirror: { ...PATTERNS, repository_template: "string" },
} as const;
type MethodKind = keyof typeof SCHEMAS;

/**
 * Decodes the `provider_installation` blocks of one CLI config file as OpenTofu does
 * (internal/command/cliconfig/provider_installation.go:64 decodeProviderInstallationFromConfig):
 * a block without labels or `=`, holding `direct`, `filesystem_mirror` (`path` required),
 * `network_mirror` (`url` required), `oci_mirror` (`repository_template` required, :332
 * decodeOCIMirrorInstallationMethodBlock) and `dev_overrides` (first only) blocks, each with
 * optional `include` and `exclude` lists. A bad method block is dropped with an error, as
 * OpenTofu drops it. The template and patterns are returned as written: @tofu-oci/opentofu checks
 * them (`parseRepositoryTemplate`, `parseProviderPatterns`).
 */
export function decodeProviderInstallation(file: HclFile, path: string): DecodedBlocks<ProviderInstallation> {
  const result: DecodedBlocks<ProviderInstallation> = { blocks: [], diagnostics: [] };
  const fail = (summary: string, detail: string) =>
    result.diagnostics.push(errorDiagnostic(path, `${summary}: ${detail}`));
  for (const block of file.items.filter((item) => item.keys[0]!.value === "provider_installation")) {
    const at = formatPos(block.keys[0]!.pos);
    if (block.assign && !block.json)
      fail(
        "Invalid provider_installation block",
        `The provider_installation block at ${at} must not be introduced with an equals sign.`,
      );
    else if (block.value.type !== "object")
      fail(
        "Invalid provider_installation block",
        `The provider_installation block at ${at} must not be introduced with an equals sign.`,
      );
    else {
      if (block.keys.length > 1 && !block.json)
        fail(
          "Invalid provider_installation block",
          `The provider_installation block at ${at} must not have any labels.`,
        );
      result.blocks.push({ methods: decodeMethods(block, block.value, path, result.diagnostics), file: path });
    }
  }
  return result;
}

function decodeMethods(
  block: ObjectItem,
  body: ObjectNode,
  path: string,
  diagnostics: Diagnostic[],
): ProviderInstallationMethod[] {
  const at = formatPos(block.keys[0]!.pos);
  const fail = (detail: string) => diagnostics.push(errorDiagnostic(path, `${SUMMARY}: ${detail}`));
  const methods: ProviderInstallationMethod[] = [];
  for (const item of body.items) {
    const kind = item.keys[0]!.value;
    if ((item.assign && !block.json) || item.value.type !== "object") {
      fail(`The items inside the provider_installation block at ${at} must all be blocks.`);
      continue;
    }
    if (item.keys.length > 1 && !block.json)
      fail(`The blocks inside the provider_installation block at ${at} may not have any labels.`);
    if (kind === "dev_overrides") {
      if (methods.length > 0)
        fail(
          `The dev_overrides block at at ${formatPos(item.keys[0]!.pos)} must appear before all other installation methods, because development overrides always have the highest priority.`,
        );
      continue;
    }
    if (!(kind in SCHEMAS)) {
      fail(`Unknown provider installation method "${kind}" at ${formatPos(item.keys[0]!.pos)}.`);
      continue;
    }
    const method = decodeMethod(kind as MethodKind, item.value, at, fail);
    if (method) methods.push(method);
  }
  return methods;
}

function decodeMethod(
  kind: MethodKind,
  body: ObjectNode,
  at: string,
  fail: (detail: string) => void,
): ProviderInstallationMethod | undefined {
  let args: Record<string, string | string[] | boolean | undefined>;
  try {
    args = decodeBody(body, SCHEMAS[kind]);
  } catch (error) {
    if (!(error instanceof HclDecodeError)) throw error;
    fail(`Invalid ${kind} block at ${kind === "oci_mirror" ? formatPos(body.pos) : at}: ${error.message}.`);
    return undefined;
  }
  const patterns = {
    include: (args.include as string[] | undefined) ?? [],
    exclude: (args.exclude as string[] | undefined) ?? [],
  };
  const required = {
    filesystem_mirror: "path",
    network_mirror: "url",
    oci_mirror: "repository_template",
    direct: undefined,
  }[kind];
  if (required && !args[required]) {
    fail(
      `Invalid ${kind} block at ${kind === "oci_mirror" ? formatPos(body.pos) : at}: "${required}" argument is required.`,
    );
    return undefined;
  }
  switch (kind) {
    case "direct":
      return { kind, ...patterns };
    case "filesystem_mirror":
      return { kind, path: args.path as string, ...patterns };
    case "network_mirror":
      return { kind, url: args.url as string, ...patterns };
    case "oci_mirror":
      return { kind, repositoryTemplate: args.repository_template as string, ...patterns };
  }
}
