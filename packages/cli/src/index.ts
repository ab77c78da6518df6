export { runUmbrella, type UmbrellaOptions } from "./umbrella.js";
export { BUILT_IN_COMMANDS, type BuiltInCommand } from "./built-ins.js";
export { findPlugin, listPlugins } from "./plugins.js";
