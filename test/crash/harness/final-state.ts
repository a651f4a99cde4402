/**
 * Reads the final state the checkers compare the history with: lists of every recorded resource
 * (with the revision each was read at), the file system's access points and mount records from the
 * EFS API, the directories under the workload's base paths and sentinel checksums from the disk.
 *
 * Watch completeness needs the recorders to have received everything up to each list's revision:
 * after listing, one marker write per watched resource (revision above the list's) is made and
 * awaited on the stream, since events arrive in revision order.
 */
import { createHash } from "node:crypto";
import { lstatSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { FILE_SYSTEM_ID } from "./cistern-child.js";
import type { AccessPointInfo, Pv, Pvc, VolumeFacts } from "./checks-volumes.js";
import type { FinalList, FinalObject } from "./checks-api.js";
import type { History, Resource } from "./history.js";
import { keyOf } from "./history.js";
import type { ClusterLink } from "./link.js";
import { send, type KubeObj } from "./ops.js";
import type { WatchRecorder } from "./watch-recorder.js";

export const LIST_PATHS: Record<Resource, string> = {
  persistentvolumes: "/api/v1/persistentvolumes",
  persistentvolumeclaims: "/api/v1/persistentvolumeclaims",
  pods: "/api/v1/pods",
  storageclasses: "/apis/storage.k8s.io/v1/storageclasses",
  namespaces: "/api/v1/namespaces",
};

export interface FinalState {
  lists: Map<Resource, FinalList>;
  pvs: Pv[];
  pvcs: Pvc[];
  watchesCaughtUp: string[];
}

async function list(link: ClusterLink, resource: Resource): Promise<{ rv: number; items: KubeObj[] }> {
  const r = await send(link, "GET", LIST_PATHS[resource]);
  if (r.status !== 200) throw new Error(`list ${resource}: ${r.status} ${r.text.slice(0, 300)}`);
  return { rv: Number(r.body.metadata.resourceVersion), items: r.body.items as KubeObj[] };
}

const MARKER_NS = "crash-marker";

/** A write to `resource` whose revision the recorder must then see. */
async function markerWrite(link: ClusterLink, resource: Resource, n: number): Promise<number | undefined> {
  const name = `crash-marker-${n}`;
  let r;
  if (resource === "persistentvolumes") {
    r = await send(link, "POST", LIST_PATHS.persistentvolumes, {
      apiVersion: "v1", kind: "PersistentVolume", metadata: { name },
      spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteMany"], storageClassName: "crash-marker", csi: { driver: "efs.csi.aws.com", volumeHandle: FILE_SYSTEM_ID } },
    });
  } else if (resource === "persistentvolumeclaims") {
    await send(link, "POST", LIST_PATHS.namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name: MARKER_NS } });
    r = await send(link, "POST", `/api/v1/namespaces/${MARKER_NS}/persistentvolumeclaims`, {
      apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name },
      spec: { accessModes: ["ReadWriteMany"], storageClassName: "crash-marker", resources: { requests: { storage: "1Gi" } } },
    });
  } else if (resource === "pods") {
    await send(link, "POST", LIST_PATHS.namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name: MARKER_NS } });
    // Never scheduled (no node has the label): the marker only has to be written, not run.
    r = await send(link, "POST", `/api/v1/namespaces/${MARKER_NS}/pods`, {
      apiVersion: "v1", kind: "Pod", metadata: { name },
      spec: { nodeSelector: { "crash.cistern.dev/nowhere": "true" }, containers: [{ name: "c", image: "busybox", command: ["true"] }] },
    });
  } else {
    return undefined;
  }
  return r.status === 201 ? Number(r.body.metadata.resourceVersion) : undefined;
}

export function isMarker(key: string): boolean {
  return key.startsWith(`${MARKER_NS}/`) || key.startsWith("crash-marker-") || key === MARKER_NS;
}

function finalObjects(items: KubeObj[]): FinalObject[] {
  return items.map((o) => ({
    key: keyOf(o), uid: String(o.metadata.uid), rv: Number(o.metadata.resourceVersion),
    annotations: o.metadata.annotations, deleting: o.metadata.deletionTimestamp !== undefined,
  }));
}

