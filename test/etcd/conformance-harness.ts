/** Runs the store conformance suite against a real etcd cluster of one or three members. */
import * as vitest from "vitest";
import { backendConformance } from "../../src/store/index.js";
import { EtcdBackend } from "../../src/store/index.js";
import { RebasedBackend } from "./rebased-backend.js";
import { startEtcdCluster, type EtcdTestCluster } from "./support.js";

export function etcdConformance(members: 1 | 3): void {
  let cluster: EtcdTestCluster | undefined;
  let opened = 0;
  const prefixes = new WeakMap<object, string>();
  vitest.beforeAll(async () => {
    cluster = await startEtcdCluster(members);
  });
  vitest.afterAll(async () => {
    await cluster?.stop();
  });

  const openAt = (prefix: string) => {
    if (!cluster) throw new Error("etcd cluster did not start");
    return EtcdBackend.open({ endpoints: cluster.endpoints, prefix });
  };

  backendConformance(vitest, `etcd (${members} member${members > 1 ? "s" : ""})`, {
    // Every backend gets its own namespace: "fresh and empty" in a shared etcd.
    open: async () => {
      const prefix = `/conformance/t${++opened}`;
      const b = await RebasedBackend.wrap(await openAt(prefix));
      prefixes.set(b, prefix);
      return b;
    },
    reopen: async (previous) => {
      const prefix = prefixes.get(previous);
      if (prefix === undefined) throw new Error("reopen of a backend this factory did not open");
      const b = new RebasedBackend(await openAt(prefix), (previous as RebasedBackend).base);
      prefixes.set(b, prefix);
      return b;
    },
  });
}
