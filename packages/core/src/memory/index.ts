/**
 * An in-memory target, for tests and for staging content before it is pushed.
 * @module
 */
export { MemoryTarget } from "./memory-target.js";
