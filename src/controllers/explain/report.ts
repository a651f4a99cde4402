/** The structured answer `cistern explain` gives (printed as text, or as JSON with -o json). */

export interface EventLine {
  type: string;
  reason: string;
  message: string;
  count: number;
  lastSeen?: string;
  source?: string;
}

export interface Cause {
  /** Stable identifier: size, access-mode, storage-class, selector, volume-mode, wait-for-first-consumer, … */
  id: string;
  message: string;
  /** Commands that would fix it (kubectl), most direct first. */
  fixes: string[];
}

export interface CandidateLine {
  volume: string;
  /** undefined = this volume would be bound now. */
  rejectedBy?: string;
  detail: string;
}

/** One container of a pod as its node reports it (explain pod, once scheduled). */
export interface ContainerLine {
  name: string;
  init: boolean;
  /** Waiting, Running, Terminated, or Unknown when the node has not reported it. */
  state: string;
  /** The waiting reason (ImagePullBackOff, …) or, when terminated, how it exited. */
  reason?: string;
  message?: string;
  ready: boolean;
  restarts: number;
  /** How the previous run ended, when it was restarted. */
  lastExit?: string;
}

export interface Explanation {
  kind: "PersistentVolumeClaim" | "PersistentVolume" | "Pod";
  namespace?: string;
  name: string;
  found: boolean;
  phase?: string;
  /** One sentence: why the object is where it is. */
  summary: string;
  facts: [string, string][];
  candidates?: CandidateLine[];
  storageClass?: { name: string; exists: boolean; provisioner?: string; volumeBindingMode?: string; isDefault?: boolean; allowVolumeExpansion?: boolean; state: string };
  pods?: { name: string; node?: string; phase?: string; note: string }[];
  nodes?: { name: string; verdict: string }[];
  containers?: ContainerLine[];
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  causes: Cause[];
  events: EventLine[];
}
