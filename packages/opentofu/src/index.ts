export { compareGoVersions, type TagOutcome, tagToVersionAsOpenTofu, versionToTagAsOpenTofu } from "./go-versions/tags.js";
export { formatGoVersion, type GoVersion, type ParseVersionResult, parseGoVersion } from "./go-versions/version.js";
export { decodeGoBase64 } from "./go-json/base64.js";
export {
  decodeGoIndex,
  decodeGoManifest,
  foldName,
  type GoDecodeResult,
  type GoDescriptor,
  type GoIndex,
  type GoManifest,
  type GoPlatform,
} from "./go-json/decode.js";
export { GoJsonSyntaxError, type JsonNode, parseGoJson } from "./go-json/scanner.js";
export { type DetectOutcome, detectRemote } from "./go-getter/detect.js";
export {
  encodeGoValues,
  formatGoUrl,
  type GoUrl,
  type GoUrlResult,
  type GoValues,
  goQueryEscape,
  goQueryUnescape,
  parseGoQuery,
  parseGoRequestUri,
  parseGoUrl,
} from "./go-getter/go-url.js";
export { type ModuleSourceOptions, type ModuleSourceOutcome, moduleSourceAsOpenTofu } from "./go-getter/module-source.js";
export { isRegistryModuleAddress } from "./go-getter/registry-address.js";
export { forcedGetter, goPathClean, sourceDirSubdir, splitPackageSubdir } from "./go-getter/source.js";
export { fromByteString, goQuote, toByteString } from "./go/quote.js";
export {
  type OrasReference,
  parseOrasReference,
  validateGoDigest,
  validateOrasDigest,
  validateOrasRegistry,
  validateOrasRepository,
  validateOrasTag,
} from "./oras-reference/reference.js";
export { evaluate, TemplateEvalError, toText, type Variables } from "./hcl-template/evaluate.js";
export { type Diagnostic, type Expr, parseTemplate, TemplateSyntaxError, type Value } from "./hcl-template/parse.js";
export {
  checkRepositoryTemplate,
  expandRepositoryTemplate,
  parseRepositoryAddressPrefix,
  rootNames,
  type TemplateCheck,
  type TemplateProvider,
} from "./hcl-template/repository-template.js";
