import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { readAll } from "../content.js";
import { sendOnce } from "./http.js";
import { resumingDownload } from "./resuming-download.js";
import { newAgent } from "./undici-agent.js";

const data = randomBytes(3 * 1024 * 1024 + 17);
const cut = 1024 * 1024 + 5;
const agent = newAgent();
const servers: Server[] = [];
afterAll(async () => {
  await agent.close();
  for (const server of servers) server.close();
});

/** A server that breaks the first response after `cut` bytes and answers the retry as `resume` says. */
async function flakyServer(resume: "range" | "ignore-range"): Promise<{ url: URL; ranges: (string | undefined)[] }> {
  const ranges: (string | undefined)[] = [];
  const server = createServer((request, response) => {
    ranges.push(request.headers.range);
    if (ranges.length === 1) {
      response.writeHead(200, { "content-length": String(data.length) });
      response.write(data.subarray(0, cut), () => response.socket?.destroy());
      return;
    }
    const from = Number(/^bytes=(\d+)-$/.exec(request.headers.range ?? "")?.[1] ?? 0);
    if (resume === "range") {
      response.writeHead(206, {
        "content-length": String(data.length - from),
        "content-range": `bytes ${from}-${data.length - 1}/${data.length}`,
      });
      response.end(data.subarray(from));
    } else {
      response.writeHead(200, { "content-length": String(data.length) });
      response.end(data);
    }
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/blob`), ranges };
}

describe("resuming downloads", () => {
  it.each(["range", "ignore-range"] as const)(
    "continues a body cut off mid-way (server answers the retry: %s)",
    async (resume) => {
      const { url, ranges } = await flakyServer(resume);
      const get = (headers: Record<string, string> = {}) => sendOnce(agent, { method: "GET", url, headers }, "test");
      const body = resumingDownload(await get(), {
        what: "the blob",
        retries: 2,
        reopen: (offset) => get({ range: `bytes=${offset}-` }),
      });
      const received = await readAll(body, data.length + 1);
      expect(received.equals(data)).toBe(true);
      expect(ranges).toHaveLength(2);
      expect(ranges[1]).toMatch(/^bytes=\d+-$/);
    },
  );

  it("gives up after the allowed retries with a network error", async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { "content-length": String(data.length) });
      response.write(data.subarray(0, 1000), () => response.socket?.destroy());
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/blob`);
    const get = () => sendOnce(agent, { method: "GET", url }, "test");
    const body = resumingDownload(await get(), { what: "the blob", retries: 1, reopen: () => get() });
    const error = await readAll(body, data.length + 1).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "network" });
  });
});
