import { MediaType, isRegistryError, type Descriptor } from "@tofu-oci/core";
import { RemoteRepository, header, referrersTag } from "@tofu-oci/core/remote";
import { attach } from "@tofu-oci/push";
import { ok, skip, warn, warnFrom } from "../probe.js";
import { errorWords, statusWords } from "../registry-words.js";
import type { Probe } from "../records.js";
import type { DoctorSession } from "../session.js";

/** How `GET /v2/<name>/referrers/<digest>` answered. */
interface ApiAnswer {
  /** True only for 200 with an image index: anything else means the referrers tag schema. */
  api: boolean;
  /** What it answered, e.g. `HTTP 404 (...)` or `HTTP 303 to host`. */
  answer: string;
  /** The digests an index listed. */
  listed: string[];
}

/** The subject a referrers probe asks about, and where it lives. */
export interface ReferrersSubject {
  repository: string;
  descriptor: Descriptor;
}

/**
 * `referrers`: whether the registry serves the OCI 1.1 referrers API (a 200 with an index) or
 * clients must use the referrers tag schema (`sha256-<hex>`, after a 404, 406, 400 or a 303
 * elsewhere). Writing, it attaches an SBOM to the scratch module with @tofu-oci/push's `attach`
 * (a manifest with `subject`) and checks that it is listed, through the API or through core's
 * tag-schema fallback; read-only, it only asks about REF's artifact.
 */
export async function probeReferrers(
  session: DoctorSession,
  subject: ReferrersSubject | undefined,
  sbom: { file: string; digest: string } | undefined,
): Promise<{ probe: Probe; subjectAccepted: boolean | null }> {
  if (!subject)
    return {
      probe: skip(
        "referrers",
        sbom ? "needs the scratch module, whose push failed" : "needs an artifact: name a tag or digest in REF",
      ),
      subjectAccepted: null,
    };
  if (!sbom) {
    const answer = await askApi(session, subject);
    return { probe: ok("referrers", describeApi(answer), { facts: { api: answer.api } }), subjectAccepted: null };
  }
  const reference = `${session.registry}/${subject.repository}@${subject.descriptor.digest}`;
  let referrer: string;
  try {
    const context = session.signal ? { signal: session.signal } : {};
    referrer = (await attach({ subject: reference, file: sbom.file, clientOptions: session.clientOptions }, context))
      .digest;
  } catch (error) {
    if (!isRegistryError(error))
      return { probe: warnFrom("referrers", `attaching an SBOM to ${reference}`, error), subjectAccepted: null };
    const summary = `attaching an SBOM (a manifest with subject) to the scratch module was refused: HTTP ${error.status}`;
    return {
      probe: warn("referrers", summary, {
        words: errorWords(error),
        hint: "SBOMs and signatures cannot be attached here (tofu-oci push --sbom, push attach); installing is not affected.",
      }),
      subjectAccepted: false,
    };
  }
  await noteReferrer(session, subject, referrer);
  session.wrote({ repository: subject.repository, kind: "blob", digest: sbom.digest });
  const ociSubject = session.observations.some(
    (seen) =>
      seen.method === "PUT" &&
      seen.path.endsWith(`/manifests/${referrer}`) &&
      seen.headers["oci-subject"] !== undefined,
  );
  const answer = await askApi(session, subject);
  let listed: boolean;
  try {
    listed = answer.api ? answer.listed.includes(referrer) : await listedByTagSchema(session, subject, referrer);
  } catch (error) {
    const facts = { api: answer.api, ociSubject, listed: false };
    return {
      probe: warn(
        "referrers",
        `${describeApi(answer)}; tofu-oci's referrers lookup failed: ${isRegistryError(error) ? `HTTP ${error.status}` : errorWords(error)}`,
        {
          facts,
          ...(isRegistryError(error) ? { words: errorWords(error) } : {}),
          hint: "tofu-oci cannot list referrers here (verify --require-sbom, mirror copy -r); installing is not affected.",
        },
      ),
      subjectAccepted: true,
    };
  }
  const facts = { api: answer.api, ociSubject, listed };
  const where = answer.api
    ? "the API lists it"
    : `core's fallback lists it under the tag ${referrersTag(subject.descriptor)}`;
  const summary = `${describeApi(answer)}; an SBOM attached to the scratch module${ociSubject ? " (OCI-Subject returned)" : ""}: ${listed ? where : "not listed"}`;
  if (!listed)
    return {
      probe: warn("referrers", summary, {
        facts,
        hint: "Referrers (SBOMs) pushed here cannot be found again; tofu-oci verify --require-sbom fails.",
      }),
      subjectAccepted: true,
    };
  return { probe: ok("referrers", summary, { facts }), subjectAccepted: true };
}

async function askApi(session: DoctorSession, subject: ReferrersSubject): Promise<ApiAnswer> {
  const url = session.url(subject.repository, `referrers/${subject.descriptor.digest}`);
  // Not retried: GHCR's 303 leads to a page that answers 429.
  const response = await session.send("GET", subject.repository, url, {
    headers: { accept: MediaType.imageIndex },
    retry: false,
  });
  if (response.url.href !== url.href) {
    const first = session.observations
      .filter((seen) => seen.origin === url.origin && seen.path === url.pathname + url.search)
      .at(-1);
    await response.body.dump();
    return { api: false, answer: `HTTP ${first?.status ?? "3xx"}, a redirect to ${response.url.host}`, listed: [] };
  }
  const type = header(response.headers, "content-type")?.split(";")[0]?.trim();
  if (response.status !== 200 || type !== MediaType.imageIndex)
    return { api: false, answer: await statusWords(response), listed: [] };
  const index = JSON.parse(await response.body.text()) as { manifests?: { digest?: unknown }[] };
  const listed = (index.manifests ?? [])
    .map((entry) => entry.digest)
    .filter((digest): digest is string => typeof digest === "string");
  return { api: true, answer: "HTTP 200 with an image index", listed };
}

function describeApi(answer: ApiAnswer): string {
  if (answer.api) return `referrers API (GET .../referrers/<digest> answered ${answer.answer})`;
  return `no referrers API (GET .../referrers/<digest> answered ${answer.answer}): clients use the referrers tag schema`;
}

async function listedByTagSchema(
  session: DoctorSession,
  subject: ReferrersSubject,
  referrer: string,
): Promise<boolean> {
  const repository = new RemoteRepository(session.client, session.registry, subject.repository);
  const found = await repository.referrers(subject.descriptor, session.signal ? { signal: session.signal } : {});
  return found.some((descriptor) => descriptor.digest === referrer);
}

/** Notes the referrer and, where the registry has no API, the tag-schema index, for the clean-up. */
async function noteReferrer(session: DoctorSession, subject: ReferrersSubject, referrer: string): Promise<void> {
  const { repository } = subject;
  const tag = referrersTag(subject.descriptor);
  const head = await session.send("HEAD", repository, session.url(repository, `manifests/${tag}`), {
    headers: { accept: MediaType.imageIndex },
  });
  await head.body.dump();
  const index = header(head.headers, "docker-content-digest");
  if (head.status === 200 && index && index !== subject.descriptor.digest)
    session.wrote({ repository, kind: "manifest", digest: index, tags: [tag] });
  session.wrote({ repository, kind: "manifest", digest: referrer });
}
