export { lock, type LockOptions, type LockResult } from "./lock.js";
export { outdated, type OutdatedOptions } from "./outdated.js";
export { pin, update, type PinOptions, type UpdateOptions } from "./pin.js";
export type { DepsContext } from "./context.js";
export type { RegistryAccess } from "./registry-session.js";
export type {
  ModuleSourceRecord,
  ModulePinRecord,
  ProviderLockRecord,
  LockFileRecord,
  LockedPlatform,
} from "./records.js";
export { describeRecord } from "./text.js";
