/**
 * Makes a pod's volumes ready before its containers start, and takes them down after its containers are gone.
 *
 * setUpPod mounts every volume of the pod in parallel — claims through the CSI driver, emptyDir, and the
 * agent-written configMap / secret / downwardAPI / projected volumes — and returns where each one is on the
 * host. Repeat calls are cheap: a ready volume is re-checked (re-published, re-projected) at most once a
 * minute. Failures throw VolumeSetUpError carrying the event to report, worded as the kubelet words it.
 *
 * tearDownPod unpublishes the pod's CSI volumes (names read back from disk, so it works for pods the agent no
 * longer knows), unmounts memory-backed emptyDirs, then deletes the pod directory with removeTreeBeneath, which
 * refuses to cross a mount: a volume that failed to unmount is left in place, never emptied.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Pod, Volume } from "../../api/index.js";
import type { EfsCsiDriver } from "../../csi/index.js";
import type { Logger } from "../../lib/log.js";
import { isMountPointPath, mountsAtOrBelow, removeTreeBeneath, unmount } from "../../lib/safe-path/index.js";
import type { NodeLayout, VolumePlugin } from "../layout.js";
import type { EnvContext } from "../pods/env.js";
import type { PodObjects } from "../pods/objects.js";
import type { VolumeHost } from "../pods/runtime-spec.js";
import { translateSubPath, writePayload, type Payload } from "./atomic-writer.js";
import { readVolData, setUpClaimVolume, type CsiVolumeHost } from "./csi-volume.js";
import { setUpEmptyDir } from "./empty-dir.js";
import { MountError } from "./mount-error.js";
import { configMapPayload, downwardApiPayload, projectedPayload, secretPayload } from "./projection.js";


export interface VolumeManagerDeps {
  layout: NodeLayout;
  csi: EfsCsiDriver;
  objects: PodObjects;
  podsInNamespace(namespace: string): Promise<Pod[]>;
  env: Omit<EnvContext, "pod" | "objects">;
  log: Logger;
  /** A ready volume is re-published / re-projected when a sync finds it older than this (default 30 s). */
  recheckMs?: number;
  now?: () => number;
}

/** Why a pod's volumes are not ready: the event (reason + message) and the volumes concerned. */
export class VolumeSetUpError extends Error {
  constructor(
    readonly reason: "FailedMount" | "FailedAttachVolume",
    message: string,
    readonly failed: string[],
    /** Every error is a wait for something else (claim binding, another pod): retry soon without growing back-off. */
    readonly waiting: boolean,
  ) {
    super(message);
    this.name = "VolumeSetUpError";
  }
}

export interface ReadyVolume {
  name: string;
  host: VolumeHost;
  plugin: VolumePlugin;
  /** For claims: the PV, its handle and the claim's name. */
  csi?: CsiVolumeHost;
  checkedAt: number;
}

export interface PodVolumeRecord {
  uid: string;
  namespace: string;
  podName: string;
  volumes: ReadyVolume[];
}

function claimOf(pod: Pod, v: Volume): string {
  return v.persistentVolumeClaim?.claimName ?? `${pod.metadata.name}-${v.name}`;
}

function pluginOf(v: Volume): VolumePlugin | undefined {
  if (v.persistentVolumeClaim || v.ephemeral) return "kubernetes.io~csi";
  if (v.emptyDir) return "kubernetes.io~empty-dir";
  if (v.configMap) return "kubernetes.io~configmap";
  if (v.secret) return "kubernetes.io~secret";
  if (v.projected || v.downwardAPI) return "kubernetes.io~projected";
  return undefined;
}

function describeUnsupported(v: Volume): string {
  const kind = Object.keys(v).find((k) => k !== "name") ?? "unknown";
  return `volume type ${kind} is not supported by this node (supported: persistentVolumeClaim with the ${"efs.csi.aws.com"} driver, emptyDir, configMap, secret, downwardAPI, projected)`;
}

export class VolumeManager {
  private readonly ready = new Map<string, PodVolumeRecord>();
  private readonly now: () => number;

