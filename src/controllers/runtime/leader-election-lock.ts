/**
 * The resource lock of a leader election: one coordination.k8s.io/v1 Lease. Every write is a
 * compare-and-swap on the resourceVersion the elector last saw (create fails if the Lease exists,
 * update fails with 409 if anyone wrote it meanwhile), which is what makes two candidates unable
 * to both win the same term.
 */
import type { Lease, LeaseSpec } from "../../api/index.js";
import { isNotFound, type KubeClient } from "../../client/index.js";

export const LEASE_RESOURCE = { group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true } as const;

export interface LeaseLock {
  /** "namespace/name", for logs. */
  readonly describe: string;
  /** The Lease, or undefined if it does not exist. */
  get(signal: AbortSignal): Promise<Lease | undefined>;
  /** Create the Lease; 409 AlreadyExists if someone else did first. */
  create(spec: LeaseSpec, signal: AbortSignal): Promise<Lease>;
  /** Replace the spec of `current` (conditional on its resourceVersion); 409 Conflict if it moved. */
  update(current: Lease, spec: LeaseSpec, signal: AbortSignal): Promise<Lease>;
}

/** A LeaseLock over the Kubernetes API. The client must not be fenced: it is how leadership is kept. */
export function leaseLock(client: KubeClient, namespace: string, name: string): LeaseLock {
  const leases = client.resource<Lease>(LEASE_RESOURCE);
  return {
    describe: `${namespace}/${name}`,
    async get(signal) {
      try {
        return await leases.get(namespace, name, { signal });
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    create: (spec, signal) => leases.create({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { namespace, name }, spec }, { signal }),
    update: (current, spec, signal) =>
      leases.update({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { ...current.metadata, namespace, name }, spec }, { signal }),
  };
}

/** metav1.MicroTime: RFC 3339 with six fractional digits, as client-go writes renewTime and acquireTime. */
export function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** The fields that make up the election record; anything else on the Lease is ignored. */
export function recordOf(lease: Lease | undefined): LeaseSpec {
  const s = lease?.spec ?? {};
  return {
    holderIdentity: s.holderIdentity || undefined,
    leaseDurationSeconds: s.leaseDurationSeconds,
    acquireTime: s.acquireTime,
    renewTime: s.renewTime,
    leaseTransitions: s.leaseTransitions,
  };
}

/** Two records are the same observation when every election field is equal (client-go compares the raw record). */
export function sameRecord(a: LeaseSpec | undefined, b: LeaseSpec | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    (a.holderIdentity ?? "") === (b.holderIdentity ?? "") &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    (a.leaseTransitions ?? 0) === (b.leaseTransitions ?? 0)
  );
}
