/**
 * The few fields of each watched kind the dashboard reads. Objects arrive from the API server as
 * JSON, so every field below is optional and read defensively; the full object is kept for the
 * YAML view.
 */
import type { KubeObject } from "../../api/types.js";

export interface ObjectRef {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
}

export interface PersistentVolume extends KubeObject {
  spec?: {
    capacity?: { storage?: string };
    persistentVolumeReclaimPolicy?: string;
    storageClassName?: string;
    claimRef?: ObjectRef;
    csi?: { driver?: string; volumeHandle?: string };
    accessModes?: string[];
  };
  status?: { phase?: string; message?: string; reason?: string };
}

export interface PersistentVolumeClaim extends KubeObject {
  spec?: { volumeName?: string; storageClassName?: string; resources?: { requests?: { storage?: string } }; accessModes?: string[] };
  status?: { phase?: string; capacity?: { storage?: string } };
}

export interface Pod extends KubeObject {
  spec?: { nodeName?: string; volumes?: { name?: string; persistentVolumeClaim?: { claimName?: string; readOnly?: boolean } }[] };
  status?: { phase?: string };
}

export interface KubeEvent extends KubeObject {
  involvedObject?: ObjectRef;
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

export type KubeNode = KubeObject;

/** "namespace/name" for namespaced objects, "name" for cluster-scoped ones (as client-go's cache keys). */
export function objectKey(o: { metadata: { namespace?: string; name?: string } }): string {
  const name = o.metadata.name ?? "";
  return o.metadata.namespace ? `${o.metadata.namespace}/${name}` : name;
}
