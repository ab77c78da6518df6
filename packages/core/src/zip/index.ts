export { readZip, listZip, unsafeEntryReason, type ZipEntry, type ZipLimits } from "./zip-reader.js";
export { assertPackageEntries } from "./package-entries.js";
