/**
 * Image references as Kubernetes writes them ("busybox", "busybox:1.36", "docker.io/library/busybox:latest",
 * "registry.local:5000/team/app@sha256:…"), normalised the way Docker does: a first component containing "." or ":"
 * (or "localhost") is a registry, otherwise the registry is docker.io and single names live under "library/";
 * no tag and no digest means ":latest".
 */
import { RuntimeError } from "./errors.js";

export interface ImageRef {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
  /** "registry/repository:tag" or "registry/repository@digest" (with tag too if both were given). */
  canonical: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const REGISTRY = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

function invalid(ref: string, why: string): RuntimeError {
  return new RuntimeError("InvalidImageName", `invalid image reference ${JSON.stringify(ref)}: ${why}`);
}

export function parseImageRef(ref: string): ImageRef {
  if (typeof ref !== "string" || ref.length === 0 || ref.length > 512) throw invalid(String(ref), "empty or too long");
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(ref, "digest must be sha256:<64 hex>");
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(":");
  if (lastColon > rest.lastIndexOf("/")) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) throw invalid(ref, "bad tag");
  }
  const parts = rest.split("/");
  let registry = "docker.io";
  if (parts.length > 1 && (parts[0].includes(".") || parts[0].includes(":") || parts[0] === "localhost")) {
    registry = parts.shift()!;
    if (!REGISTRY.test(registry)) throw invalid(ref, "bad registry host");
  }
  if (registry === "index.docker.io") registry = "docker.io";
  if (registry === "docker.io" && parts.length === 1) parts.unshift("library");
  for (const p of parts) if (!COMPONENT.test(p)) throw invalid(ref, `bad repository component ${JSON.stringify(p)}`);
  const repository = parts.join("/");
  if (!tag && !digest) tag = "latest";
  const canonical = `${registry}/${repository}${tag ? ":" + tag : ""}${digest ? "@" + digest : ""}`;
  return { registry, repository, tag, digest, canonical };
}

/** Every busybox reference (any tag or digest) resolves to the locally built busybox image. */
export function isBusyboxRef(ref: ImageRef): boolean {
  return ref.registry === "docker.io" && ref.repository === "library/busybox";
}
