/**
 * OCI image layout directories as a target: atomic writes, blobs first, `index.json` last.
 * @module
 */
export { OciLayout, LAYOUT_INDEX_SIZE_LIMIT, type OciLayoutOptions } from "./oci-layout.js";
