import { randomBytes } from "node:crypto";
import { uploadSession, type FrontContext, type Layer } from "./front.js";

const SESSION_PATH = /^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/;
const SINGULAR_SESSION_PATH = /^(\/v2\/.+)\/blobs\/upload\/([^/]+)$/;
const GAR_UPLOAD_PATH = /^\/artifacts-uploads\/namespaces\/[^/]+\/repositories\/.+\/uploads\/([^/]+)$/;

/**
 * The registry path and query a client's request URL stands for: the inverse of
 * `publicLocation` for GHCR's singular session path (ghcr-upload-location-singular) and GAR's
 * sessions outside /v2/ (gar-upload-location-nonv2), whose opaque id maps to the registry's
 * newest session Location, `_state` included.
 */
export function registryPath(front: FrontContext, url: URL): string {
  const style = front.knobs.uploadLocation;
  if (style === "singular-upload")
    return url.pathname.replace(SINGULAR_SESSION_PATH, "$1/blobs/uploads/$2") + url.search;
  const opaque = style === "gar-artifacts-uploads" ? GAR_UPLOAD_PATH.exec(url.pathname)?.[1] : undefined;
  if (opaque === undefined) return url.pathname + url.search;
  const session = [...front.sessions.values()].find((candidate) => candidate.opaque === opaque);
  // An unknown id becomes a session distribution does not know, so it answers BLOB_UPLOAD_UNKNOWN.
  const target = new URL(session?.registryLocation ?? `/v2/unknown/blobs/uploads/${opaque}`, front.upstream.origin);
  for (const [name, value] of url.searchParams) target.searchParams.append(name, value);
  return target.pathname + target.search;
}

/** The Location a client gets for one the registry wrote (`uploadLocation` knob). */
export function publicLocation(front: FrontContext, location: string): string {
  const target = new URL(location, front.upstream.origin);
  if (target.origin !== front.upstream.origin) return location;
  const path = target.pathname + target.search;
  const session = SESSION_PATH.exec(target.pathname);
  switch (front.knobs.uploadLocation) {
    case "relative":
      return path;
    case "singular-upload":
      return front.origin + (session ? path.replace("/blobs/uploads/", "/blobs/upload/") : path);
    case "gar-artifacts-uploads":
      return session ? garUploadLocation(front, session[1]!, session[2]!, path) : path;
    case "other-host":
      return (session ? front.aliasOrigin : front.origin) + path;
    default:
      return front.origin + path;
  }
}

function garUploadLocation(front: FrontContext, repo: string, id: string, registryLocation: string): string {
  const session = uploadSession(front, id);
  session.registryLocation = registryLocation;
  session.opaque ??= randomBytes(32).toString("base64url");
  const [project, ...rest] = repo.split("/");
  return `/artifacts-uploads/namespaces/${project}/repositories/${rest.join("/") || project}/uploads/${session.opaque}`;
}

/** Rewrites the Location of the registry's answers to the personality's style. */
export function locationLayer(front: FrontContext): Layer {
  return {
    decorate(_exchange, answer) {
      if (answer.fromRegistry && typeof answer.headers.location === "string")
        answer.headers.location = publicLocation(front, answer.headers.location);
    },
  };
}
