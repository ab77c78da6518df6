import * as opentofu from "@tofu-oci/opentofu";
import * as protocol from "@tofu-oci/registry-protocol";
import * as sbom from "@tofu-oci/sbom";

// OpenTofu's rules moved to @tofu-oci/opentofu, the registry clients and signature checks to
// @tofu-oci/registry-protocol, build info and SBOMs to @tofu-oci/sbom; these names keep working
// for one release.

/** @deprecated Use `parseVersionConstraint` from @tofu-oci/opentofu. */
export const parseVersionConstraint = opentofu.parseVersionConstraint;
/** @deprecated Use `selectVersions` from @tofu-oci/opentofu. */
export const selectVersions = opentofu.selectVersions;
/** @deprecated Use `parseVersion` from @tofu-oci/opentofu. */
export const parseVersion = opentofu.parseVersion;
/** @deprecated Use `parsePlatform` from @tofu-oci/opentofu. */
export const parsePlatform = opentofu.parsePlatform;
/** @deprecated Use `parseRepositoryTemplate` from @tofu-oci/opentofu. */
export const parseRepositoryTemplate = opentofu.parseRepositoryTemplate;
/** @deprecated Use `renderTemplate` from @tofu-oci/opentofu. */
export const renderTemplate = opentofu.renderTemplate;
/** @deprecated Use `parseProviderAddress` from @tofu-oci/opentofu (which takes a lone TYPE as hashicorp/TYPE, as OpenTofu does). */
export const parseProviderAddress = opentofu.parseProviderAddress;
/** @deprecated Use `formatProviderAddress` from @tofu-oci/opentofu. */
export const formatProviderAddress = opentofu.formatProviderAddress;
/** @deprecated Use `checkSignature` from @tofu-oci/registry-protocol. */
export const checkSignature = protocol.checkSignature;
/** @deprecated Use `readBuildInfo` from @tofu-oci/sbom. */
export const readBuildInfo = sbom.readBuildInfo;
/** @deprecated Use `parseModInfo` from @tofu-oci/sbom. */
export const parseModInfo = sbom.parseModInfo;
/** @deprecated Use `buildCycloneDx` from @tofu-oci/sbom. */
export const buildCycloneDx = sbom.buildCycloneDx;
/** @deprecated Use `providerSbom` from @tofu-oci/sbom. */
export const providerSbom = sbom.providerSbom;
/** @deprecated Use `VersionConstraint` from @tofu-oci/opentofu. */
export type VersionConstraint = opentofu.VersionConstraint;
/** @deprecated Use `RepositoryTemplate` from @tofu-oci/opentofu. */
export type RepositoryTemplate = opentofu.RepositoryTemplate;
/** @deprecated Use `TemplateVariable` from @tofu-oci/opentofu. */
export type TemplateVariable = opentofu.TemplateVariable;
/** @deprecated Use `ProviderAddress` from @tofu-oci/opentofu. */
export type ProviderAddress = opentofu.ProviderAddress;
/** @deprecated Use `SignatureResult` from @tofu-oci/registry-protocol. */
export type SignatureResult = protocol.SignatureResult;
/** @deprecated Use `SignatureCheckOptions` from @tofu-oci/registry-protocol. */
export type SignatureCheckOptions = protocol.SignatureCheckOptions;
/** @deprecated Use `BuildInfoMissing` from @tofu-oci/sbom. */
export type BuildInfoMissing = sbom.BuildInfoMissing;
/** @deprecated Use `GoBuildInfo` from @tofu-oci/sbom. */
export type GoBuildInfo = sbom.GoBuildInfo;
/** @deprecated Use `GoModule` from @tofu-oci/sbom. */
export type GoModule = sbom.GoModule;
/** @deprecated Use `SbomSubject` from @tofu-oci/sbom. */
export type SbomSubject = sbom.SbomSubject;
/** @deprecated Use `ProviderSbom` from @tofu-oci/sbom. */
export type ProviderSbom = sbom.ProviderSbom;
