/**
 * The CSINode object for this node (what node-driver-registrar writes upstream): named after the node, owned by
 * it, listing efs.csi.aws.com with the node id the driver reports. Created, or brought up to date if the driver
 * entry is missing or names another node id.
 */
import type { CSINode, Node } from "../../api/index.js";
import { isAlreadyExists, type KubeClient } from "../../client/index.js";
import type { EfsCsiDriver } from "../../csi/index.js";
import { CSI_NODE } from "./resources.js";

export async function registerCsiNode(client: KubeClient, node: Node, csi: EfsCsiDriver): Promise<CSINode> {
  const api = client.resource<CSINode>(CSI_NODE);
  const info = await csi.node.nodeGetInfo();
  const driver = { name: csi.name, nodeID: info.nodeId, topologyKeys: [] as string[], ...(info.maxVolumesPerNode > 0 ? { allocatable: { count: info.maxVolumesPerNode } } : {}) };
  const name = node.metadata.name ?? "";
  const obj: CSINode = {
    apiVersion: "storage.k8s.io/v1",
    kind: "CSINode",
    metadata: { name, ownerReferences: [{ apiVersion: "v1", kind: "Node", name, uid: node.metadata.uid ?? "" }] },
    spec: { drivers: [driver] },
  };
  try {
    return await api.create(obj);
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
  const existing = await api.get(undefined, name);
  const have = existing.spec?.drivers?.find((d) => d.name === csi.name);
  if (have?.nodeID === info.nodeId) return existing;
  // A driver entry never changes in place: drop the stale one and add ours.
  const drivers = [...(existing.spec?.drivers ?? []).filter((d) => d.name !== csi.name), driver];
  return api.update({ ...existing, spec: { drivers } });
}