export async function readFinalState(link: ClusterLink, recorders: WatchRecorder[], resources: Resource[]): Promise<FinalState> {
  const lists = new Map<Resource, FinalList>();
  const raw = new Map<Resource, KubeObj[]>();
  for (const res of resources) {
    const l = await list(link, res);
    lists.set(res, { rv: l.rv, items: finalObjects(l.items) });
    raw.set(res, l.items);
  }
  const watchesCaughtUp: string[] = [];
  let n = 0;
  for (const rec of recorders) {
    const marker = await markerWrite(link, rec.resource, n++);
    const target = marker ?? lists.get(rec.resource)?.rv ?? 0;
    if (!(await rec.caughtUp(target, 90_000))) watchesCaughtUp.push(`watch ${rec.resource}: did not reach rv ${target} (at ${rec.seen})`);
  }
  return {
    lists,
    pvs: (raw.get("persistentvolumes") ?? []) as unknown as Pv[],
    pvcs: (raw.get("persistentvolumeclaims") ?? []) as unknown as Pvc[],
    watchesCaughtUp,
  };
}

export interface EfsFacts {
  accessPoints: AccessPointInfo[];
  mounts: { MountId: string; NodeId?: string; Path?: string }[];
}

export async function readEfsFacts(link: ClusterLink): Promise<EfsFacts> {
  const accessPoints: AccessPointInfo[] = [];
  let token: string | undefined;
  do {
    const q: Record<string, string> = { FileSystemId: FILE_SYSTEM_ID, MaxResults: "1000" };
    if (token) q.NextToken = token;
    const r = await link.efs("GET", "/2015-02-01/access-points", q);
    if (r.status !== 200) throw new Error(`DescribeAccessPoints: ${r.status} ${r.text.slice(0, 300)}`);
    for (const ap of r.body.AccessPoints ?? []) accessPoints.push({ id: ap.AccessPointId, rootPath: ap.RootDirectory?.Path ?? "/" });
    token = r.body.NextToken;
  } while (token);
  const m = await link.efs("GET", "/cistern/v1/mounts", { FileSystemId: FILE_SYSTEM_ID });
  if (m.status !== 200) throw new Error(`list mounts: ${m.status} ${m.text.slice(0, 300)}`);
  return { accessPoints, mounts: m.body.Mounts ?? [] };
}

/** Disk facts below the file system's directory: directories under the base paths, checksums. */
export function diskFacts(dataDir: string, basePaths: string[]): Pick<VolumeFacts, "directories" | "checksum"> {
  const root = join(dataDir, "efs", "fs", FILE_SYSTEM_ID);
  const directories: string[] = [];
  for (const base of basePaths) {
    let names: string[];
    try {
      names = readdirSync(join(root, base));
    } catch {
      continue;
    }
    for (const n of names) if (lstatSync(join(root, base, n)).isDirectory()) directories.push(`${base}/${n}`);
  }
  return {
    directories,
    checksum(rel: string) {
      try {
        if (!lstatSync(join(root, rel)).isFile()) return undefined;
        return createHash("sha256").update(readFileSync(join(root, rel))).digest("hex");
      } catch {
        return undefined;
      }
    },
  };
}

/** Mount points from /proc/self/mountinfo (field 5, octal escapes decoded). */
export function mountPoints(): string[] {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split(" ")[4].replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
}

export function historyStats(history: History): Record<string, number> {
  const acks = history.acks();
  const watches = history.watches();
  return {
    acknowledgedWrites: acks.length,
    acknowledgedCreates: acks.filter((a) => a.verb === "create").length,
    acknowledgedUpdates: acks.filter((a) => a.verb === "update").length,
    acknowledgedDeletes: acks.filter((a) => a.verb === "delete").length,
    watchEvents: watches.filter((w) => w.event !== "RELIST").length,
    relists: watches.filter((w) => w.event === "RELIST" && w.key === "").length,
  };
}
