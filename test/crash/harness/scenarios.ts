/**
 * The two scenarios the crash test runs, with their sizes from the environment:
 *   binding       CISTERN_CRASH_KILLS kills during CISTERN_CRASH_BINDS binds
 *   provisioning  CISTERN_CRASH_PROV_KILLS kills during CISTERN_CRASH_VOLUMES provision/write/delete cycles
 *   pods          CISTERN_CRASH_POD_KILLS kills during CISTERN_CRASH_PODS pods (run by the node agent) writing to volumes
 * CISTERN_CRASH_FULL=1 switches every default to the acceptance figures (50 / 10,000, 20 / 200) and 20 / 100 pods.
 */
import { checkBinding, checkDeletedLeaveNothing, checkNoLeakedMounts, checkRetained } from "./checks-volumes.js";
import { mountPoints } from "./final-state.js";
import type { FailpointChoice, KillPlan } from "./killer.js";
import type { Scenario } from "./scenario.js";
import { BIND_NS, runBindingWorkload, settleBinding } from "./workload-binding.js";
import { CLASSES, HARNESS_NODE, PROV_NS, runProvisioningWorkload, settleProvisioning, type ProvisioningOutcome } from "./workload-provisioning.js";
import { POD_CLASS, POD_NS, runPodWorkload, settlePods, type PodOutcome } from "./workload-pods.js";

const FULL = process.env.CISTERN_CRASH_FULL === "1";

