/**
 * Registers this node's Node object and keeps its status current (the kubelet's registerWithAPIServer and
 * updateNodeStatus): create the Node, or adopt an existing one by that name (its labels, annotations and status
 * are brought up to date); every `checkMs` read it back and patch the status when a condition's status differs
 * (e.g. the lifecycle controller marked it Unknown while the agent was away), something reported changed, or the
 * last report is older than `reportMs` (the heartbeat itself travels in the Lease).
 */
import type { Node } from "../../api/index.js";
import { isAlreadyExists, type KubeClient, type ResourceClient } from "../../client/index.js";
import type { Logger } from "../../lib/log.js";
import type { MachineInfo } from "./machine-info.js";
import { newNode, nodeAnnotations, nodeLabels, nodeStatus, statusNeedsUpdate, type NodeIdentity } from "./node-object.js";
import { Periodic } from "./periodic.js";
import { NODE } from "./resources.js";

export interface NodeRegistrarOptions {
  checkMs?: number;
  reportMs?: number;
}

export class NodeRegistrar {
  private readonly nodes: ResourceClient<Node>;
  private readonly loop: Periodic;
  private lastReport = 0;
  /** The Node as last written or read (uid for owner references). */
  node: Node | undefined;

  constructor(
    client: KubeClient,
    private readonly id: NodeIdentity,
    private readonly info: () => MachineInfo,
    private readonly log: Logger,
    private readonly o: NodeRegistrarOptions = {},
  ) {
    this.nodes = client.resource<Node>(NODE);
    this.loop = new Periodic("node status update", () => this.sync(), o.checkMs ?? 10_000, log);
  }

  /** Register (or adopt) the Node and start the status loop. Resolves once the Node exists and is Ready. */
  async start(): Promise<Node> {
    await this.loop.start();
    return this.node as Node;
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async sync(): Promise<void> {
    if (!this.node) {
      try {
        this.node = await this.nodes.create(newNode(this.id, this.info(), new Date()));
        this.lastReport = Date.now();
        this.log.info("node registered", { node: this.id.name });
        return;
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        const existing = await this.nodes.get(undefined, this.id.name);
        const labels = { ...(existing.metadata.labels ?? {}), ...nodeLabels(this.id, this.info()) };
        const annotations = { ...(existing.metadata.annotations ?? {}), ...nodeAnnotations(this.id) };
        this.node = await this.nodes.patch(undefined, this.id.name, "merge", { metadata: { labels, annotations } });
        this.log.info("node already registered; adopting it", { node: this.id.name });
        this.lastReport = 0;
      }
    }
    const current = await this.nodes.get(undefined, this.id.name);
    const desired = nodeStatus(this.id, this.info(), current.status, new Date());
    if (!statusNeedsUpdate(current.status, desired) && Date.now() - this.lastReport < (this.o.reportMs ?? 300_000)) {
      this.node = current;
      return;
    }
    this.node = await this.nodes.patch(undefined, this.id.name, "merge", { status: desired }, { subresource: "status" });
    this.lastReport = Date.now();
  }
}
