import { createRequire } from "node:module";
import type { Agent } from "undici";

type AgentClass = typeof Agent;

let agentClass: AgentClass | undefined;

/**
 * A new undici `Agent` (connection pools per origin) whose `request` works, loaded without the
 * rest of undici. `import { Agent } from "undici"` evaluates undici's index, ~110 modules (fetch,
 * WebSocket, EventSource, cookies, caches, mocks, every interceptor) for ~100-200 ms of every
 * start-up; the agent and its request API are ~30 of them. It is the same class, from the same
 * files: undici's index builds `Agent` from lib/dispatcher/agent.js and adds the API methods to
 * `Dispatcher.prototype` from lib/api, which is what this does for `request`. If undici's layout
 * ever differs, it falls back to the index.
 */
export function newAgent(options?: Agent.Options): Agent {
  agentClass ??= leanAgentClass();
  return new agentClass(options);
}

function leanAgentClass(): AgentClass {
  const require = createRequire(import.meta.url);
  try {
    const dispatcher = require("undici/lib/dispatcher/dispatcher.js") as { prototype: Record<string, unknown> };
    const request = require("undici/lib/api/api-request.js") as unknown;
    const agent = require("undici/lib/dispatcher/agent.js") as unknown;
    if (typeof request !== "function" || typeof agent !== "function") throw new Error("unexpected undici layout");
    dispatcher.prototype.request ??= request;
    return agent as AgentClass;
  } catch {
    return (require("undici") as typeof import("undici")).Agent;
  }
}
