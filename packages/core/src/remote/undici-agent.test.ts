import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { newAgent } from "./undici-agent.js";

describe("newAgent", () => {
  it("is undici's own Agent, with the request API, loaded without undici's index", async () => {
    const agent = newAgent({ connections: 2 });
    try {
      const undici = createRequire(import.meta.url)("undici") as typeof import("undici");
      expect(agent).toBeInstanceOf(undici.Agent);
      expect(agent.request).toBe(undici.Dispatcher.prototype.request);
      expect(typeof agent.compose).toBe("function");
    } finally {
      await agent.close();
    }
  });
});
