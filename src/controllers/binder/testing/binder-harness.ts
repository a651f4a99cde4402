/**
 * Drives syncClaim/syncVolume the way upstream's PV controller unit tests do (framework_test.go):
 * load initial objects, call one sync (or sync until nothing changes), then compare the stored
 * objects and the emitted events with the expected ones. Builders mirror upstream's newVolume /
 * newClaim fixtures. Test support only.
 */
import { ANN_DYNAMICALLY_PROVISIONED, ANN_STORAGE_PROVISIONER, ANN_BETA_STORAGE_PROVISIONER } from "../../model/constants.js";
import type { AccessMode, ClaimPhase, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass, VolumePhase } from "../../model/types.js";
import { claimKey, podClaimKeys } from "../../model/volume-helpers.js";
import { executeSteps } from "../execute.js";
import { syncClaim } from "../sync-claim.js";
import { syncVolume } from "../sync-volume.js";
import type { Decision } from "../plan.js";
import type { BinderView } from "../view.js";
import { VolumeIndex } from "../volume-index.js";
import { FakeBinderApi, type InjectedError } from "./fake-binder-api.js";

export const TEST_NAMESPACE = "default";
export const MOCK_PLUGIN = "kubernetes.io/mock-volume";

export function newVolume(
  name: string,
  capacity: string,
  boundToClaimUID: string,
  boundToClaimName: string,
  phase: VolumePhase | "",
  reclaimPolicy: string,
  storageClass: string,
  ...annotations: string[]
): PersistentVolume {
  const pv: PersistentVolume = {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name, resourceVersion: "1" },
    spec: {
      capacity: { storage: capacity },
      hostPath: { path: `/tmp/${name}` },
      accessModes: ["ReadWriteOnce", "ReadOnlyMany"],
      persistentVolumeReclaimPolicy: reclaimPolicy,
      storageClassName: storageClass,
      volumeMode: "Filesystem",
    },
    status: { phase },
  };
  if (boundToClaimName) {
    pv.spec.claimRef = { kind: "PersistentVolumeClaim", apiVersion: "v1", namespace: TEST_NAMESPACE, name: boundToClaimName };
    if (boundToClaimUID) pv.spec.claimRef.uid = boundToClaimUID;
  }
  if (annotations.length > 0) {
    pv.metadata.annotations = {};
    for (const a of annotations) pv.metadata.annotations[a] = a === ANN_DYNAMICALLY_PROVISIONED ? MOCK_PLUGIN : "yes";
  }
  return pv;
}

export function newClaim(
  name: string,
  uid: string,
  capacity: string,
  volumeName: string,
  phase: ClaimPhase,
  storageClass: string | undefined,
  ...annotations: string[]
): PersistentVolumeClaim {
  const modes: AccessMode[] = ["ReadWriteOnce", "ReadOnlyMany"];
  const claim: PersistentVolumeClaim = {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name, namespace: TEST_NAMESPACE, uid, resourceVersion: "1" },
    spec: { accessModes: modes, resources: { requests: { storage: capacity } }, volumeMode: "Filesystem" },
    status: { phase },
  };
  if (volumeName) claim.spec.volumeName = volumeName;
  if (storageClass !== undefined) claim.spec.storageClassName = storageClass;
  if (annotations.length > 0) {
    claim.metadata.annotations = {};
    for (const a of annotations) {
      claim.metadata.annotations[a] = a === ANN_STORAGE_PROVISIONER || a === ANN_BETA_STORAGE_PROVISIONER ? MOCK_PLUGIN : "yes";
    }
  }
  if (phase === "Bound") {
    claim.status = { phase, accessModes: [...modes], capacity: { storage: capacity } };
  }
  return claim;
}

export function newClass(name: string, provisioner: string, mode: "Immediate" | "WaitForFirstConsumer" = "Immediate", extra: Partial<StorageClass> = {}): StorageClass {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name },
    provisioner,
    reclaimPolicy: "Delete",
    volumeBindingMode: mode,
    ...extra,
  };
}

export interface SyncCase {
  name: string;
  initialVolumes: PersistentVolume[];
  expectedVolumes: PersistentVolume[];
  initialClaims: PersistentVolumeClaim[];
  expectedClaims: PersistentVolumeClaim[];
  /** "Type Reason[ message prefix]", compared in order, as upstream's checkEvents. */
  expectedEvents: string[];
  test: "claim" | "volume";
  expectError?: boolean;
  classes?: StorageClass[];
  pods?: Pod[];
  /** Uids of claims present in the API but not in the controller's cache (upstream's annSkipLocalStore). */
  notCached?: string[];
  errors?: InjectedError[];
  /** Change the API's state after the first sync and before the rest (multi-sync only). */
  before?: (api: FakeBinderApi) => void;
}

