import { resolve } from "node:path";
import type { Readable } from "node:stream";
import { invalidInput, readInputRecords, usageError, type AnyRecord, type PackageRecord } from "@tofu-oci/core";
import { describeZipFile } from "./local-file.js";
import { toPushInput, type PushInput } from "./package-records.js";

/** Where the packages to push come from; the first one given wins. */
export interface InputSource {
  /** Package records: what `packModule`/`packProvider` return, or records parsed from JSON. */
  packages?: readonly (PackageRecord | AnyRecord)[];
  /** A module zip path; `-` or nothing means records on stdin. */
  zip?: string;
  stdin?: Readable;
  stdinIsTTY?: boolean;
  cwd?: string;
  /** Receives the records on stdin that are not package records, to pass on. */
  onOtherRecord?: ((record: AnyRecord) => void) | undefined;
}

/**
 * Reads and checks every input (records and the files they name) before anything is opened.
 * Records of other kinds go to `onOtherRecord`; an upstream error record ends the push.
 * @throws TofuOciError "usage" when there is no input, "invalid-input" for a bad record or file,
 *   and an upstream command's failure (`UpstreamError`, with its code) for an error record.
 */
export async function loadInputs(source: InputSource): Promise<PushInput[]> {
  const { cwd } = source;
  if (source.packages) return Promise.all(source.packages.map((record, i) => toPushInput(record, i, cwd)));
  if (source.zip !== undefined && source.zip !== "-") {
    return [{ type: "module", zip: await describeZipFile(cwd ? resolve(cwd, source.zip) : source.zip) }];
  }
  if (!source.stdin || source.stdinIsTTY) {
    throw usageError(
      "nothing to push",
      "Give a module ZIP, or pipe package records: tofu-oci-pack module DIR | tofu-oci-push REF.",
    );
  }
  const inputs: PushInput[] = [];
  for await (const record of readInputRecords(source.stdin, { kinds: ["package"], onOther: source.onOtherRecord }))
    inputs.push(await toPushInput(record, inputs.length, cwd));
  if (inputs.length === 0)
    throw invalidInput("no package records on stdin", "Pipe the output of tofu-oci-pack, or give a module ZIP.");
  return inputs;
}
