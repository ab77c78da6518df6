import { MediaType, formatLocator, isTofuOciError } from "@tofu-oci/core";
import { header, type HttpResponse } from "@tofu-oci/core/remote";
import { fail, failFrom, ok, skip, warn } from "../probe.js";
import { statusWords } from "../registry-words.js";
import type { Probe } from "../records.js";
import type { DoctorSession } from "../session.js";
import { verifyAsOpenTofu } from "./verification.js";

const MANIFEST_ACCEPT = [
  MediaType.imageManifest,
  MediaType.imageIndex,
  MediaType.dockerManifest,
  MediaType.dockerManifestList,
].join(", ");

/**
 * `read`: whether REF's repository can be read, as OpenTofu reads it: the first page of its tags,
 * then a HEAD of one tag's manifest (the request OpenTofu's ORAS client resolves tags with; on
 * Docker Hub it shows the pull limit without spending it). A repository that does not exist is
 * fine before the first push, and a failure with `readOnly`.
 */
export async function probeRead(session: DoctorSession, readOnly: boolean): Promise<Probe> {
  const repository = session.target.repository;
  if (!repository) return skip("read", "REF names a registry, not a repository");
  let response: HttpResponse;
  try {
    response = await session.send("GET", repository, session.url(repository, "tags/list?n=100"), {
      headers: { accept: "application/json" },
    });
  } catch (error) {
    if (isTofuOciError(error) && error.code === "unauthorized") return denied(session, error.message, readOnly);
    throw error;
  }
  if (response.status === 404) {
    await response.body.dump();
    if (readOnly)
      return fail("read", "not-found", `${repository} does not exist on ${session.registry}`, {
        hint: "Check the repository name in REF; there is nothing to install from it yet.",
      });
    return ok("read", `${repository} does not exist yet (the first push creates it)`, { facts: { exists: false } });
  }
  if (response.status === 401 || response.status === 403) return denied(session, await statusWords(response), readOnly);
  if (response.status !== 200)
    return fail("read", "network", `listing the tags of ${repository}: ${await statusWords(response)}`);
  const tags = parseTags(await response.body.text());
  const more = /rel="?next"?/.test(header(response.headers, "link") ?? "");
  const digestHeader = tags[0] === undefined ? null : await headTag(session, repository, tags[0]);
  const count = `${tags.length}${more ? "+" : ""} tag${tags.length === 1 && !more ? "" : "s"}`;
  const resolved =
    digestHeader === false
      ? "; HEAD of a manifest answered without Docker-Content-Digest, which OpenTofu's client needs"
      : "";
  const facts = { exists: true, tags: tags.length, moreTags: more, headDigest: digestHeader };
  return digestHeader === false
    ? warn("read", `${count} in ${repository}${resolved}`, { facts })
    : ok("read", `${count} in ${repository}`, { facts });
}

/** `artifact`: REF's tag or digest verified exactly as `tofu-oci verify REF` does. */
export async function probeArtifact(
  session: DoctorSession,
  cwd: string | undefined,
): Promise<{ probe: Probe; digest?: string }> {
  const artifact = session.target.artifact;
  if (!artifact) return { probe: skip("artifact", "REF names no tag or digest") };
  const name = formatLocator(artifact);
  try {
    const verdict = await verifyAsOpenTofu(session, { reference: session.target.reference }, cwd);
    const digest = verdict.record.digest;
    const facts = { type: verdict.record.type, digest: digest ?? null };
    if (verdict.record.notFound) {
      return {
        probe: fail("artifact", "not-found", `${name} does not exist: ${verdict.summary}`, {
          facts,
          hint: "Check the tag or digest in REF.",
        }),
      };
    }
    if (!verdict.ok)
      return {
        probe: fail("artifact", "verification-failed", `${name} would not install with tofu init: ${verdict.summary}`, {
          facts,
          hint: "Each failed check says what to fix; tofu-oci verify REF shows them all.",
        }),
      };
    return {
      probe: ok(
        "artifact",
        `${name} installs with tofu init (${verdict.record.type}${digest ? ` ${digest}` : ""}): ${verdict.summary}`,
        { facts },
      ),
      ...(digest ? { digest } : {}),
    };
  } catch (error) {
    return { probe: failFrom("artifact", `verifying ${name}`, error) };
  }
}

function denied(session: DoctorSession, words: string, readOnly: boolean): Probe {
  const repository = session.target.repository;
  const summary = `cannot read ${repository}: ${words}: no read access, or it does not exist (${session.registry} may answer the same for both)`;
  const hint =
    "Check the repository name; if it exists, use credentials that may read it (tofu-oci auth resolve shows which OpenTofu picks).";
  return readOnly ? fail("read", "unauthorized", summary, { hint }) : warn("read", summary, { hint });
}

function parseTags(text: string): string[] {
  try {
    const tags = (JSON.parse(text) as { tags?: unknown }).tags;
    return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === "string") : [];
  } catch {
    return [];
  }
}

/** HEADs a tag's manifest; whether the answer carried Docker-Content-Digest (null when the HEAD failed). */
async function headTag(session: DoctorSession, repository: string, tag: string): Promise<boolean | null> {
  const response = await session.send("HEAD", repository, session.url(repository, `manifests/${tag}`), {
    headers: { accept: MANIFEST_ACCEPT },
  });
  await response.body.dump();
  if (response.status !== 200) return null;
  return header(response.headers, "docker-content-digest") !== undefined;
}
