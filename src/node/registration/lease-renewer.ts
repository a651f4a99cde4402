/**
 * The node heartbeat: Lease kube-node-lease/<node>, holder = the node, 40 s duration, renewed every 10 s (a
 * quarter of the duration, as the kubelet), owned by the Node so it goes with it. A failed renewal is retried
 * after 200 ms, doubling up to the interval.
 */
import type { Lease, Node } from "../../api/index.js";
import { isConflict, isNotFound, type KubeClient, type ResourceClient } from "../../client/index.js";
import type { Logger } from "../../lib/log.js";
import { microTime } from "../pods/time.js";
import { Periodic } from "./periodic.js";
import { LEASE, NODE_LEASE_NAMESPACE } from "./resources.js";

export const LEASE_DURATION_SECONDS = 40;

export class LeaseRenewer {
  private readonly leases: ResourceClient<Lease>;
  private readonly loop: Periodic;
  private lease: Lease | undefined;

  constructor(
    client: KubeClient,
    private readonly nodeName: string,
    private readonly owner: () => Node | undefined,
    log: Logger,
    private readonly durationSeconds = LEASE_DURATION_SECONDS,
    renewMs = (durationSeconds * 1000) / 4,
  ) {
    this.leases = client.resource<Lease>(LEASE);
    this.loop = new Periodic("node lease renewal", () => this.renew(), renewMs, log);
  }

  start(): Promise<void> {
    return this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private desired(base?: Lease): Lease {
    const node = this.owner();
    const now = microTime(new Date());
    const meta = base?.metadata ?? { name: this.nodeName, namespace: NODE_LEASE_NAMESPACE };
    if (node?.metadata.uid && !meta.ownerReferences?.length) {
      meta.ownerReferences = [{ apiVersion: "v1", kind: "Node", name: this.nodeName, uid: node.metadata.uid }];
    }
    return {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: meta,
      spec: { ...(base?.spec ?? {}), holderIdentity: this.nodeName, leaseDurationSeconds: this.durationSeconds, renewTime: now },
    };
  }

  private async renew(): Promise<void> {
    if (this.lease) {
      try {
        this.lease = await this.leases.update(this.desired(this.lease));
        return;
      } catch (e) {
        if (!isConflict(e) && !isNotFound(e)) throw e;
      }
    }
    try {
      this.lease = await this.leases.update(this.desired(await this.leases.get(NODE_LEASE_NAMESPACE, this.nodeName)));
    } catch (e) {
      if (!isNotFound(e)) throw e;
      const fresh = this.desired();
      fresh.spec = { ...fresh.spec, acquireTime: fresh.spec?.renewTime };
      this.lease = await this.leases.create(fresh);
    }
  }
}
