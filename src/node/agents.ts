/**
 * Several node agents in one process (`cistern up --nodes N`): each gets its own name, its own root dir
 * (<dataDir>/nodes/<name>) and its own CSI driver (node id = its name) whose metrics are served on that node's
 * /metrics (a shared csi.metricsRegistry would register the driver's metrics twice, so it is not passed on);
 * everything else is shared.
 */
import { startNodeAgent, type NodeAgent } from "./agent.js";
import { defaultNodeNames, nodeRootDir } from "./layout.js";
import type { NodeAgentOptions, NodeCsiConfig, StopOptions } from "./options.js";

export interface NodeAgentsOptions extends Omit<NodeAgentOptions, "name" | "rootDir" | "csi"> {
  dataDir: string;
  /** Node names; default defaultNodeNames(count). */
  names?: string[];
  count?: number;
  csi: NodeCsiConfig;
}

export interface NodeAgents {
  agents: NodeAgent[];
  stop(opts?: StopOptions): Promise<void>;
}

export async function startNodeAgents(o: NodeAgentsOptions): Promise<NodeAgents> {
  const names = o.names ?? defaultNodeNames(o.count ?? 1);
  const { metricsRegistry: _shared, ...csi } = o.csi;
  const agents: NodeAgent[] = [];
  try {
    for (const name of names) {
      const log = o.log?.child(name);
      agents.push(await startNodeAgent({ ...o, name, rootDir: nodeRootDir(o.dataDir, name), csi: { ...csi }, log }));
    }
  } catch (e) {
    await Promise.allSettled(agents.map((a) => a.stop({ keepContainers: true })));
    throw e;
  }
  return {
    agents,
    async stop(opts) {
      await Promise.allSettled(agents.map((a) => a.stop(opts)));
    },
  };
}
