import { describe, expect, it } from "vitest";
import type { KubeEvent, Node, PersistentVolumeClaim, Pod, StorageClass } from "../model/types.js";
import { ANN_SELECTED_NODE } from "../model/constants.js";
import { explainPod } from "./explain-pod.js";
import { renderExplanation } from "./render.js";
import type { ExplainSnapshot } from "./snapshot.js";

const readyNode = (name = "n1", ready = "True"): Node => ({ apiVersion: "v1", kind: "Node", metadata: { name }, status: { conditions: [{ type: "Ready", status: ready }] } });
const snap = (p: Partial<ExplainSnapshot>): ExplainSnapshot => ({ claims: [], volumes: [], classes: [], pods: [], nodes: [readyNode()], events: [], ...p });
const cond = (type: string, status: string, reason?: string) => ({ type, status, ...(reason ? { reason } : {}) });

/** A pod on n1 whose node reports `containerStatuses` and `conditions`; its one volume mounts claim `data` when `claim`. */
function pod(o: { containerStatuses?: unknown[]; conditions?: { type: string; status: string; reason?: string }[]; phase?: string; image?: string; claim?: boolean; restartPolicy?: string; sa?: string } = {}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", namespace: "app", uid: "uid-web" },
    spec: {
      nodeName: "n1",
      restartPolicy: o.restartPolicy ?? "Always",
      serviceAccountName: o.sa,
      containers: [{ name: "c", image: o.image ?? "busybox" }],
      volumes: o.claim ? [{ name: "d", persistentVolumeClaim: { claimName: "data" } }] : [],
    },
    status: { phase: o.phase ?? "Pending", conditions: o.conditions, containerStatuses: o.containerStatuses },
  };
}
const waiting = (reason: string, message?: string, extra: object = {}) => ({ name: "c", image: "nginx:1.27", ready: false, restartCount: 0, state: { waiting: { reason, message } }, ...extra });
const notStarted = [cond("PodReadyToStartContainers", "False"), cond("Initialized", "True"), cond("Ready", "False", "ContainersNotReady"), cond("ContainersReady", "False", "ContainersNotReady"), cond("PodScheduled", "True")];
const started = notStarted.map((c) => (c.type === "PodReadyToStartContainers" ? cond(c.type, "True") : c));
let seq = 0;
function warning(reason: string, message: string, minute = 0): KubeEvent {
  seq++;
  return { apiVersion: "v1", kind: "Event", metadata: { name: `e${seq}`, namespace: "app" }, involvedObject: { kind: "Pod", namespace: "app", name: "web", uid: "uid-web" }, type: "Warning", reason, message, count: 1, lastTimestamp: `2026-11-24T20:${String(minute).padStart(2, "0")}:00Z`, source: { component: "kubelet" } };
}