  constructor(private readonly deps: VolumeManagerDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Volumes the agent has made ready, per pod uid (for volume stats). */
  records(): PodVolumeRecord[] {
    return [...this.ready.values()];
  }

  async setUpPod(pod: Pod): Promise<Map<string, VolumeHost>> {
    const uid = pod.metadata.uid ?? "";
    const rec = this.ready.get(uid) ?? { uid, namespace: pod.metadata.namespace ?? "default", podName: pod.metadata.name ?? "", volumes: [] };
    this.ready.set(uid, rec);
    const volumes = pod.spec?.volumes ?? [];
    const claims = new Map<string, Promise<CsiVolumeHost>>();
    const results = await Promise.allSettled(volumes.map((v) => this.setUpVolume(pod, rec, v, claims)));
    const errors: { vol: Volume; err: MountError }[] = [];
    results.forEach((r, i) => {
      if (r.status === "rejected") {
        const err = r.reason instanceof MountError ? r.reason : new MountError("FailedMount", (r.reason as Error)?.message ?? String(r.reason), volumes[i].name);
        errors.push({ vol: volumes[i], err });
      }
    });
    if (errors.length) throw this.summarize(pod, errors);
    return new Map(rec.volumes.map((v) => [v.name, v.host]));
  }

  private summarize(pod: Pod, errors: { vol: Volume; err: MountError }[]): VolumeSetUpError {
    const first = errors[0].err;
    const failed = errors.map((e) => e.vol.name);
    const waiting = errors.every((e) => e.err.waiting);
    if (first.reason === "FailedAttachVolume") return new VolumeSetUpError("FailedAttachVolume", first.message, failed, waiting);
    if (first.waiting) {
      const all = (pod.spec?.volumes ?? []).map((v) => v.name);
      const msg = `Unable to attach or mount volumes: unmounted volumes=[${failed.join(" ")}], unattached volumes=[${all.join(" ")}], failed to process volumes=[${failed.join(" ")}]: ${first.message}`;
      return new VolumeSetUpError("FailedMount", msg, failed, waiting);
    }
    return new VolumeSetUpError("FailedMount", `MountVolume.SetUp failed for volume "${first.volume ?? errors[0].vol.name}" : ${first.message}`, failed, waiting);
  }

  private async setUpVolume(pod: Pod, rec: PodVolumeRecord, v: Volume, claims: Map<string, Promise<CsiVolumeHost>>): Promise<void> {
    const existing = rec.volumes.find((x) => x.name === v.name);
    if (existing && this.now() - existing.checkedAt < (this.deps.recheckMs ?? 30_000)) return;
    const plugin = pluginOf(v);
    if (!plugin) throw new MountError("FailedMount", describeUnsupported(v), v.name);
    const uid = rec.uid;
    const { layout } = this.deps;
    let ready: ReadyVolume;
    if (plugin === "kubernetes.io~csi") {
      const claimName = claimOf(pod, v);
      // Several pod volumes may name one claim: one publish (read-only only if every reference is), each keeps its own mode.
      let published = claims.get(claimName);
      if (!published) {
        const refs = (pod.spec?.volumes ?? []).filter((x) => (x.persistentVolumeClaim || x.ephemeral) && claimOf(pod, x) === claimName);
        const readOnly = refs.every((x) => !!x.persistentVolumeClaim?.readOnly);
        published = setUpClaimVolume(this.deps, pod, v.name, claimName, { readOnly, alreadyMounted: !!existing });
        claims.set(claimName, published);
      }
      const csi = await published;
      const host = { ...csi, readOnly: csi.readOnly || !!v.persistentVolumeClaim?.readOnly };
      ready = { name: v.name, host, plugin, csi: host, checkedAt: this.now() };
    } else if (plugin === "kubernetes.io~empty-dir") {
      const dir = layout.volumeDir(uid, plugin, v.name);
      await setUpEmptyDir(dir, v.emptyDir ?? {}, pod.spec?.securityContext?.fsGroup, v.name);
      ready = { name: v.name, host: { hostPath: dir, readOnly: false }, plugin, checkedAt: this.now() };
    } else {
      const dir = layout.volumeDir(uid, plugin, v.name);
      const payload = await this.payloadOf(pod, v);
      try {
        writePayload(dir, payload, { gid: pod.spec?.securityContext?.fsGroup });
      } catch (e) {
        throw new MountError("FailedMount", `writing the volume's files failed: ${(e as Error).message}`, v.name);
      }
      // configMap, secret, downwardAPI and projected volumes are always read-only in containers (since 1.10).
      ready = { name: v.name, host: { hostPath: dir, readOnly: true, translateSubPath: (p) => translateSubPath(dir, p) }, plugin, checkedAt: this.now() };
    }
    rec.volumes = [...rec.volumes.filter((x) => x.name !== v.name), ready];
  }

  private payloadOf(pod: Pod, v: Volume): Promise<Payload> {
    const ns = pod.metadata.namespace ?? "default";
    if (v.configMap) return configMapPayload(this.deps.objects, ns, v.configMap);
    if (v.secret) return secretPayload(this.deps.objects, ns, v.secret);
    if (v.downwardAPI) return Promise.resolve(downwardApiPayload(pod, v.downwardAPI, this.deps.env));
    return projectedPayload(pod, this.deps.objects, v.projected ?? {}, this.deps.env);
  }

  /** Pod uids that have a directory on this node. */
  podDirs(): string[] {
    try {
      return fs.readdirSync(this.deps.layout.podsDir);
    } catch {
      return [];
    }
  }

  /**
   * Unpublish, unmount and delete everything of pod `uid`. Idempotent. Throws (leaving data in place) if a
   * mount below the pod directory cannot be removed.
   */
  async tearDownPod(uid: string): Promise<void> {
    const { layout, log } = this.deps;
    this.ready.delete(uid);
    const podDir = layout.podDir(uid);
    if (!fs.existsSync(podDir)) return;
    const csiDir = layout.pluginDir(uid, "kubernetes.io~csi");
    for (const pv of safeReaddir(csiDir)) {
      const dir = path.join(csiDir, pv);
      const target = path.join(dir, "mount");
      const data = readVolData(path.join(dir, "vol_data.json"));
      // A dead FUSE mount fails stat(2); the mount table still names it.
      if (data || isMountPointPath(target) || lstatOk(target)) {
        await this.deps.csi.node.nodeUnpublishVolume({ volumeId: data?.volumeHandle ?? pv, targetPath: target });
      }
      fs.rmSync(path.join(dir, "vol_data.json"), { force: true });
      try {
        fs.rmdirSync(dir);
      } catch (e) {
        log.warn("volume directory not empty after unpublish; leaving it", { dir, err: (e as Error).message });
      }
    }
    for (const v of safeReaddir(layout.pluginDir(uid, "kubernetes.io~empty-dir"))) {
      const dir = path.join(layout.pluginDir(uid, "kubernetes.io~empty-dir"), v);
      if (isMountPointPath(dir)) await unmount(dir);
    }
    const left = mountsAtOrBelow(fs.realpathSync(podDir));
    if (left.length) throw new Error(`pod ${uid}: still mounted below its directory: ${left.map((m) => m.mountPoint).join(", ")}; not deleting it`);
    await removeTreeBeneath(layout.podsDir, layout.podRel(uid));
  }
}

function lstatOk(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