/** A view over explicit caches, with live claim reads going to the fake API. */
export function makeView(api: FakeBinderApi, volumes: PersistentVolume[], claims: PersistentVolumeClaim[], classes: StorageClass[], pods: Pod[]): BinderView {
  const index = new VolumeIndex();
  for (const v of volumes) index.upsert(v);
  const claimMap = new Map(claims.map((c) => [claimKey(c), c]));
  const classMap = new Map(classes.map((c) => [c.metadata.name ?? "", c]));
  return {
    volume: (n) => index.get(n),
    claim: (k) => claimMap.get(k),
    findBestMatch: (c, delay) => index.findBestMatchForClaim(c, delay),
    storageClass: (n) => classMap.get(n),
    storageClasses: () => classes,
    podsForClaim: (k) => pods.filter((p) => podClaimKeys(p).includes(k)),
    liveClaim: (k) => {
      const [ns, name] = k.split("/");
      return (api.get("PersistentVolumeClaim", ns, name) as PersistentVolumeClaim | undefined) ?? null;
    },
  };
}

/** Run a sync, re-running it once with live reads if it asks (as the controller does). */
export async function runDecision(decide: (view: BinderView, live: boolean) => Decision, api: FakeBinderApi, view: BinderView): Promise<Decision> {
  const noLive: BinderView = { ...view, liveClaim: undefined };
  let decision = decide(noLive, false);
  if (decision.needLiveClaim) decision = decide(view, true);
  const result = await executeSteps(decision.steps, api);
  if (!result.ok) return { ...decision, error: String((result.error as Error)?.message ?? result.error) };
  return decision;
}

export function normalize<T extends { metadata: Record<string, unknown>; spec?: unknown; status?: unknown }>(objs: T[]): unknown[] {
  return objs
    .map((o) => {
      const c = structuredClone(o) as T & { kind?: string; apiVersion?: string; spec?: { claimRef?: { resourceVersion?: string; uid?: string } }; status?: { lastPhaseTransitionTime?: string } };
      delete c.metadata.resourceVersion;
      delete c.kind;
      delete c.apiVersion;
      if (c.spec?.claimRef) {
        delete c.spec.claimRef.resourceVersion;
        if (!c.spec.claimRef.uid) delete c.spec.claimRef.uid;
      }
      if (c.status) delete c.status.lastPhaseTransitionTime;
      if (c.metadata.annotations && Object.keys(c.metadata.annotations as object).length === 0) delete c.metadata.annotations;
      return c;
    })
    .sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)));
}

export function eventStrings(api: FakeBinderApi): string[] {
  return api.events.map((e) => `${e.eventType} ${e.reason} ${e.message}`);
}

/** One sync of the first initial claim or volume; returns the API for assertions. */
export async function runSyncCase(c: SyncCase): Promise<{ api: FakeBinderApi; decision: Decision }> {
  const api = new FakeBinderApi(c.initialVolumes, c.initialClaims);
  for (const e of c.errors ?? []) api.errors.push(e);
  // The controller's cache holds the initial claims except those marked as not cached (by uid);
  // with two copies of one claim, the API keeps the last and the cache the first.
  const cache = c.initialClaims.filter((cl) => !(c.notCached ?? []).includes(cl.metadata.uid ?? ""));
  const view = makeView(api, api.volumes(), cache, c.classes ?? [], c.pods ?? []);
  const decision = await runDecision(
    (v) => (c.test === "claim" ? syncClaim(api.get("PersistentVolumeClaim", TEST_NAMESPACE, c.initialClaims[0].metadata.name ?? "") as PersistentVolumeClaim, v) : syncVolume(api.volumes().find((x) => x.metadata.name === c.initialVolumes[0].metadata.name) as PersistentVolume, v)),
    api,
    view,
  );
  return { api, decision };
}

/**
 * Upstream's runMultisyncTests: one sync, then keep syncing whatever changed, then a periodic
 * sync of everything, until a periodic sync changes nothing.
 */
export async function runMultiSyncCase(c: SyncCase, limit = 100): Promise<{ api: FakeBinderApi }> {
  const { api } = await runSyncCase(c);
  c.before?.(api);
  const fresh = () => makeView(api, api.volumes(), api.claims(), c.classes ?? [], c.pods ?? []);
  const syncKey = async (k: string) => {
    const [kind, ns, name] = k.split("/");
    const obj = api.get(kind as "PersistentVolume", ns || undefined, name);
    if (!obj) return;
    await runDecision((v) => (kind === "PersistentVolume" ? syncVolume(obj as PersistentVolume, v) : syncClaim(obj as PersistentVolumeClaim, v)), api, fresh());
  };
  let pending: string[] = [];
  for (let i = 0; i < limit; i++) {
    pending.push(...api.takeChanged(), ...api.enqueued.splice(0).map((k) => `PersistentVolumeClaim/${k}`));
    if (pending.length > 0) {
      const batch = [...new Set(pending)];
      pending = [];
      for (const k of batch) await syncKey(k);
      continue;
    }
    // Nothing left to react to: the periodic sync of everything.
    for (const v of api.volumes()) await syncKey(`PersistentVolume//${v.metadata.name}`);
    for (const cl of api.claims()) await syncKey(`PersistentVolumeClaim/${cl.metadata.namespace}/${cl.metadata.name}`);
    pending.push(...api.takeChanged(), ...api.enqueued.splice(0).map((k) => `PersistentVolumeClaim/${k}`));
    if (pending.length === 0) return { api };
  }
  throw new Error(`${c.name}: no stable state after ${limit} rounds`);
}
