import { Readable } from "node:stream";
import type { PushRecord } from "@tofu-oci/push";
import { verify, type VerifyRecord } from "@tofu-oci/verify";
import type { DoctorSession } from "../session.js";

/** What a verification found, in a line. */
export interface Verdict {
  record: VerifyRecord;
  ok: boolean;
  /** `N checks passed` or the failed checks' messages. */
  summary: string;
}

/**
 * Verifies an artifact exactly as `tofu-oci verify` does, on this run's connections: REF as given,
 * or push records as `tofu-oci push ... | tofu-oci verify` passes them on stdin.
 */
export async function verifyAsOpenTofu(
  session: DoctorSession,
  input: { reference: string } | { pushed: PushRecord },
  cwd: string | undefined,
): Promise<Verdict> {
  const context = {
    ...(cwd ? { cwd } : {}),
    ...(session.signal ? { signal: session.signal } : {}),
    ...("pushed" in input ? { stdin: Readable.from([`${JSON.stringify(input.pushed)}\n`]) } : {}),
  };
  const records = await verify(
    { ...("reference" in input ? { reference: input.reference } : {}), clientOptions: session.clientOptions },
    context,
  );
  const record = records[0]!;
  const failed = record.checks.filter((check) => !check.ok);
  const summary =
    failed.length === 0
      ? `${record.checks.length} checks of OpenTofu's installer passed`
      : failed.map((check) => `${check.id}: ${check.message}`).join("; ");
  return { record, ok: record.ok, summary };
}
