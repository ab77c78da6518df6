import { isRegistryError, isTofuOciError, type RegistryErrorDetail } from "@tofu-oci/core";
import type { HttpResponse } from "@tofu-oci/core/remote";

const BODY_LIMIT = 16 * 1024;
const WORDS_LIMIT = 500;

/**
 * The registry's own words for a refusal: its error codes, messages and details (GitLab puts
 * `unknown media type: ...` in `detail`, Quay a `{message}` there), on one line.
 */
export function registryWords(errors: readonly RegistryErrorDetail[]): string {
  const text = errors
    .map((e) =>
      [e.code, e.message, detailText(e.detail)].filter((part) => part !== undefined && part !== "").join(": "),
    )
    .join("; ");
  return oneLine(text);
}

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

function detailText(detail: unknown): string | undefined {
  if (typeof detail === "string") return detail;
  if (detail === null || typeof detail !== "object") return undefined;
  const message = (detail as { message?: unknown }).message;
  return typeof message === "string" ? message : JSON.stringify(detail);
}

function oneLine(text: string): string {
  const line = text.replace(/[\p{Cc}\s]+/gu, " ").trim();
  return line.length > WORDS_LIMIT ? `${line.slice(0, WORDS_LIMIT - 3)}...` : line;
}
