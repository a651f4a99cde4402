/**
 * `cistern explain pod` once the pod is scheduled: why it does not run (or is not ready). The stages are
 * checked in the order the node goes through them, and the causes are reported in that order, so the first
 * is the stage the pod is stuck at:
 *   node       the node exists and is Ready (its agent posts status);
 *   claims     every claim the pod mounts is Bound (else the claim's own first cause);
 *   volumes    PodReadyToStartContainers: until it is True and while nothing has run, the newest FailedMount /
 *              FailedAttachVolume event says why (or the volumes are still being set up);
 *   containers each container's waiting reason, or a failed run that is not restarted;
 *   ready      running containers that are not ready (the newest Unhealthy event says why).
 * Only a Warning event of a stage the pod has not passed is used: events stay an hour, a pod moves on sooner.
 */
import type { KubeEvent, Pod } from "../model/types.js";
import { podClaimNames } from "../model/volume-helpers.js";
import { containerCause } from "./container-causes.js";
import { explainClaim } from "./explain-claim.js";
import { Fix } from "./fixes.js";
import { mountCause } from "./mount-causes.js";
import { anyContainerStarted, containerSpecs, containerStatuses, podCondition } from "./pod-status-view.js";
import type { Cause } from "./report.js";
import { eventsFor, findClaim, type ExplainSnapshot } from "./snapshot.js";

export interface StartDiagnosis {
  summary: string;
  causes: Cause[];
}

function nodeCauses(s: ExplainSnapshot, node: string, ns: string, pod: string): Cause[] {
  const n = s.nodes.find((x) => x.metadata.name === node);
  if (!n) return [{ id: "node-missing", message: `node ${node} does not exist (any more): nothing runs this pod; delete it and create it again`, fixes: ["kubectl get nodes", `kubectl delete pod ${pod} -n ${ns}`] }];
  const ready = (n.status?.conditions ?? []).find((c) => c.type === "Ready");
  if (ready?.status === "True") return [];
  return [{ id: "node-not-ready", message: `node ${node} is not Ready (Ready=${ready?.status ?? "unknown"}): its node agent is not posting status`, fixes: ["kubectl get nodes", `kubectl describe node ${node}`, "cistern up --background"] }];
}

function claimCauses(s: ExplainSnapshot, pod: Pod, ns: string): Cause[] {
  const out: Cause[] = [];
  for (const name of podClaimNames(pod)) {
    const c = findClaim(s, ns, name);
    if (!c) out.push({ id: "claim-missing", message: `claim ${name} does not exist`, fixes: [`kubectl get pvc -n ${ns}`] });
    else if (c.status?.phase !== "Bound") {
      const first = explainClaim(s, ns, name).causes[0];
      out.push(first ? { ...first, message: `claim ${name}: ${first.message}` } : { id: "claim-pending", message: `claim ${name} is ${c.status?.phase ?? "Pending"}`, fixes: [`cistern explain pvc ${name} -n ${ns}`] });
    }
  }
  return out;
}

function volumeCauses(pod: Pod, ns: string, warnings: KubeEvent[]): Cause[] {
  const readyToStart = podCondition(pod, "PodReadyToStartContainers");
  if (readyToStart?.status === "True" || anyContainerStarted(pod)) return [];
  const failed = warnings.find((e) => e.reason === "FailedMount" || e.reason === "FailedAttachVolume");
  const name = pod.metadata.name ?? "";
  if (failed) return [mountCause(failed.reason ?? "FailedMount", failed.message ?? "", { namespace: ns, pod: name, serviceAccount: (pod.spec.serviceAccountName as string | undefined) || "default" })];
  if (!readyToStart) return [{ id: "not-reported", message: "the node has not reported on the pod yet (no PodReadyToStartContainers condition)", fixes: [Fix.events(ns, name)] }];
  return [{ id: "volumes-pending", message: "the node is still setting up the pod's sandbox and volumes (PodReadyToStartContainers is False, no mount has failed)", fixes: [Fix.events(ns, name)] }];
}

function readinessCauses(pod: Pod, ns: string, warnings: KubeEvent[]): Cause[] {
  if (pod.status?.phase !== "Running" || podCondition(pod, "ContainersReady")?.status !== "False") return [];
  const unready = containerStatuses(pod).filter(({ init, status }) => !init && !!status.state?.running && !status.ready).map(({ status }) => status.name);
  if (unready.length === 0) return [];
  const probe = warnings.find((e) => e.reason === "Unhealthy")?.message;
  return [{ id: "not-ready", message: `container ${unready.join(", ")} runs but is not ready${probe ? ` (${probe})` : " (its readiness or startup probe has not passed)"}`, fixes: [Fix.describe("pod", ns, pod.metadata.name ?? "")] }];
}

export function diagnoseScheduledPod(s: ExplainSnapshot, pod: Pod): StartDiagnosis {
  const ns = pod.metadata.namespace ?? "";
  const name = pod.metadata.name ?? "";
  const node = pod.spec.nodeName ?? "";
  const phase = pod.status?.phase ?? "Pending";
  if (phase === "Succeeded") return { summary: `completed on ${node}`, causes: [] };
  const warnings = eventsFor(s, "Pod", ns, name, pod.metadata.uid, 50).filter((e) => e.type === "Warning");
  const images = new Map(containerSpecs(pod).map((c) => [c.name, c.image ?? ""]));
  const restarts = (pod.spec.restartPolicy as string | undefined) !== "Never";
  const claims = claimCauses(s, pod, ns);
  // Volumes cannot be set up before their claims bind; the claim's cause says more than the FailedMount does.
  const causes: Cause[] = [...nodeCauses(s, node, ns, name), ...claims, ...(claims.length ? [] : volumeCauses(pod, ns, warnings))];
  const failedReason = pod.status?.reason;
  if (phase === "Failed" && typeof failedReason === "string") {
    causes.push({ id: "pod-failed", message: `the node failed the pod: ${failedReason}${typeof pod.status?.message === "string" ? `: ${pod.status.message}` : ""}`, fixes: [Fix.describe("pod", ns, name)] });
  }
  for (const { status } of containerStatuses(pod)) {
    const cause = containerCause(status, { namespace: ns, pod: name, image: images.get(status.name) ?? "", warnings, restarts });
    if (cause) causes.push(cause);
  }
  causes.push(...readinessCauses(pod, ns, warnings));
  if (causes.length === 0) {
    if (phase === "Running" && podCondition(pod, "Ready")?.status !== "False") return { summary: `running on ${node}; all containers ready`, causes };
    const last = warnings[0];
    if (last) causes.push({ id: "warning-event", message: `the node's latest warning: ${last.reason ?? ""}: ${last.message ?? ""}`, fixes: [Fix.describe("pod", ns, name)] });
    else return { summary: `scheduled to ${node}; phase ${phase}`, causes };
  }
  const where = phase === "Running" ? `running on ${node} but not ready` : phase === "Failed" ? `failed on ${node}` : `scheduled to ${node} but not running`;
  return { summary: `${where}: ${causes[0].message}`, causes };
}
