/**
 * Runs the store conformance suite against a real etcd cluster of one or three members, on the
 * backend as it is: etcd's revisions are shared by the whole cluster, so a fresh prefix starts
 * wherever the cluster is and, with `otherWriter`, every write skips the revisions another client
 * took in between. The suite's revision-relative checks must hold either way.
 */
import * as vitest from "vitest";
import { backendConformance, EtcdBackend, type Backend } from "../../src/store/index.js";
import { withOtherWriter } from "./other-writer.js";
import { startEtcdCluster, type EtcdTestCluster } from "./support.js";

export interface EtcdConformanceOptions {
  /** Another client writes to a sibling prefix before each write, so revisions skip numbers. */
  otherWriter?: boolean;
}

export function etcdConformance(members: 1 | 3, opts: EtcdConformanceOptions = {}): void {
  let cluster: EtcdTestCluster | undefined;
  let other: EtcdBackend | undefined;
  let opened = 0;
  const prefixes = new WeakMap<Backend, string>();
  vitest.beforeAll(async () => {
    cluster = await startEtcdCluster(members);
    if (opts.otherWriter) other = await EtcdBackend.open({ endpoints: cluster.endpoints, prefix: "/other-writer" });
  });
  vitest.afterAll(async () => {
    await other?.close();
    await cluster?.stop();
  });

  const openAt = async (prefix: string) => {
    if (!cluster) throw new Error("etcd cluster did not start");
    const etcd = await EtcdBackend.open({ endpoints: cluster.endpoints, prefix });
    const b = other ? withOtherWriter(etcd, other) : etcd;
    prefixes.set(b, prefix);
    return b;
  };

  const size = `${members} member${members > 1 ? "s" : ""}`;
  backendConformance(vitest, `etcd (${size}${opts.otherWriter ? ", another client writing" : ""})`, {
    // Every backend gets its own namespace: "fresh and empty" in a shared etcd.
    open: () => openAt(`/conformance/t${++opened}`),
    reopen: (previous) => {
      const prefix = prefixes.get(previous);
      if (prefix === undefined) throw new Error("reopen of a backend this factory did not open");
      return openAt(prefix);
    },
  });
}
