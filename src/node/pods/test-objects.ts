/** Builders for unit tests of the pod logic (not exported from the node's index). */
import type { Pod } from "../../api/index.js";
import type { ContainerStatus as RuntimeContainer } from "../runtime/index.js";

export function testPod(over: Partial<NonNullable<Pod["spec"]>> = {}, status?: Pod["status"]): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "app", namespace: "default", uid: "u-1" },
    spec: { containers: [{ name: "app", image: "busybox" }], restartPolicy: "Always", ...over },
    ...(status ? { status } : {}),
  };
}

let seq = 0;
export function rc(name: string, attempt: number, state: RuntimeContainer["state"], extra: Partial<RuntimeContainer> = {}): RuntimeContainer {
  seq++;
  return {
    id: `c${seq}${name}${attempt}`.replace(/[^a-z0-9]/g, ""),
    kind: "container",
    pod: { uid: "u-1", name: "app", namespace: "default" },
    name,
    attempt,
    image: "busybox",
    imageId: "busybox-abc",
    labels: {},
    createdAt: `2024-01-01T00:00:${String(10 + attempt).padStart(2, "0")}.000Z`,
    state,
    logPath: "/x",
    ...(state === "running" ? { startedAt: "2024-01-01T00:01:00.000Z", pid: 42 } : {}),
    ...(state === "exited" ? { startedAt: "2024-01-01T00:01:00.000Z", finishedAt: "2024-01-01T00:02:00.000Z", exitCode: 0, reason: "Completed" } : {}),
    ...extra,
  };
}
