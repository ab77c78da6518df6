import { isRegistryError, isTofuOciError, type RegistryErrorDetail } from "@tofu-oci/core";
import { registryWords, type HttpResponse } from "@tofu-oci/core/remote";

const BODY_LIMIT = 16 * 1024;
const WORDS_LIMIT = 500;

/** The words of a thrown error: the registry's when it answered, else the message. */
export function errorWords(error: unknown): string {
  if (isRegistryError(error)) return registryWords(error.errors) || `HTTP ${error.status}`;
  if (isTofuOciError(error) || error instanceof Error) return oneLine(error.message);
  return oneLine(String(error));
}

/** Reads the words of a response the registry refused with: its JSON errors, or its text (an HTML page's text). */
export async function responseWords(response: HttpResponse): Promise<string> {
  const text = await readSome(response);
  try {
    const parsed = JSON.parse(text) as { errors?: unknown };
    if (Array.isArray(parsed.errors)) {
      const errors = parsed.errors.filter(
        (e): e is RegistryErrorDetail => typeof (e as RegistryErrorDetail)?.code === "string",
      );
      if (errors.length > 0) return registryWords(errors);
    }
  } catch {
    // Not JSON: a proxy's or load balancer's page.
  }
  return oneLine(text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " "));
}

/** `HTTP <status>` followed by the registry's words, when it had any. */
export async function statusWords(response: HttpResponse): Promise<string> {
  const words = await responseWords(response);
  return `HTTP ${response.status}${words ? ` (${words})` : ""}`;
}

async function readSome(response: HttpResponse): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= BODY_LIMIT) {
      response.body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString("utf8");
}

function oneLine(text: string): string {
  const line = text.replace(/[\p{Cc}\s]+/gu, " ").trim();
  return line.length > WORDS_LIMIT ? `${line.slice(0, WORDS_LIMIT - 3)}...` : line;
}
