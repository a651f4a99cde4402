/**
 * resourceVersion ordering. Kubernetes calls resourceVersions opaque, but every real server
 * (etcd revisions, our store's revisions) issues them as increasing decimal integers; the informer
 * relies on that order only when both sides parse as integers, and treats anything else as
 * "cannot tell" (accept the newer event).
 */

const decimal = /^(0|[1-9][0-9]*)$/;

/** -1, 0 or 1 when both are decimal integers; undefined when either is opaque or missing. */
export function compareResourceVersions(a: string | undefined, b: string | undefined): -1 | 0 | 1 | undefined {
  if (!a || !b || !decimal.test(a) || !decimal.test(b)) return undefined;
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** True only when `candidate` is known to be older than or equal to `reference`. */
export function isNotNewer(candidate: string | undefined, reference: string | undefined): boolean {
  const c = compareResourceVersions(candidate, reference);
  return c !== undefined && c <= 0;
}

/** True only when `candidate` is known to be strictly older than `reference`. */
export function isOlder(candidate: string | undefined, reference: string | undefined): boolean {
  return compareResourceVersions(candidate, reference) === -1;
}

/** The later of two versions; when they cannot be compared, the second (the more recent report) wins. */
export function laterResourceVersion(current: string, next: string | undefined): string {
  if (!next) return current;
  return compareResourceVersions(next, current) === -1 ? current : next;
}
