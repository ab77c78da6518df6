import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exitCodeOf } from "@tofu-oci/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RegistryHttp, tokensFromEnv, tokenVariableHost } from "./registry-http.js";

describe("TF_TOKEN_* (cliconfig collectCredentialsFromEnv)", () => {
  it("reads __ as - and _ as ., in any case, the host as OpenTofu compares it", () => {
    const tokens = tokensFromEnv({
      TF_TOKEN_my__registry_example_com: "a",
      TF_TOKEN_APP_EXAMPLE_ORG: "b",
      PATH: "/bin",
    });
    expect(tokens("my-registry.example.com")).toBe("a");
    expect(tokens("app.example.org")).toBe("b");
    expect(tokens("example.com")).toBeUndefined();
  });

  it("takes Unicode and punycode hosts alike, ignores names that are no hostname, and lets the later of two win", () => {
    const tokens = tokensFromEnv({
      TF_TOKEN_café_fr: "unicode",
      TF_TOKEN_xn____caf__dma_fr: "punycode",
      "TF_TOKEN_bad!host": "x",
    });
    expect(tokens("xn--caf-dma.fr")).toBe("punycode");
    expect(tokens("café.fr")).toBe("punycode");
    expect(tokenVariableHost("my-registry.example.com")).toBe("my__registry_example_com");
  });
});

describe("RegistryHttp", () => {
  let server: Server;
  let requests = 0;
  let origin: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests++;
      if (request.url === "/busy") return void response.writeHead(503).end();
      response.writeHead(request.headers.authorization === "Bearer t" ? 200 : 401).end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("retries with core's policy: 4 retries after the first attempt unless told otherwise", async () => {
    const http = new RegistryHttp({ plainHttp: true, retry: { minDelayMs: 1, maxDelayMs: 2 } });
    requests = 0;
    const answer = await http.api(new URL("/busy", http.origin(origin)), 1024, "a busy endpoint");
    expect(answer.status).toBe(503);
    expect(requests).toBe(5);
    const once = new RegistryHttp({ plainHttp: true, retry: { retries: 0 } });
    requests = 0;
    await once.api(new URL("/busy", once.origin(origin)), 1024, "a busy endpoint");
    expect(requests).toBe(1);
    await Promise.all([http.close(), once.close()]);
  });

  it("sends the host's token to the API, and refuses http except to loopback with plainHttp", async () => {
    // The host a token is for includes the port, as svchost.Hostname does.
    const http = new RegistryHttp({
      plainHttp: true,
      token: tokensFromEnv({ [`TF_TOKEN_${origin.replaceAll(".", "_")}`]: "t", TF_TOKEN_127_0_0_1: "other" }),
    });
    expect((await http.api(new URL("/x", http.origin(origin)), 1024, "the API")).status).toBe(200);
    const strict = new RegistryHttp();
    expect(exitCodeOf(await strict.api(new URL(`http://${origin}/x`), 1024, "the API").catch((e: unknown) => e))).toBe(
      5,
    );
    await Promise.all([http.close(), strict.close()]);
  });
});
