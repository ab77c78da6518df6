import { readFileSync } from "node:fs";
import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import { answerBody, type Answer } from "./answer.js";

const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "upgrade"];

/** The real registry behind a personality: forwards requests over kept-alive connections. */
export class Upstream {
  readonly origin: string;
  readonly #url: URL;
  readonly #agent: HttpAgent;
  readonly #tls: boolean;

  constructor(url: string, caFile?: string) {
    this.#url = new URL(url);
    this.origin = this.#url.origin;
    this.#tls = this.#url.protocol === "https:";
    this.#agent = this.#tls
      ? new HttpsAgent({ keepAlive: true, ca: caFile ? readFileSync(caFile) : undefined })
      : new HttpAgent({ keepAlive: true });
  }

  /** Sends a request and resolves with the answer's headers and its body still streaming. */
  send(
    method: string,
    path: string,
    headers: IncomingHttpHeaders | OutgoingHttpHeaders,
    body?: Buffer | Readable,
  ): Promise<Answer> {
    const outgoing: OutgoingHttpHeaders = { ...headers, host: this.#url.host };
    for (const name of HOP_BY_HOP) delete outgoing[name];
    if (Buffer.isBuffer(body)) {
      delete outgoing["transfer-encoding"];
      outgoing["content-length"] = body.length;
    }
    const request = this.#tls ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const upstream = request(
        { host: this.#url.hostname, port: this.#url.port, method, path, headers: outgoing, agent: this.#agent },
        (response) =>
          resolve({
            status: response.statusCode ?? 502,
            headers: { ...response.headers },
            stream: response,
            fromRegistry: true,
          }),
      );
      upstream.on("error", reject);
      if (body === undefined || Buffer.isBuffer(body)) upstream.end(body);
      else {
        body.on("error", (error) => upstream.destroy(error));
        body.pipe(upstream);
      }
    });
  }

  /** Sends a request and reads the whole answer. */
  async fetch(
    method: string,
    path: string,
    headers: IncomingHttpHeaders | OutgoingHttpHeaders,
    body?: Buffer,
  ): Promise<Answer> {
    const answer = await this.send(method, path, headers, body);
    await answerBody(answer);
    return answer;
  }

  close(): void {
    this.#agent.destroy();
  }
}
