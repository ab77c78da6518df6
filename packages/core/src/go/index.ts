/**
 * Go and go-getter behaviour that OpenTofu's address handling goes through, modelled byte for
 * byte: Go's net/url and strconv.Quote, go-getter's source handling and detectors, ORAS-Go's
 * reference validation, and the whole path of a module `source` to OpenTofu's oci getter.
 * It lives in core because core's `parseReference` reads `oci://` addresses with it (design.md
 * §2.1), and core depends on no other workspace package; @tofu-oci/opentofu re-exports it.
 * @module
 */
export { decodeRune, fromByteString, goQuote, toByteString } from "./quote.js";
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
} from "./url.js";
export {
  type OrasReference,
  parseOrasReference,
  parseRepositoryAddressPrefix,
  validateGoDigest,
  validateOrasDigest,
  validateOrasRegistry,
  validateOrasRepository,
  validateOrasTag,
} from "./oras-reference.js";
export { type DetectOutcome, detectRemote } from "./go-getter/detect.js";
export { isRegistryModuleAddress } from "./go-getter/registry-address.js";
export { forcedGetter, goPathClean, sourceDirSubdir, splitPackageSubdir } from "./go-getter/source.js";
export {
  type ModuleSourceOptions,
  type ModuleSourceOutcome,
  moduleSourceAsOpenTofu,
  subdirInPackage,
} from "./go-getter/module-source.js";
