import { describe, it, expect } from "vitest";
import { pods, podQOSClass, type Pod } from "./pod.js";
import { imageTag } from "./pod-defaults.js";
import { guidePod } from "../testing/guide-fixtures.js";
import { ctx, stored } from "../testing/harness.js";

describe("Pod defaults (upstream v1 SetDefaults_*)", () => {
  it("fills the pod, spec and container defaults", () => {
    const pod = guidePod<Pod>();
    pods.applyDefaults(pod);
    const spec = pod.spec!;
    expect(spec.restartPolicy).toBe("Always");
    expect(spec.dnsPolicy).toBe("ClusterFirst");
    expect(spec.terminationGracePeriodSeconds).toBe(30);
    expect(spec.schedulerName).toBe("default-scheduler");
    expect(spec.enableServiceLinks).toBe(true);
    expect(spec.securityContext).toEqual({});
    const c = spec.containers[0];
    expect(c.imagePullPolicy).toBe("Always");
    expect(c.terminationMessagePath).toBe("/dev/termination-log");
    expect(c.terminationMessagePolicy).toBe("File");
  });

  it("is idempotent", () => {
    const once = guidePod<Pod>();
    pods.applyDefaults(once);
    const twice = structuredClone(once);
    pods.applyDefaults(twice);
    expect(twice).toEqual(once);
  });

  it("copies limits into missing requests, defaults port protocol and volume modes", () => {
    const pod = guidePod<Pod>();
    pod.spec!.containers[0].resources = { limits: { cpu: "500m", memory: "128Mi" }, requests: { cpu: "250m" } };
    pod.spec!.containers[0].ports = [{ containerPort: 80 }];
    pod.spec!.volumes!.push({ name: "cfg", configMap: { name: "c" } }, { name: "sec", secret: { secretName: "s" } });
    pods.applyDefaults(pod);
    expect(pod.spec!.containers[0].resources!.requests).toEqual({ cpu: "250m", memory: "128Mi" });
    expect(pod.spec!.containers[0].ports![0].protocol).toBe("TCP");
    expect(pod.spec!.volumes![1].configMap!.defaultMode).toBe(420);
    expect(pod.spec!.volumes![2].secret!.defaultMode).toBe(420);
  });

  it("picks imagePullPolicy from the tag as upstream's ParseImageName does", () => {
    expect(imageTag("busybox")).toBe("latest");
    expect(imageTag("busybox:latest")).toBe("latest");
    expect(imageTag("busybox:1.36")).toBe("1.36");
    expect(imageTag("localhost:5000/app")).toBe("latest");
    expect(imageTag("localhost:5000/app:v1")).toBe("v1");
    expect(imageTag("registry.k8s.io/pause@sha256:" + "a".repeat(64))).toBe("");
    expect(imageTag("Busybox")).toBe("");
    const pod = guidePod<Pod>();
    pod.spec!.containers[0].image = "busybox:1.36";
    pods.applyDefaults(pod);
    expect(pod.spec!.containers[0].imagePullPolicy).toBe("IfNotPresent");
  });

  it("keeps serviceAccount and serviceAccountName in step", () => {
    const pod = guidePod<Pod>();
    pod.spec!.serviceAccount = "builder";
    pods.applyDefaults(pod);
    expect(pod.spec!.serviceAccountName).toBe("builder");
  });
});

describe("Pod strategy", () => {
  it("resets status to Pending with the QoS class on create", () => {
    const pod = guidePod<Pod>();
    pod.status = { phase: "Running", podIP: "10.0.0.1" };
    pods.applyDefaults(pod);
    pods.prepareForCreate!(pod, ctx());
    expect(pod.status).toEqual({ phase: "Pending", qosClass: "BestEffort" });
  });

  it("adds the SchedulingGated condition for gated pods", () => {
    const pod = guidePod<Pod>();
    pod.spec!.schedulingGates = [{ name: "wait" }];
    pods.prepareForCreate!(pod, ctx());
    expect(pod.status!.conditions![0]).toMatchObject({ type: "PodScheduled", status: "False", reason: "SchedulingGated" });
  });

  it("status updates keep spec, owner references and the QoS class", () => {
    const old = stored(guidePod<Pod>());
    const next = structuredClone(old);
    next.spec!.nodeName = "elsewhere";
    next.metadata.ownerReferences = [{ apiVersion: "v1", kind: "Node", name: "n", uid: "u" }];
    next.status = { phase: "Running" };
    pods.prepareForUpdate!(next, old, ctx("status"));
    expect(next.spec).toEqual(old.spec);
    expect(next.metadata.ownerReferences).toBeUndefined();
    expect(next.status).toEqual({ phase: "Running", qosClass: "BestEffort" });
  });

  it("computes QoS as upstream", () => {
    const c = (requests?: Record<string, string>, limits?: Record<string, string>) => ({ name: "c", image: "i", resources: { requests, limits } });
    expect(podQOSClass({ containers: [c()] })).toBe("BestEffort");
    expect(podQOSClass({ containers: [c({ cpu: "1", memory: "1Gi" }, { cpu: "1", memory: "1Gi" })] })).toBe("Guaranteed");
    expect(podQOSClass({ containers: [c({ cpu: "1" }, { cpu: "2", memory: "1Gi" })] })).toBe("Burstable");
    expect(podQOSClass({ containers: [c({ cpu: "1", memory: "1Gi" }, { cpu: "1", memory: "1Gi" }), c({ cpu: "1" })] })).toBe("Burstable");
  });

  it("serves upstream's pod field selectors", () => {
    const pod = stored(guidePod<Pod>());
    pod.spec!.nodeName = "node-1";
    pod.status = { phase: "Running", podIPs: [{ ip: "10.1.0.5" }] };
    expect(Object.keys(pods.fieldSelectors).sort()).toEqual([
      "spec.hostNetwork",
      "spec.nodeName",
      "spec.restartPolicy",
      "spec.schedulerName",
      "spec.serviceAccountName",
      "status.nominatedNodeName",
      "status.phase",
      "status.podIP",
    ]);
    expect(pods.fieldSelectors["spec.nodeName"](pod)).toBe("node-1");
    expect(pods.fieldSelectors["status.podIP"](pod)).toBe("10.1.0.5");
    expect(pods.fieldSelectors["spec.hostNetwork"](pod)).toBe("false");
    expect(pods.fieldSelectors["spec.restartPolicy"](pod)).toBe("Always");
  });
});
