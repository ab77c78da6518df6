export { readBuildInfo, type BuildInfoMissing } from "./buildinfo/buildinfo.js";
export { parseModInfo, type GoBuildInfo, type GoModule } from "./buildinfo/modinfo.js";
export { buildCycloneDx, purlOf, h1ToSha256, type SbomSubject } from "./cyclonedx.js";
export { providerSbom, type ProviderSbom } from "./provider-sbom.js";
