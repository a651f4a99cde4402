/** Finding the runtime container behind /{namespace}/{pod}/{container} requests of the kubelet API. */
import type { Pod } from "../../api/index.js";
import type { ContainerStatus as RuntimeContainer } from "../runtime/index.js";
import { attemptsOf } from "../pods/container-statuses.js";
import { badRequest, notFound } from "./respond.js";

export interface PodLookup {
  byName(namespace: string, name: string): Pod | undefined;
  containersOf(uid: string): RuntimeContainer[];
}

export interface Target {
  pod: Pod;
  container: string;
  /** Newest attempt first. */
  attempts: RuntimeContainer[];
}

export function findTarget(l: PodLookup, ns: string, podName: string, container: string): Target {
  const pod = l.byName(ns, podName);
  if (!pod) throw notFound(`pods "${podName}" not found`);
  const names = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name);
  if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${podName}`);
  return { pod, container, attempts: attemptsOf(l.containersOf(pod.metadata.uid ?? ""), container) };
}

/** The waiting reason the pod status shows for a container (ContainerCreating if none is known). */
export function waitingReason(pod: Pod, container: string): string {
  const all = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  return all.find((s) => s.name === container)?.state?.waiting?.reason ?? (pod.spec?.initContainers?.length ? "PodInitializing" : "ContainerCreating");
}
