export { MemoryTarget } from "./memory-target.js";
