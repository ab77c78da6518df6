export { goQuote } from "./go/quote.js";
export { compareGoVersions, type TagOutcome, tagToVersionAsOpenTofu, versionToTagAsOpenTofu } from "./go-versions/tags.js";
export { formatGoVersion, type GoVersion, type ParseVersionResult, parseGoVersion } from "./go-versions/version.js";
