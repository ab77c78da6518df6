export { OciLayout, LAYOUT_INDEX_SIZE_LIMIT, type OciLayoutOptions } from "./oci-layout.js";
