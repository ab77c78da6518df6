import { Readable } from "node:stream";
import { TofuOciError } from "../errors.js";
import { asNetworkError, type HttpResponse } from "./http.js";

export interface ResumingDownloadOptions {
  /** Re-requests the content from byte `offset` on (a `Range` request). */
  reopen: (offset: number) => Promise<HttpResponse>;
  /** Times a broken body may be resumed. */
  retries: number;
  what: string;
  log?: ((line: string) => void) | undefined;
}

/**
 * A body that survives connection resets: when the stream breaks, it asks for the rest with
 * `Range: bytes=N-` and carries on, so a 1 GiB download cut at 900 MiB does not start over.
 * A server that ignores Range (200) is read past the bytes already delivered.
 */
export function resumingDownload(first: HttpResponse, options: ResumingDownloadOptions): Readable {
  return Readable.from(chunks(first, options), { objectMode: false });
}

async function* chunks(first: HttpResponse, options: ResumingDownloadOptions): AsyncGenerator<Buffer> {
  let body: AsyncIterable<Buffer> = first.body;
  let delivered = 0;
  for (let failures = 0; ; ) {
    try {
      for await (const chunk of body) {
        delivered += chunk.length;
        yield chunk;
      }
      return;
    } catch (error) {
      const failure = asNetworkError(error);
      if (!(failure instanceof TofuOciError) || failure.code !== "network" || ++failures > options.retries)
        throw failure;
      options.log?.(`download of ${options.what} broke at byte ${delivered}; resuming`);
      body = await reopenAt(delivered, options);
    }
  }
}

async function reopenAt(offset: number, options: ResumingDownloadOptions): Promise<AsyncIterable<Buffer>> {
  const response = await options.reopen(offset);
  if (response.status === 206) return response.body;
  if (response.status === 200) return skip(response.body, offset);
  await response.body.dump();
  throw new TofuOciError("network", `resuming the download of ${options.what} failed: HTTP ${response.status}`);
}

async function* skip(body: AsyncIterable<Buffer>, bytes: number): AsyncIterable<Buffer> {
  let left = bytes;
  for await (const chunk of body) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}
