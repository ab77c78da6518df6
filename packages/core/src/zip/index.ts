export { readZip, listZip, unsafeEntryReason, type ZipEntry, type ZipLimits } from "./zip-reader.js";
export { h1Hash, zipH1, dirH1, type HashedFile } from "./h1-hash.js";
export { assertPackageEntries } from "./package-entries.js";