function envInt(name: string, ci: number, full: number): number {
  const v = process.env[name];
  if (v === undefined || v === "") return FULL ? full : ci;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}=${v} is not a non-negative integer`);
  return n;
}

export const sizes = {
  bindKills: envInt("CISTERN_CRASH_KILLS", 6, 50),
  binds: envInt("CISTERN_CRASH_BINDS", 400, 10_000),
  provKills: envInt("CISTERN_CRASH_PROV_KILLS", 4, 20),
  volumes: envInt("CISTERN_CRASH_VOLUMES", 16, 200),
  podKills: envInt("CISTERN_CRASH_POD_KILLS", 3, 20),
  pods: envInt("CISTERN_CRASH_PODS", 6, 100),
};

// Commits are grouped (one per batch of writes), so a few dozen commits already reach deep into a batch
// of work. The compaction and checkpoint failpoints are left out: `cistern up` compacts once a minute,
// far beyond an incarnation's life here (src/store/sqlite/crash.test.ts kills compaction itself).
const STORE_FAILPOINTS: FailpointChoice[] = [
  { name: "store.sqlite.beforeCommit", hits: [1, 60] },
  { name: "store.sqlite.afterCommit", hits: [1, 60] },
];
const BINDER_FAILPOINTS: FailpointChoice[] = [
  { name: "pv-binder/before-write", hits: [1, 200] },
  { name: "pv-binder/after-write", hits: [1, 200] },
];
const EFS_FAILPOINTS: FailpointChoice[] = [
  { name: "efs.meta.before-commit", hits: [1, 30] },
  { name: "efs.meta.after-commit", hits: [1, 30] },
];

// Between a container's create and its start (the node agent runs inside `cistern up`); an incarnation
// creates only a few containers, so the hit comes early.
const NODE_FAILPOINTS: FailpointChoice[] = [{ name: "node.runtime.afterCreate", hits: [1, 3] }];

function plan(kills: number, failpoints: FailpointChoice[], lifeMs: [number, number]): KillPlan {
  return { kills, failpointShare: 0.5, failpoints, lifeMs };
}

export function bindingScenario(): Scenario<{ count: number }> {
  const count = sizes.binds;
  return {
    name: "binding",
    plan: plan(sizes.bindKills, [...STORE_FAILPOINTS, ...BINDER_FAILPOINTS], [300, 3000]),
    watched: ["persistentvolumes", "persistentvolumeclaims"],
    listed: ["persistentvolumes", "persistentvolumeclaims", "namespaces"],
    basePaths: [],
    async workload({ link, history }) {
      await runBindingWorkload(link, history, { count, batches: sizes.bindKills + 1 });
      return { count };
    },
    async settle({ link }, w) {
      const left = await settleBinding(link, w.count, 180_000 + w.count * 30);
      return left === 0 ? [] : [`${left} of ${w.count} claims not Bound`];
    },
    check(_w, final) {
      return checkBinding(final.pvs, final.pvcs, (c) => c.metadata.namespace === BIND_NS);
    },
  };
}

export function provisioningScenario(): Scenario<ProvisioningOutcome> {
  return {
    name: "provisioning",
    plan: plan(sizes.provKills, [...STORE_FAILPOINTS, ...BINDER_FAILPOINTS, ...EFS_FAILPOINTS], [500, 4000]),
    watched: ["persistentvolumes", "persistentvolumeclaims"],
    listed: ["persistentvolumes", "persistentvolumeclaims", "namespaces", "storageclasses"],
    basePaths: CLASSES.map((c) => c.basePath),
    workload: ({ link, history, dataDir }) => runProvisioningWorkload(link, history, dataDir, { count: sizes.volumes, batches: sizes.provKills + 1 }),
    settle: ({ link }, w) => settleProvisioning(link, w, 180_000),
    figures: (w) => ({ retainedWithData: w.sentinels.length, deletedVolumes: w.deleted.length }),
    check(w, final, volumes, efs) {
      return [
        ...w.failures.map((f) => `workload: ${f}`),
        ...checkBinding(final.pvs, final.pvcs, (c) => c.metadata.namespace === PROV_NS),
        ...checkRetained(w.sentinels, volumes),
        ...checkDeletedLeaveNothing(w.deleted, CLASSES.map((c) => c.basePath), volumes),
        ...leakedClientMounts(efs),
      ];
    },
  };
}

/**
 * Mounts the EFS service still tracks for anyone but the harness itself (whose replies a crash may
 * have eaten). Every one is a violation, the CSI driver's root mounts ("<node>:root") included: a
 * driver killed between such a mount and its release has its successor release it at start
 * (regression test: root-mount-release.test.ts).
 */
export function leakedClientMounts(efs: { mounts: { MountId: string; NodeId?: string; Path?: string }[] }): string[] {
  return efs.mounts
    .filter((m) => m.NodeId !== HARNESS_NODE)
    .map((m) => `mount: the EFS service still tracks client mount ${m.MountId} of node ${m.NodeId ?? "?"} (${m.Path ?? ""})`);
}

export function podScenario(): Scenario<PodOutcome> {
  return {
    name: "pods",
    plan: plan(sizes.podKills, [...STORE_FAILPOINTS, ...EFS_FAILPOINTS, ...NODE_FAILPOINTS], [2000, 8000]),
    watched: ["pods", "persistentvolumeclaims"],
    listed: ["pods", "persistentvolumes", "persistentvolumeclaims", "namespaces", "storageclasses"],
    basePaths: [POD_CLASS.basePath],
    workload: ({ link, history, dataDir }) => runPodWorkload(link, history, dataDir, { pods: sizes.pods, claims: 3, batches: sizes.podKills + 1 }),
    settle: ({ link }) => settlePods(link, 240_000),
    figures: (w) => ({ podsThatRanAndWrote: w.running }),
    check(w, final, volumes, efs, ctx) {
      const data = w.sentinels.flatMap((s) => {
        const sum = volumes.checksum(s.file);
        return sum === s.sha256 ? [] : [`pods: ${s.file}, written by a pod that was Running, is ${sum === undefined ? "gone" : "changed"}`];
      });
      return [
        ...w.failures.map((f) => (f.startsWith("known:") ? f : `workload: ${f}`)),
        ...data,
        ...checkBinding(final.pvs, final.pvcs, (c) => c.metadata.namespace === POD_NS),
        // With every pod gone and the node agent still running, nothing may be mounted under the data directory.
        ...checkNoLeakedMounts(ctx.dataDir, mountPoints(), []).map((m) => `${m} (all pods deleted, agent running)`),
        ...leakedClientMounts(efs),
      ];
    },
  };
}
