/**
 * A persistentVolumeClaim volume: claim → bound PV → its CSI source → NodePublishVolume at
 * <pod>/volumes/kubernetes.io~csi/<pv>/mount, with the PV's mount options and access mode (its first, as the
 * kubelet), read-only when the pod's claim reference or the PV's CSI source says so, the PV's
 * volumeAttributes as volume context, the nodePublishSecretRef's data as secrets, and the pod's IAM principal
 * (its service account's eks.amazonaws.com/role-arn annotation). vol_data.json beside the target records what
 * was published, so a restarted agent can unpublish a pod it no longer knows.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import type { PersistentVolume, PersistentVolumeClaim, Pod } from "../../api/index.js";
import { DRIVER_NAME, isCsiError, type AccessModeName, type EfsCsiDriver } from "../../csi/index.js";
import type { NodeLayout } from "../layout.js";
import type { PodObjects } from "../pods/objects.js";
import type { VolumeHost } from "../pods/runtime-spec.js";
import { accessModeConflict } from "./access-check.js";
import { MountError } from "./mount-error.js";

export const ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";

export interface CsiVolumeDeps {
  layout: NodeLayout;
  csi: EfsCsiDriver;
  objects: PodObjects;
  /** Pods of a namespace (every node), for the single-writer access mode check. */
  podsInNamespace(namespace: string): Promise<Pod[]>;
}

export interface VolData {
  driverName: string;
  volumeHandle: string;
  specVolID: string;
  claim: { namespace: string; name: string };
  readOnly: boolean;
}

export interface CsiVolumeHost extends VolumeHost {
  pvName: string;
  volumeHandle: string;
  claimName: string;
}

const CSI_MODES: Record<string, AccessModeName> = {
  ReadWriteOnce: "SINGLE_NODE_WRITER",
  ReadOnlyMany: "MULTI_NODE_READER_ONLY",
  ReadWriteMany: "MULTI_NODE_MULTI_WRITER",
  ReadWriteOncePod: "SINGLE_NODE_SINGLE_WRITER",
};

export function volDataPath(layout: NodeLayout, uid: string, pvName: string): string {
  return path.join(layout.volumeDir(uid, "kubernetes.io~csi", pvName), "vol_data.json");
}

/**
 * Record what is about to be published, durably (temp file, fsync, rename, fsync of the directory), unless the file
 * already says exactly that (the recheck of a mounted volume writes nothing). Asynchronous: an fsync on a busy disk
 * can take many milliseconds, and the agent's other pods must not wait for it.
 */
export async function writeVolData(file: string, data: VolData): Promise<void> {
  const text = JSON.stringify(data);
  if (await fsp.readFile(file, "utf8").then((t) => t === text, () => false)) return;
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  const fh = await fsp.open(tmp, "wx", 0o600);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  await fsp.rename(tmp, file);
  const dh = await fsp.open(dir, "r");
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

export function readVolData(file: string): VolData | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as VolData;
  } catch {
    return undefined;
  }
}

async function boundVolume(deps: CsiVolumeDeps, ns: string, claimName: string, volName: string): Promise<{ claim: PersistentVolumeClaim; pv: PersistentVolume }> {
  const claim = await deps.objects.claim(ns, claimName);
  if (!claim) throw new MountError("FailedMount", `error processing PVC ${ns}/${claimName}: failed to fetch PVC from API server: persistentvolumeclaims "${claimName}" not found`, volName, true);
  const pvName = claim.spec?.volumeName;
  if (claim.status?.phase !== "Bound" || !pvName) throw new MountError("FailedMount", `error processing PVC ${ns}/${claimName}: PVC is not bound`, volName, true);
  if (claim.metadata.deletionTimestamp) throw new MountError("FailedMount", `error processing PVC ${ns}/${claimName}: PVC is being deleted`, volName, true);
  const pv = await deps.objects.volume(pvName);
  if (!pv) throw new MountError("FailedMount", `error processing PVC ${ns}/${claimName}: failed to fetch PV ${pvName} from API server: persistentvolumes "${pvName}" not found`, volName, true);
  return { claim, pv };
}

