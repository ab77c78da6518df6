import { createHash } from "node:crypto";
import type { GoBuildInfo, GoModule } from "./buildinfo/modinfo.js";

/** What the SBOM describes besides the build info: the provider package and its executable. */
export interface SbomSubject {
  /** `HOST/NAMESPACE/TYPE`. */
  provider: string;
  /** The provider version. */
  version: string;
  /** The platform's operating system, e.g. `linux`. */
  os: string;
  /** The platform's architecture, e.g. `amd64`. */
  arch: string;
  /** The executable's name inside the zip and its sha256 (hex). */
  executable: { name: string; sha256: string };
  /** The release zip's `zh:` hash. */
  zh: string;
  /** The tool that made the SBOM, for `metadata.tools`. */
  tool: { name: string; version: string };
}

type CycloneDx = typeof import("@cyclonedx/cyclonedx-library");

/**
 * A CycloneDX 1.6 JSON SBOM of a provider executable from its Go build info: the main module
 * as `metadata.component`, every dependency module as a library with a `pkg:golang/` purl and its
 * go.sum `h1:` checksum (as SHA-256), the Go standard library as `pkg:golang/stdlib`, and the
 * Go version and build settings as properties. Without build info the SBOM names only the
 * executable. The output is deterministic (no timestamp, a serial number derived from the input).
 */
export async function buildCycloneDx(subject: SbomSubject, info: GoBuildInfo | undefined): Promise<string> {
  const CDX = await import("@cyclonedx/cyclonedx-library");
  const bom = new CDX.Models.Bom();
  bom.serialNumber = serialNumber(subject);
  bom.metadata.tools.components.add(
    new CDX.Models.Component(CDX.Enums.ComponentType.Application, subject.tool.name, { version: subject.tool.version }),
  );
  const main = mainComponent(CDX, subject, info);
  bom.metadata.component = main;
  if (info) {
    for (const dep of [
      ...info.deps.map((module) => moduleComponent(CDX, module)),
      stdlibComponent(CDX, info.goVersion),
    ]) {
      bom.components.add(dep);
      main.dependencies.add(dep.bomRef);
    }
  }
  const serializer = new CDX.Serialize.JsonSerializer(new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6));
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}

function mainComponent(CDX: CycloneDx, subject: SbomSubject, info: GoBuildInfo | undefined) {
  const main = info?.main;
  const name = main?.path || info?.path || subject.executable.name;
  const component = new CDX.Models.Component(CDX.Enums.ComponentType.Application, name, {
    version: main?.version || subject.version,
    bomRef: main ? `main:${purlOf(main)}` : `executable:${subject.executable.name}`,
  });
  if (main) component.purl = purlOf(main);
  component.hashes.set(CDX.Enums.HashAlgorithm["SHA-256"], subject.executable.sha256);
  const properties: Array<[string, string]> = [
    ["cdx:gomod:binary:name", subject.executable.name],
    ["cdx:gomod:binary:hash:SHA-256", subject.executable.sha256],
    ["tofu-oci:provider", subject.provider],
    ["tofu-oci:provider:version", subject.version],
    ["tofu-oci:provider:platform", `${subject.os}_${subject.arch}`],
    ["tofu-oci:provider:package:hash", subject.zh],
  ];
  if (info) {
    properties.push(["cdx:go:version", info.goVersion]);
    if (info.path) properties.push(["cdx:gomod:build:package", info.path]);
    for (const { key, value } of info.settings) properties.push([settingProperty(key), value]);
  } else {
    properties.push(["tofu-oci:sbom:note", "the executable has no Go build information; dependencies are unknown"]);
  }
  for (const [key, value] of properties) component.properties.add(new CDX.Models.Property(key, value));
  return component;
}

function moduleComponent(CDX: CycloneDx, module: GoModule) {
  // A replacement by another module version is what was built; a local directory is not a module
  // version (cmd/go writes its version as "(devel)", load/pkg.go debugModFromModinfo; checked with
  // `go version -m`), so the module keeps its own path and version (docs/contract/opentofu-rules.md §6).
  const built = isModuleVersion(module.replace) ? module.replace : module;
  const component = new CDX.Models.Component(CDX.Enums.ComponentType.Library, built.path, {
    version: built.version,
    bomRef: purlOf(built),
  });
  component.purl = purlOf(built);
  const sha256 = h1ToSha256(built.sum);
  if (sha256) component.hashes.set(CDX.Enums.HashAlgorithm["SHA-256"], sha256);
  if (built.sum) component.properties.add(new CDX.Models.Property("cdx:gomod:module:sum", built.sum));
  if (module.replace) {
    const replacement = `${module.replace.path}${isModuleVersion(module.replace) ? `@${module.replace.version}` : ""}`;
    component.properties.add(
      new CDX.Models.Property("cdx:gomod:module:replaced", `${module.path}@${module.version} => ${replacement}`),
    );
  }
  return component;
}

function isModuleVersion(module: GoModule | undefined): module is GoModule {
  return module !== undefined && module.version !== "" && module.version !== "(devel)";
}

function stdlibComponent(CDX: CycloneDx, goVersion: string) {
  const version = `v${goVersion.replace(/^go/, "").split(/\s/)[0]}`;
  const purl = `pkg:golang/stdlib@${encodeURIComponent(version)}`;
  const component = new CDX.Models.Component(CDX.Enums.ComponentType.Library, "stdlib", { version, bomRef: purl });
  component.purl = purl;
  return component;
}

/** `pkg:golang/<module path, lowercase>@<version>` as Trivy and Syft write Go module purls. */
export function purlOf(module: { path: string; version: string }): string {
  const path = module.path.toLowerCase().split("/").map(encodeURIComponent).join("/");
  return module.version ? `pkg:golang/${path}@${encodeURIComponent(module.version)}` : `pkg:golang/${path}`;
}

/** The hex SHA-256 inside a go.sum `h1:` checksum, or undefined. */
export function h1ToSha256(sum: string): string | undefined {
  if (!sum.startsWith("h1:")) return undefined;
  const bytes = Buffer.from(sum.slice(3), "base64");
  return bytes.length === 32 ? bytes.toString("hex") : undefined;
}

/** Environment-like settings (`GOOS`, `CGO_ENABLED`) are `build:env:`, flags and vcs keys `build:`. */
function settingProperty(key: string): string {
  return /^(?:CGO_|GO)[A-Z0-9_]*$/.test(key)
    ? `cdx:gomod:build:env:${key}`
    : `cdx:gomod:build:${key.replace(/^-/, "")}`;
}

/** A UUID (version 5 layout) derived from what the SBOM describes, so the same input gives the same bytes. */
function serialNumber(subject: SbomSubject): string {
  const hex = createHash("sha256")
    .update(`${subject.provider}\n${subject.version}\n${subject.os}_${subject.arch}\n${subject.zh}`)
    .digest("hex");
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
