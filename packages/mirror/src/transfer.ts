import type * as core from "@tofu-oci/core";

/** What one artifact's transfer moved, as its record reports it; see @tofu-oci/core. */
export type TransferCounts = core.TransferCounts;
/** Progress hooks of copies, imports, exports and uploads: core's copy hooks. */
export type TransferHooks = core.TransferHooks;
