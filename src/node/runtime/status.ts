/**
 * A container's status, from the shim's state file (the source of truth while the shim lives) checked against
 * reality: if the shim is gone without recording an exit, runc is asked whether the container still runs.
 * That is what lets a restarted agent re-adopt containers: nothing lives only in the agent's memory.
 */
import * as path from "node:path";
import type { PodRef } from "./container-spec.js";
import type { ContainerRecord } from "./container-store.js";
import type { RuntimeContext } from "./context.js";
import { isLaunching } from "./lifecycle.js";
import { readShimState, runcError, shimAlive } from "./shim.js";

export type ContainerState = "created" | "running" | "exited";

export interface ContainerStatus {
  id: string;
  kind: "container" | "sandbox";
  pod: PodRef;
  name: string;
  attempt: number;
  image: string;
  imageId: string;
  labels: Record<string, string>;
  createdAt: string;
  state: ContainerState;
  pid?: number;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  signal?: number;
  /** Kubernetes-style: Completed, Error, StartError, Unknown. */
  reason?: string;
  message?: string;
  /**
   * Only with state "created": nothing will ever start it — whoever created it died before its process started
   * (an agent killed between create and start). It never ran; remove it and create it again (the kubelet's
   * computePodActions does the same with a created container).
   */
  abandoned?: boolean;
  logPath: string;
}

const ABANDONED = "created by a runtime that stopped before starting it; it never ran";

export async function computeStatus(ctx: RuntimeContext, rec: ContainerRecord): Promise<ContainerStatus> {
  const dir = ctx.store.path(rec.id);
  const base = {
    id: rec.id,
    kind: rec.kind,
    pod: rec.pod,
    name: rec.name,
    attempt: rec.attempt,
    image: rec.image,
    imageId: rec.imageId,
    labels: rec.labels,
    createdAt: rec.createdAt,
    logPath: path.join(dir, "container.log"),
  };
  for (let round = 0; round < 2; round++) {
    const st = readShimState(dir);
    if (!st) return isLaunching(dir) ? { ...base, state: "created" } : { ...base, state: "created", abandoned: true, message: ABANDONED };
    if (st.status === "exited") {
      return {
        ...base,
        state: "exited",
        pid: st.pid,
        startedAt: st.startedAt || undefined,
        finishedAt: st.finishedAt || undefined,
        exitCode: st.exitCode,
        signal: st.signal || undefined,
        reason: st.exitCode === 0 ? "Completed" : "Error",
      };
    }
    if (st.status === "failed") {
      return { ...base, state: "exited", exitCode: 128, finishedAt: st.finishedAt || undefined, reason: "StartError", message: runcError(dir) || st.error };
    }
    if (shimAlive(st.shimPid, rec.id)) {
      return { ...base, state: st.status === "running" ? "running" : "created", pid: st.pid || undefined, startedAt: st.startedAt || undefined };
    }
    if (round === 0) continue; // the shim may have written its final state just now: read once more
    const rs = await ctx.runc.state(rec.id);
    // The shim died before runc had started the process (runc run killed between its create and start steps).
    if (st.status === "created" && (!rs || rs.status === "created")) return { ...base, state: "created", abandoned: true, message: ABANDONED };
    if (rs && rs.status === "running") {
      return {
        ...base,
        state: "running",
        pid: rs.pid,
        startedAt: st.startedAt || undefined,
        message: "the container's shim is gone; its exit code will not be recorded",
      };
    }
    return {
      ...base,
      state: "exited",
      pid: st.pid || undefined,
      startedAt: st.startedAt || undefined,
      exitCode: 255,
      reason: "Unknown",
      message: "the container's shim exited without recording the container's exit",
    };
  }
  throw new Error("unreachable");
}
