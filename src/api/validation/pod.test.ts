import { describe, it, expect } from "vitest";
import type { KubeObject } from "../types.js";
import { guidePod } from "../testing/guide-fixtures.js";
import { create, invalidMessage, messages, stored, update } from "../testing/harness.js";
import { validatePodBinding } from "./pod.js";

type AnyPod = KubeObject & { spec: any; status?: any };
const pod = (mutate: (p: AnyPod) => void = () => undefined): AnyPod => {
  const obj = guidePod<AnyPod>();
  mutate(obj);
  return obj;
};

const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe("Pod create validation (upstream messages)", () => {
  it("accepts the guide's pod", () => {
    expect(messages(create(pod()))).toEqual([]);
  });

  it("defaults a volume without source to emptyDir (so it is valid)", () => {
    const p = pod((p) => (p.spec.volumes = [{ name: "scratch" }, ...p.spec.volumes]));
    expect(messages(create(p))).toEqual([]);
    expect(p.spec.volumes[0]).toEqual({ name: "scratch", emptyDir: {} });
  });

  const cases: [string, (p: AnyPod) => void, string[]][] = [
    ["no containers", (p) => (p.spec.containers = []), ["spec.containers: Required value"]],
    ["an upper-case container name", (p) => (p.spec.containers[0].name = "App"), [`spec.containers[0].name: Invalid value: "App": ${LABEL_MSG}`]],
    [
      "duplicate container names",
      (p) => p.spec.containers.push({ name: "app", image: "busybox" }),
      ['spec.containers[1].name: Duplicate value: "app"'],
    ],
    ["a container without image", (p) => delete p.spec.containers[0].image, ["spec.containers[0].image: Required value"]],
    [
      "a mount of an unknown volume",
      (p) => (p.spec.containers[0].volumeMounts[0].name = "nope"),
      ['spec.containers[0].volumeMounts[0].name: Not found: "nope"'],
    ],
    [
      "an absolute subPath (reported at upstream's unindexed path)",
      (p) => (p.spec.containers[0].volumeMounts[0].subPath = "/etc"),
      ['spec.containers[0].volumeMounts.subPath: Invalid value: "/etc": must be a relative path'],
    ],
    [
      "a subPath escaping with ..",
      (p) => (p.spec.containers[0].volumeMounts[0].subPath = "a/../../etc"),
      ["spec.containers[0].volumeMounts.subPath: Invalid value: \"a/../../etc\": must not contain '..'"],
    ],
    [
      "the same mountPath twice",
      (p) => p.spec.containers[0].volumeMounts.push({ name: "efs-vol", mountPath: "/data" }),
      ['spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique'],
    ],
    [
      "a volume with two sources",
      (p) => (p.spec.volumes[0].hostPath = { path: "/tmp" }),
      [
        "spec.volumes[0].persistentVolumeClaim: Forbidden: may not specify more than 1 volume type",
        'spec.containers[0].volumeMounts[0].name: Not found: "efs-vol"',
      ],
    ],
    [
      "a claim volume without claimName",
      (p) => (p.spec.volumes[0].persistentVolumeClaim = {}),
      ["spec.volumes[0].persistentVolumeClaim.claimName: Required value", 'spec.containers[0].volumeMounts[0].name: Not found: "efs-vol"'],
    ],
    [
      "duplicate volume names",
      (p) => p.spec.volumes.push({ name: "efs-vol", emptyDir: {} }),
      ['spec.volumes[1].name: Duplicate value: "efs-vol"'],
    ],
    ["an invalid volume name", (p) => (p.spec.volumes.push({ name: "Data", emptyDir: {} })), [`spec.volumes[1].name: Invalid value: "Data": ${LABEL_MSG}`]],
    [
      "an unknown restart policy",
      (p) => (p.spec.restartPolicy = "Sometimes"),
      ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ],
    [
      "an unknown image pull policy",
      (p) => (p.spec.containers[0].imagePullPolicy = "Maybe"),
      ['spec.containers[0].imagePullPolicy: Unsupported value: "Maybe": supported values: "Always", "IfNotPresent", "Never"'],
    ],
    [
      "a port out of range",
      (p) => (p.spec.containers[0].ports = [{ containerPort: 70000 }]),
      ["spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"],
    ],
    [
      "requests above limits",
      (p) => (p.spec.containers[0].resources = { requests: { cpu: "2" }, limits: { cpu: "1" } }),
      ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
    ],
    [
      "an activeDeadlineSeconds of 0",
      (p) => (p.spec.activeDeadlineSeconds = 0),
      ["spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"],
    ],
    [
      "an emptyDir with a negative size limit",
      (p) => p.spec.volumes.push({ name: "tmp", emptyDir: { sizeLimit: "-1Mi" } }),
      ["spec.volumes[1].emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity"],
    ],
    [
      "a toleration without key and Exists",
      (p) => (p.spec.tolerations = [{ operator: "Equal", value: "x" }]),
      ['spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"'],
    ],
    [
      "an ephemeral volume whose claim spec is invalid",
      (p) => p.spec.volumes.push({ name: "scratch", ephemeral: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"] } } } }),
      ["spec.volumes[1].ephemeral.volumeClaimTemplate.spec.resources[storage]: Required value"],
    ],
  ];
  for (const [name, mutate, want] of cases) {
    it(`rejects ${name}`, () => {
      expect(messages(create(pod(mutate)))).toEqual(want);
    });
  }

  it("puts the kind and name in the 422 message", () => {
    const p = pod((p) => (p.spec.containers = []));
    expect(invalidMessage(p, create(p))).toBe('Pod "app-pod" is invalid: spec.containers: Required value');
  });
});

describe("Pod update validation", () => {
  const FIELDS =
    "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

  it("allows image changes (but not the pull policy that came with the old image)", () => {
    const old = stored(pod());
    const next = structuredClone(old) as AnyPod;
    next.spec.containers[0].image = "busybox:1.36";
    expect(messages(update(next, old))).toEqual([]);
    next.spec.containers[0].imagePullPolicy = "IfNotPresent";
    expect(messages(update(next, old))[0]).toContain('+ spec.containers[0].imagePullPolicy: "IfNotPresent"');
  });

  it("forbids other spec changes with upstream's message and a diff", () => {
    const old = stored(pod());
    const next = structuredClone(old) as AnyPod;
    next.spec.containers[0].command = ["sleep", "1"];
    const msgs = messages(update(next, old));
    expect(msgs).toHaveLength(1);
    expect(msgs[0].startsWith(`spec: Forbidden: ${FIELDS}\n`)).toBe(true);
    expect(msgs[0]).toContain('+ spec.containers[0].command: ["sleep","1"]');
  });

  it("forbids adding a container", () => {
    const old = stored(pod());
    const next = structuredClone(old) as AnyPod;
    next.spec.containers.push({ name: "side", image: "busybox" });
    expect(messages(update(next, old))).toContain("spec.containers: Forbidden: pod updates may not add or remove containers");
  });

  it("allows adding tolerations and shortening activeDeadlineSeconds, not lengthening it", () => {
    const old = stored(pod((p) => (p.spec.activeDeadlineSeconds = 100)));
    const next = structuredClone(old) as AnyPod;
    next.spec.tolerations = [{ key: "k", operator: "Exists", effect: "NoSchedule" }];
    next.spec.activeDeadlineSeconds = 50;
    expect(messages(update(next, old))).toEqual([]);
    const longer = structuredClone(old) as AnyPod;
    longer.spec.activeDeadlineSeconds = 200;
    expect(messages(update(longer, old))).toEqual(["spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"]);
  });

  it("status updates may not move nodeName, nor resurrect a terminated container of a Never pod", () => {
    const old = stored(pod((p) => (p.spec.restartPolicy = "Never")));
    old.spec.nodeName = "node-1";
    old.status = { phase: "Succeeded", qosClass: "BestEffort", containerStatuses: [{ name: "app", ready: false, restartCount: 0, image: "busybox", imageID: "", state: { terminated: { exitCode: 0 } } }] };
    const next = structuredClone(old) as AnyPod;
    next.status.containerStatuses[0].state = { running: {} };
    expect(messages(update(next, old, "status"))).toEqual(["status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state"]);
  });
});

describe("pod binding", () => {
  it("needs a Node target with a name", () => {
    expect(messages(validatePodBinding({ target: { kind: "Node", name: "n1" } }))).toEqual([]);
    expect(messages(validatePodBinding({ target: { kind: "Pod" } }))).toEqual([
      'target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"',
      "target.name: Required value",
    ]);
  });
});
