export { goQuote } from "./go/quote.js";
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
