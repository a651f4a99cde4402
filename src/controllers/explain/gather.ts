/** Reads the snapshot `cistern explain` needs from the API server. */
import type { KubeObject } from "../../api/types.js";
import type { KubeClient } from "../../client/index.js";
import { Resources } from "../model/resources.js";
import type { ExplainSnapshot } from "./snapshot.js";

/** Volumes, classes and nodes cluster-wide; claims, pods and events of `namespace` (all when undefined). */
export async function gatherSnapshot(client: KubeClient, namespace?: string): Promise<ExplainSnapshot> {
  const list = async <T>(ref: (typeof Resources)[keyof typeof Resources], ns?: string): Promise<T[]> => (await client.resource<KubeObject>(ref).listAll(ns)).items as T[];
  const [volumes, classes, nodes, claims, pods, events] = await Promise.all([
    list<ExplainSnapshot["volumes"][number]>(Resources.persistentVolumes),
    list<ExplainSnapshot["classes"][number]>(Resources.storageClasses),
    list<ExplainSnapshot["nodes"][number]>(Resources.nodes),
    list<ExplainSnapshot["claims"][number]>(Resources.persistentVolumeClaims, namespace),
    list<ExplainSnapshot["pods"][number]>(Resources.pods, namespace),
    // Events of cluster-scoped objects (volumes) live in "default".
    Promise.all([list<ExplainSnapshot["events"][number]>(Resources.events, namespace), namespace && namespace !== "default" ? list<ExplainSnapshot["events"][number]>(Resources.events, "default") : Promise.resolve([])]).then(([a, b]) => [...a, ...b]),
  ]);
  return { volumes, classes, nodes, claims, pods, events };
}
