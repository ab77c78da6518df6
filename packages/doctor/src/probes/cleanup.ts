import { isTofuOciError } from "@tofu-oci/core";
import { ok, skip, warn } from "../probe.js";
import { statusWords } from "../registry-words.js";
import type { Probe } from "../records.js";
import type { DoctorSession, Written } from "../session.js";

/** One DELETE's outcome: gone (202, or 404 when it was gone already), or the registry's refusal. */
type Outcome = { deleted: true } | { deleted: false; answer: string };

/**
 * `delete`: deletes what the run wrote, manifests last written first (a referrer before its
 * subject, an index before its platform manifests), then the blobs it uploaded (never the shared
 * empty config). Where the registry refuses DELETE (GHCR, Docker Hub: 405 UNSUPPORTED; Harbor by
 * tag: 400) the report lists what was left where.
 */
export async function probeDelete(session: DoctorSession): Promise<{ probe: Probe; left: string[] }> {
  const manifests = session.written.filter((written) => written.kind === "manifest").reverse();
  const blobs = session.written.filter((written) => written.kind === "blob");
  if (manifests.length + blobs.length === 0) return { probe: skip("delete", "nothing was written"), left: [] };
  const manifestRefusals = await deleteAll(session, manifests);
  const blobRefusals = await deleteAll(session, blobs);
  const left = [...manifestRefusals, ...blobRefusals].map(({ written }) => describe(session, written));
  const deleted = `${manifests.length - manifestRefusals.length} of ${manifests.length} manifests and ${blobs.length - blobRefusals.length} of ${blobs.length} blobs`;
  const facts = {
    manifestsDeleted: manifestRefusals.length === 0,
    blobsDeleted: blobRefusals.length === 0,
    left: left.length,
  };
  const first = manifestRefusals[0] ?? blobRefusals[0];
  if (!first)
    return {
      probe: ok(
        "delete",
        `DELETE allowed: deleted the ${manifests.length} manifests and ${blobs.length} blobs it pushed`,
        { facts },
      ),
      left,
    };
  if (manifestRefusals.length === 0) {
    return {
      probe: ok(
        "delete",
        `DELETE of manifests allowed; blobs not (${first.answer}): ${blobRefusals.length} unreferenced blob(s) left for the registry's garbage collection`,
        { facts },
      ),
      left,
    };
  }
  return {
    probe: warn(
      "delete",
      `DELETE refused (${first.answer}): deleted ${deleted}; the rest is left in ${session.target.scratchRepository}`,
      {
        facts,
        hint: "Delete what is left in the registry's UI or API (GHCR: the packages REST API with delete:packages). tofu-oci needs no DELETE to push or install.",
      },
    ),
    left,
  };
}

async function deleteAll(
  session: DoctorSession,
  items: Written[],
): Promise<Array<{ written: Written; answer: string }>> {
  const refused: Array<{ written: Written; answer: string }> = [];
  for (const written of items) {
    const outcome = await remove(session, written);
    if (!outcome.deleted) refused.push({ written, answer: outcome.answer });
  }
  return refused;
}

async function remove(session: DoctorSession, written: Written): Promise<Outcome> {
  const path = `${written.kind === "manifest" ? "manifests" : "blobs"}/${written.digest}`;
  try {
    const response = await session.send("DELETE", written.repository, session.url(written.repository, path), {
      scope: "push",
      extraScopes: [`repository:${written.repository}:delete`],
    });
    if (response.status === 202 || response.status === 200 || response.status === 204 || response.status === 404) {
      await response.body.dump();
      return { deleted: true };
    }
    return { deleted: false, answer: await statusWords(response) };
  } catch (error) {
    if (isTofuOciError(error)) return { deleted: false, answer: error.message };
    throw error;
  }
}

function describe(session: DoctorSession, written: Written): string {
  const name = `${session.registry}/${written.repository}@${written.digest}`;
  if (written.kind === "blob") return `${name} (blob)`;
  return written.tags && written.tags.length > 0 ? `${name} (tags ${written.tags.join(", ")})` : name;
}