async function principalOf(deps: CsiVolumeDeps, pod: Pod): Promise<string | undefined> {
  const ns = pod.metadata.namespace ?? "default";
  const sa = await deps.objects.serviceAccount(ns, pod.spec?.serviceAccountName || "default");
  return sa?.metadata.annotations?.[ROLE_ARN_ANNOTATION] || undefined;
}

async function publishSecrets(deps: CsiVolumeDeps, pv: PersistentVolume): Promise<Record<string, string> | undefined> {
  const ref = pv.spec?.csi?.nodePublishSecretRef;
  if (!ref?.name) return undefined;
  const s = await deps.objects.secret(ref.namespace ?? "default", ref.name);
  if (!s) throw new MountError("FailedMount", `fetching NodePublishSecretRef ${ref.namespace ?? "default"}/${ref.name} failed: secrets "${ref.name}" not found`, pv.metadata.name);
  return Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
}

export interface ClaimPublishOptions {
  /** Every reference to the claim in the pod is readOnly: publish it read-only. */
  readOnly: boolean;
  /** This pod already has the volume (a re-check): skip the single-writer check. */
  alreadyMounted: boolean;
}

/**
 * Publish the claim's volume for the pod, once per claim however many pod volumes name it (idempotent: the driver
 * answers a repeat publish of the same volume with success). `volName` names the volume in messages.
 */
export async function setUpClaimVolume(deps: CsiVolumeDeps, pod: Pod, volName: string, claimName: string, o: ClaimPublishOptions): Promise<CsiVolumeHost> {
  const ns = pod.metadata.namespace ?? "default";
  const uid = pod.metadata.uid ?? "";
  const { claim, pv } = await boundVolume(deps, ns, claimName, volName);
  const pvName = pv.metadata.name ?? "";
  const csi = pv.spec?.csi;
  if (!csi) throw new MountError("FailedMount", `volume ${pvName} is not a CSI volume; this node only mounts ${DRIVER_NAME} volumes`, pvName);
  if (csi.driver !== DRIVER_NAME) {
    throw new MountError("FailedMount", `kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: driver name ${csi.driver} not found in the list of registered CSI drivers`, pvName);
  }
  const modes = claim.spec?.accessModes ?? [];
  // A volume this pod already has stays its own; the check is for mounting it.
  if (!o.alreadyMounted && (modes.includes("ReadWriteOncePod") || modes.includes("ReadWriteOnce"))) {
    const conflict = accessModeConflict(pod, claim, pvName, await deps.podsInNamespace(ns));
    if (conflict) throw conflict;
  }
  const readOnly = o.readOnly || !!csi.readOnly;
  const target = deps.layout.csiTarget(uid, pvName);
  const dir = path.dirname(target);
  await fsp.mkdir(dir, { recursive: true, mode: 0o750 });
  const data: VolData = { driverName: csi.driver, volumeHandle: csi.volumeHandle, specVolID: pvName, claim: { namespace: ns, name: claimName }, readOnly };
  await writeVolData(path.join(dir, "vol_data.json"), data);
  const mountFlags = pv.spec?.mountOptions ?? [];
  const principalArn = mountFlags.includes("iam") ? await principalOf(deps, pod) : undefined;
  try {
    await deps.csi.node.nodePublishVolume({
      volumeId: csi.volumeHandle,
      targetPath: target,
      volumeCapability: { mount: { mountFlags }, accessMode: { mode: CSI_MODES[pv.spec?.accessModes?.[0] ?? "ReadWriteOnce"] ?? "SINGLE_NODE_WRITER" } },
      readonly: readOnly,
      volumeContext: csi.volumeAttributes,
      secrets: await publishSecrets(deps, pv),
      ...(principalArn ? { principalArn } : {}),
    });
  } catch (e) {
    throw new MountError("FailedMount", isCsiError(e) ? e.describe() : (e as Error).message, pvName);
  }
  return { hostPath: target, readOnly, pvName, volumeHandle: csi.volumeHandle, claimName };
}
