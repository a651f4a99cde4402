/** How the kubelet names a pod in messages (format.Pod): "name_namespace(uid)". */
import type { Pod } from "../../api/index.js";

export function formatPod(pod: Pod): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}