describe("cistern explain pod: scheduled but not starting", () => {
  it("an image that is not on the node: the pull error from the event, and how to import the image", () => {
    const p = pod({ image: "nginx:1.27", conditions: started, containerStatuses: [waiting("ImagePullBackOff", 'Back-off pulling image "nginx:1.27"')] });
    const events = [warning("Failed", 'Failed to pull image "nginx:1.27": image "nginx:1.27" (docker.io/library/nginx:1.27) is not present on this node; this runtime does not pull — import it, or use busybox', 1), warning("Failed", "Error: ImagePullBackOff", 2)];
    const e = explainPod(snap({ pods: [p], events }), "app", "web");
    expect(e.causes.map((c) => c.id)).toEqual(["image-not-present"]);
    expect(e.causes[0].message).toBe(`container c: image "nginx:1.27" is not present on the node (ImagePullBackOff); Cistern does not pull images: import it, or use busybox, which is built in`);
    expect(e.causes[0].fixes).toContain("cistern image import nginx:1.27 image.tar");
    expect(e.summary).toMatch(/^scheduled to n1 but not running: container c: image "nginx:1.27" is not present on the node/);
    expect(e.containers).toEqual([{ name: "c", init: false, state: "Waiting", reason: "ImagePullBackOff", message: 'Back-off pulling image "nginx:1.27"', ready: false, restarts: 0 }]);
  });

  it("FailedMount because FUSE is not usable: the newest mount failure, and how to check FUSE", () => {
    const p = pod({ claim: true, conditions: notStarted, containerStatuses: [waiting("ContainerCreating")] });
    const events = [
      warning("FailedMount", 'MountVolume.SetUp failed for volume "pv-1" : rpc error: code = Internal desc = efs-fuse: daemon exited (1) before mounting /var/lib/x: fuse: device not found', 3),
      warning("FailedMount", "an older one: something else entirely", 1),
    ];
    const claim: PersistentVolumeClaim = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data", namespace: "app", uid: "u" }, spec: { volumeName: "pv-1" }, status: { phase: "Bound" } };
    const e = explainPod(snap({ pods: [p], events, claims: [claim] }), "app", "web");
    expect(e.causes.map((c) => c.id)).toEqual(["fuse-unavailable"]);
    expect(e.causes[0].message).toContain("FUSE is not usable on this machine");
    expect(e.causes[0].message).toContain("FailedMount: MountVolume.SetUp failed for volume \"pv-1\"");
    expect(e.causes[0].fixes).toEqual(["ls -l /dev/fuse", "grep fuse /proc/filesystems", "apt-get install -y fuse3"]);
    expect(e.conditions?.find((c) => c.type === "PodReadyToStartContainers")?.status).toBe("False");
  });

  it("known mount failures map to their fixes: IAM principal, file system policy, daemon not built, missing secret", () => {
    const fixesFor = (message: string, sa?: string) => {
      const e = explainPod(snap({ pods: [pod({ conditions: notStarted, containerStatuses: [waiting("ContainerCreating")], sa })], events: [warning("FailedMount", message)] }), "app", "web");
      return { id: e.causes[0].id, fixes: e.causes[0].fixes };
    };
    expect(fixesFor("mount option iam needs an IAM principal: the pod's service account has no eks.amazonaws.com/role-arn annotation and the node has none configured", "app-sa")).toEqual({
      id: "iam-principal",
      fixes: ["kubectl annotate serviceaccount app-sa -n app eks.amazonaws.com/role-arn=arn:aws:iam::111122223333:role/ROLE"],
    });
    expect(fixesFor("rpc error: code = PermissionDenied desc = mounting fs-12345678: User: arn:aws:iam::123456789012:role/x is not authorized to perform: elasticfilesystem:ClientMount")).toEqual({
      id: "efs-permission",
      fixes: ["aws efs describe-file-system-policy --file-system-id fs-12345678"],
    });
    expect(fixesFor("efs-fuse daemon not found at /opt/cistern/dist/native/efs-fuse: build it")).toEqual({ id: "fuse-not-built", fixes: ["apt-get install -y libfuse3-dev fuse3", "npm run build"] });
    expect(fixesFor('MountVolume.SetUp failed for volume "creds" : secret "db-pass" not found')).toEqual({ id: "object-missing", fixes: ["kubectl get secret db-pass -n app"] });
    expect(fixesFor("something nobody has seen").id).toBe("mount-failed");
  });

  it("a claim that is not bound yet comes before the FailedMount it causes", () => {
    const p = pod({ claim: true, conditions: notStarted, containerStatuses: [waiting("ContainerCreating")] });
    const wait: StorageClass = { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "efs-wait" }, provisioner: "efs.csi.aws.com", volumeBindingMode: "WaitForFirstConsumer" };
    const claim: PersistentVolumeClaim = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", namespace: "app", uid: "u", annotations: { [ANN_SELECTED_NODE]: "n1", "volume.kubernetes.io/storage-provisioner": "efs.csi.aws.com" } },
      spec: { storageClassName: "efs-wait", accessModes: ["ReadWriteMany"], resources: { requests: { storage: "5Gi" } } },
      status: { phase: "Pending" },
    };
    const events = [warning("FailedMount", "Unable to attach or mount volumes: unmounted volumes=[d], unattached volumes=[d], failed to process volumes=[d]: error processing PVC app/data: PVC is not bound")];
    const e = explainPod(snap({ pods: [p], claims: [claim], classes: [wait], events }), "app", "web");
    expect(e.causes.map((c) => c.id)).toEqual(["external-provisioning"]);
    expect(e.causes[0].message).toBe('claim data: waiting for the external provisioner "efs.csi.aws.com" to create a volume');
  });

  it("volumes still being set up, and a pod the node has not reported on", () => {
    const e = explainPod(snap({ pods: [pod({ conditions: notStarted, containerStatuses: [waiting("ContainerCreating")] })] }), "app", "web");
    expect(e.causes.map((c) => c.id)).toEqual(["volumes-pending"]);
    const fresh = explainPod(snap({ pods: [pod()] }), "app", "web");
    expect(fresh.causes.map((c) => c.id)).toEqual(["not-reported"]);
    expect(renderExplanation(fresh)).toContain("(not reported by the node yet)");
  });

  it("container errors: config, runtime, crash loop, a failed run that is not restarted", () => {
    const causeOf = (status: unknown, o: { restartPolicy?: string; phase?: string } = {}) => explainPod(snap({ pods: [pod({ conditions: started, containerStatuses: [status], ...o })] }), "app", "web").causes[0];
    expect(causeOf(waiting("CreateContainerConfigError", 'configmap "settings" not found'))).toMatchObject({ id: "container-config", fixes: ["kubectl get configmap settings -n app"] });
    expect(causeOf(waiting("RunContainerError", 'the native helper is not built: run "npm run build"'))).toMatchObject({ id: "container-start", fixes: ["npm run build"] });
    const crash = causeOf(waiting("CrashLoopBackOff", "back-off 40s restarting failed container=c", { restartCount: 3, lastState: { terminated: { exitCode: 1, reason: "Error" } } }));
    expect(crash).toMatchObject({ id: "crash-loop", message: "container c keeps failing: its last run ended with exit code 1, Error; restarted 3 times, now waiting out a back-off" });
    expect(crash.fixes[0]).toBe("kubectl logs web -c c -n app --previous");
    const failed = causeOf({ name: "c", ready: false, restartCount: 0, state: { terminated: { exitCode: 2, reason: "Error" } } }, { restartPolicy: "Never", phase: "Failed" });
    expect(failed).toMatchObject({ id: "container-failed", fixes: ["kubectl logs web -c c -n app"] });
    expect(causeOf(waiting("InvalidImageName", "couldn't parse image name"))).toMatchObject({ id: "invalid-image" });
    const refused = explainPod(snap({ pods: [pod({ image: "bad:1", conditions: started, containerStatuses: [waiting("ErrImagePull", "x")] })], events: [warning("Failed", 'Failed to pull image "bad:1": image layer escapes the rootfs')] }), "app", "web").causes[0];
    expect(refused).toMatchObject({ id: "image-unusable", message: 'container c: image "bad:1" cannot be used (ErrImagePull: image layer escapes the rootfs)' });
    const noBusybox = explainPod(snap({ pods: [pod({ conditions: started, containerStatuses: [waiting("ErrImagePull")] })], events: [warning("Failed", 'Failed to pull image "busybox": busybox image unavailable: cannot read /usr/bin/busybox (install busybox-static)')] }), "app", "web").causes[0];
    expect(noBusybox).toMatchObject({ id: "busybox-missing", fixes: ["apt-get install -y busybox-static"] });
    // After `kubectl set image`, the node reports the old failure until its back-off ends.
    const changed = explainPod(snap({ pods: [pod({ image: "busybox", conditions: started, containerStatuses: [waiting("ImagePullBackOff")] })], events: [warning("Failed", 'Failed to pull image "nginx:1.27": image "nginx:1.27" is not present on this node')] }), "app", "web").causes[0];
    expect(changed).toMatchObject({ id: "image-changed", message: 'container c: image "nginx:1.27" was not present on the node (ImagePullBackOff); the pod now names "busybox", which the node tries once its back-off ends (up to 5 minutes)' });
  });

  it("running but not ready: the probe's warning", () => {
    const p = pod({ phase: "Running", conditions: [cond("PodReadyToStartContainers", "True"), cond("Ready", "False"), cond("ContainersReady", "False")], containerStatuses: [{ name: "c", ready: false, restartCount: 0, state: { running: {} } }] });
    const e = explainPod(snap({ pods: [p], events: [warning("Unhealthy", "Readiness probe failed: connection refused")] }), "app", "web");
    expect(e.causes).toEqual([{ id: "not-ready", message: "container c runs but is not ready (Readiness probe failed: connection refused)", fixes: ["kubectl describe pod web -n app"] }]);
    expect(e.summary).toMatch(/^running on n1 but not ready: /);
  });

  it("a node that is not Ready is the first cause", () => {
    const e = explainPod(snap({ pods: [pod({ conditions: started, containerStatuses: [waiting("ImagePullBackOff")] })], nodes: [readyNode("n1", "Unknown")] }), "app", "web");
    expect(e.causes.map((c) => c.id)).toEqual(["node-not-ready", "image-not-present"]);
  });

  it("a healthy pod has nothing to fix; the text shows containers and conditions", () => {
    const p = pod({ phase: "Running", conditions: [cond("PodReadyToStartContainers", "True"), cond("Ready", "True"), cond("ContainersReady", "True")], containerStatuses: [{ name: "c", ready: true, restartCount: 1, state: { running: {} }, lastState: { terminated: { exitCode: 137, reason: "Error" } } }] });
    const e = explainPod(snap({ pods: [p], events: [warning("FailedMount", "long gone", 0)] }), "app", "web");
    expect(e.summary).toBe("running on n1; all containers ready");
    expect(e.causes).toEqual([]);
    const text = renderExplanation(e);
    expect(text).toMatch(/c\s+Running\s+yes\s+1\s+last run: exit code 137, Error/);
    expect(text).toMatch(/ContainersReady\s+True/);
  });
});
