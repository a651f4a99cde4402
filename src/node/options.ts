/** Options of a node agent, and the pieces of the CSI configuration the agent fills in itself. */
import type { KubeClient } from "../client/index.js";
import type { EfsCsiDriver, EfsCsiDriverConfig } from "../csi/index.js";
import type { Logger } from "../lib/log.js";

/** The EFS CSI driver's configuration without what the agent decides: state dir, node id, publish root. */
export type NodeCsiConfig = Omit<EfsCsiDriverConfig, "stateDir" | "nodeId" | "publishRoot"> & Partial<Pick<EfsCsiDriverConfig, "stateDir">>;

export interface NodeAgentOptions {
  /** The Node's name (a DNS subdomain); also the CSI node id. */
  name: string;
  /** Everything of this node lives here (see layout.ts); created if missing. Each agent needs its own. */
  rootDir: string;
  /** An API client; or a kubeconfig file to build one from. */
  client?: KubeClient;
  kubeconfig?: string;
  /** The EFS CSI driver: a configuration (the agent creates the driver) or a running instance. */
  csi: NodeCsiConfig | { driver: EfsCsiDriver };
  /** CA that signs the API server's client certificate for the kubelet API; default: the client's CA. */
  clusterCaPem?: string;
  /** Address and port of the kubelet API (default 127.0.0.1, port 0 = any free port). */
  address?: string;
  port?: number;
  /** The address the node and its pods report (default 127.0.0.1: pods share the host network). */
  hostIP?: string;
  /** Extra Node labels. */
  labels?: Record<string, string>;
  /** Pods synced in parallel (default 16). */
  podWorkers?: number;
  /** How often container states are re-read (default 1 s). */
  relistMs?: number;
  /** How often every pod is looked at again — config map refresh, orphan sweep (default 60 s). */
  housekeepingMs?: number;
  /** Minimum age of a ready volume before a sync re-checks it (re-publish, re-project; default 30 s). */
  volumeRecheckMs?: number;
  lease?: { durationSeconds?: number; renewMs?: number };
  nodeStatus?: { checkMs?: number; reportMs?: number };
  runtime?: { runcPath?: string; shimPath?: string; busyboxPath?: string };
  log?: Logger;
}

export interface StopOptions {
  /**
   * Leave pods running (their containers, mounts and volumes stay; a restarted agent re-adopts them). Default
   * false: every container is stopped and removed and every volume unmounted — the pods stay bound to this node
   * in the API and are started again when an agent for this node runs again.
   */
  keepContainers?: boolean;
}

export function isDriverInstance(csi: NodeAgentOptions["csi"]): csi is { driver: EfsCsiDriver } {
  return typeof (csi as { driver?: unknown }).driver === "object" && (csi as { driver?: unknown }).driver !== null;
}
