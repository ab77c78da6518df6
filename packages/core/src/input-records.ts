import type { Readable } from "node:stream";
import { TofuOciError, isErrorCode } from "./errors.js";
import { readRecords, type AnyRecord } from "./records.js";

/**
 * The failure of the command before this one in a pipeline, read from its `error` record. It
 * ends this command with the same code (so the same exit code) and message; the upstream command
 * has already printed it on stderr, so it is not printed again.
 */
export class UpstreamError extends TofuOciError {
  /** Always `UpstreamError`. */
  override readonly name = "UpstreamError";
}

/** True when `value` is an {@link UpstreamError}. */
export function isUpstreamError(value: unknown): value is UpstreamError {
  return value instanceof UpstreamError;
}

/** What {@link readInputRecords} consumes and what it does with the rest. */
export interface InputRecordsOptions<K extends string> {
  /** The kinds of record the command consumes, e.g. `["package"]`. */
  kinds: readonly K[];
  /** Receives every record of another kind (except `error`), to pass on unchanged. */
  onOther?: ((record: AnyRecord) => void) | undefined;
}

/**
 * The records a command consumes from a pipeline, by the record pass-through rule: records of
 * the command's kinds are yielded, records of any other kind go to `onOther` (the commands print
 * them unchanged, so `mirror providers --print-config | verify` keeps its `cli-config` record),
 * and an `error` record from the upstream command ends the read with an {@link UpstreamError}.
 * @throws TofuOciError "invalid-input" for a line that is not a record; the upstream error.
 */
export async function* readInputRecords<K extends string>(
  stream: Readable,
  options: InputRecordsOptions<K>,
): AsyncIterable<AnyRecord & { kind: K }> {
  for await (const record of readRecords(stream)) {
    if (record.kind === "error") throw upstreamError(record);
    if ((options.kinds as readonly string[]).includes(record.kind)) yield record as AnyRecord & { kind: K };
    else options.onOther?.(record);
  }
}

function upstreamError(record: AnyRecord): UpstreamError {
  const message =
    typeof record.message === "string" && record.message !== ""
      ? record.message
      : "the command before this one in the pipeline failed";
  return new UpstreamError(isErrorCode(record.code) ? record.code : "internal", message, {
    ...(typeof record.hint === "string" ? { hint: record.hint } : {}),
    ...(typeof record.reference === "string" ? { reference: record.reference } : {}),
  });
}
