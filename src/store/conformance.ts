/**
 * The one conformance suite every Backend must pass. A backend's test file calls
 * `backendConformance(vitest, "sqlite", factory)`; vitest is passed in rather than imported so
 * that production code importing the store never loads it.
 *
 * Covers: conditional writes and their errors; reads at a revision (MVCC), Compacted and
 * FutureRevision; byte-wise list order, prefix boundaries, pagination and count; watch (history
 * then live, prefixes, cancel, compacted start, event shapes); compaction; TTL; concurrent CAS;
 * and, when the factory can reopen, restart durability.
 *
 * Revisions are checked relative to the backend's own: a fresh backend may start at any revision
 * (a new etcd prefix starts wherever the cluster is) and only the contract's relations are
 * asserted (strictly increasing, never reused, a write's revision is its modRevision and its
 * event's). A single-writer backend sets `contiguousRevisions` to have contiguity checked as well.
 */
import { compactionSection } from "./conformance/compaction.js";
import { concurrencySection } from "./conformance/concurrency.js";
import { crudSection } from "./conformance/crud.js";
import { durabilitySection } from "./conformance/durability.js";
import { makeSection, type BackendFactory, type TestApi } from "./conformance/harness.js";
import { listSection } from "./conformance/list.js";
import { readsSection } from "./conformance/reads.js";
import { ttlSection } from "./conformance/ttl.js";
import { watchSection } from "./conformance/watch.js";

export type { BackendFactory, TestApi } from "./conformance/harness.js";

export function backendConformance(t: TestApi, name: string, factory: BackendFactory): void {
  t.describe(`store conformance: ${name}`, () => {
    const section = makeSection(t, factory);
    crudSection(section);
    readsSection(section);
    listSection(section);
    watchSection(section);
    compactionSection(section);
    ttlSection(section);
    concurrencySection(section);
    durabilitySection(section);
  });
}
