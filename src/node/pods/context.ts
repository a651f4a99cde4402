/** What the pod workers share: the runtime and its index, volumes, API access, events, back-offs and reasons. */
import type { Pod } from "../../api/index.js";
import type { ResourceClient } from "../../client/index.js";
import type { EventRecorder } from "../../controllers/runtime/index.js";
import type { Logger } from "../../lib/log.js";
import type { Runtime } from "../runtime/index.js";
import type { VolumeManager } from "../volumes/volume-manager.js";
import type { Backoff } from "./backoff.js";
import type { ContainerIndex } from "./container-index.js";
import type { WaitingReason } from "./container-statuses.js";
import type { EnvContext } from "./env.js";
import type { PodObjects } from "./objects.js";
import type { Prober } from "./prober.js";
import type { StatusWriter } from "./status-writer.js";

export interface PodContext {
  nodeName: string;
  env: Omit<EnvContext, "pod" | "objects">;
  runtime: Runtime;
  index: ContainerIndex;
  volumes: VolumeManager;
  objects: PodObjects;
  recorder: EventRecorder;
  statusWriter: StatusWriter;
  probes: Prober;
  podsApi: ResourceClient<Pod>;
  /** Crash-loop back-off per pod/container. */
  backoff: Backoff;
  /** Image-pull back-off per pod/container. */
  imageBackoff: Backoff;
  /** Start-failure back-off (RunContainerError) per pod/container. */
  startBackoff: Backoff;
  /** Why each container of a pod is waiting (the kubelet's reason cache), by pod uid. */
  waiting: Map<string, Map<string, WaitingReason & { at: number }>>;
  log: Logger;
}

export function waitingOf(ctx: PodContext, uid: string): Map<string, WaitingReason & { at: number }> {
  let m = ctx.waiting.get(uid);
  if (!m) ctx.waiting.set(uid, (m = new Map()));
  return m;
}
