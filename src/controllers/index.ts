/**
 * Cistern's controllers: the PersistentVolume binder, pvc/pv protection, the volume-aware
 * scheduler, volume expansion, and the namespace and serviceaccount controllers — plus the pure
 * decision functions they run, exported for tests and for `cistern explain`.
 *
 * Model: every controller is level-based. It reads informer caches, decides with a pure function
 * (upstream Kubernetes' rules, test-for-test: binder_test, index_test, provision_test,
 * delete_test), and performs the decision as writes that each carry the resourceVersion they were
 * computed from; a 409 means "decide again".
 *
 * Invariants:
 *   - a PV is never bound to two claims: the PV's claimRef (with the claim's uid) is written first
 *     and conditionally; a claim bound elsewhere rolls a controller-made binding back;
 *   - binding survives a crash between any two of its four writes (PV claimRef → PV status →
 *     PVC volumeName → PVC status): each sync finishes what the durable state says is started;
 *   - at most one sync touches a given volume at a time, and at most one a given claim;
 *   - data is never deleted here: Delete reclaim is handed to the volume's provisioner.
 */
export { startControllers, type RunningControllers, type StartControllersOptions } from "./start.js";

// PV binder decisions.
export { evaluateVolume, findMatchingVolume, checkVolumeSatisfyClaim, type MatchOptions, type RejectRule, type Evaluation } from "./binder/match-volume.js";
export { VolumeIndex } from "./binder/volume-index.js";
export { syncClaim } from "./binder/sync-claim.js";
export { syncVolume } from "./binder/sync-volume.js";
export { bind, unbindVolume, volumeBoundToClaim } from "./binder/bind.js";
export { deleterFor, reclaimVolume } from "./binder/reclaim.js";
export { pickDefaultClass, isDelayBindingMode } from "./binder/provision.js";
export { executeSteps, type StepTarget, type ExecutionResult } from "./binder/execute.js";
export type { Decision, Step } from "./binder/plan.js";
export type { BinderView } from "./binder/view.js";

// Other controllers' decisions.
export { pvcProtectionAction, pvProtectionAction, podBlocksClaimDeletion, type FinalizerAction } from "./protection/decide.js";
export { schedulePod, type ScheduleResult } from "./scheduler/schedule-pod.js";
export type { SchedulerSnapshot } from "./scheduler/snapshot.js";
export { nextExpansionStep, type ExpansionStep } from "./expansion/decide.js";

// cistern explain.
export { explainClaim } from "./explain/explain-claim.js";
export { explainVolume } from "./explain/explain-volume.js";
export { explainPod } from "./explain/explain-pod.js";
export { renderExplanation } from "./explain/render.js";
export { gatherSnapshot } from "./explain/gather.js";
export type { ExplainSnapshot } from "./explain/snapshot.js";
export type { Explanation, Cause, CandidateLine, EventLine } from "./explain/report.js";

export * as constants from "./model/constants.js";
export type * from "./model/types.js";
