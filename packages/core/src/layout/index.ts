export { OciLayout, type OciLayoutOptions } from "./oci-layout.js";
