/**
 * Crash-consistency harness: runs `cistern up` (API server, store, controllers, EFS service, node
 * agent) as a child process on one data directory, drives a workload (binding, provisioning and
 * deletion, pod churn) through whichever incarnation is up, kills it (SIGKILL at a random moment, or an armed
 * failpoint exiting in the middle of a commit, a binding write or an EFS metadata write), restarts
 * it on the same directory, and in the end checks the history against the final state.
 *
 * Model: every 2xx the workload receives is recorded (JSON lines, with resourceVersion and UID);
 * watch streams are recorded across restarts the way a reflector resumes them. A request whose
 * reply was lost is never counted. Invariants checked (see checks-api.ts, checks-volumes.ts):
 * acknowledged writes durable, revisions never rewound, watches without gap or duplicate, PV↔PVC
 * bindings one-to-one with UIDs, Retain data present, Delete leaving no access point, directory or
 * PV, no leaked mounts.
 */
export { runScenario, type Scenario, type ScenarioReport } from "./scenario.js";
export { bindingScenario, podScenario, provisioningScenario, sizes } from "./scenarios.js";
export { checkAcknowledgedWrites, checkNoRewind, checkWatches, type FinalList, type FinalObject } from "./checks-api.js";
export { checkBinding, checkDeletedLeaveNothing, checkNoLeakedMounts, checkRetained, type Pv, type Pvc, type Sentinel, type VolumeFacts } from "./checks-volumes.js";
export { History, type HistoryRecord, type AckRecord, type WatchRecord } from "./history.js";
