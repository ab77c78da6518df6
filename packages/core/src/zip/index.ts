/**
 * Reading and checking zip packages as OpenTofu unpacks them (entry names, sizes, CRCs, bombs).
 * @module
 */
export { readZip, listZip, unsafeEntryReason, type ZipEntry, type ZipLimits } from "./zip-reader.js";
export { assertPackageEntries } from "./package-entries.js";
