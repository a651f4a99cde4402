import { describe, expect, it } from "vitest";
import type { ConfigMap, Secret } from "../../api/index.js";
import { buildContainerSpec, type VolumeHost } from "./runtime-spec.js";
import type { PodObjects } from "./objects.js";
import { testPod } from "./test-objects.js";

function objects(cms: ConfigMap[] = [], secrets: Secret[] = []): PodObjects {
  return {
    configMap: async (_ns, name) => cms.find((c) => c.metadata.name === name),
    secret: async (_ns, name) => secrets.find((s) => s.metadata.name === name),
    claim: async () => undefined,
    volume: async () => undefined,
    serviceAccount: async () => undefined,
  };
}

const cm: ConfigMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "default" }, data: { MODE: "fast", "clé": "x", "1X": "y" } };
const secret: Secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "default" }, data: { PASSWORD: Buffer.from("hunter2").toString("base64") } };
const ctx = (o = objects([cm], [secret])) => ({ objects: o, hostIP: "127.0.0.1", allocatable: { cpu: "2", memory: "8Gi" } });
const vols = new Map<string, VolumeHost>([
  ["data", { hostPath: "/r/pods/u/volumes/kubernetes.io~csi/pv/mount", readOnly: false }],
  ["cfg", { hostPath: "/r/pods/u/volumes/kubernetes.io~configmap/cfg", readOnly: true, translateSubPath: (p) => `..2024/${p}` }],
]);

describe("buildContainerSpec", () => {
  it("resolves env (envFrom, references, field refs, secrets) and expands command and args", async () => {
    const pod = testPod({
      nodeName: "n1",
      containers: [
        {
          name: "app",
          image: "busybox",
          envFrom: [{ configMapRef: { name: "cfg" }, prefix: "CFG_" }],
          env: [
            { name: "GREETING", value: "hello" },
            { name: "MSG", value: "$(GREETING) from $(POD_NAME) $(UNSET) $$(GREETING)" },
            { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
            { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
            { name: "PW", valueFrom: { secretKeyRef: { name: "s", key: "PASSWORD" } } },
            { name: "OPT", valueFrom: { configMapKeyRef: { name: "absent", key: "k", optional: true } } },
            { name: "MEM", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } } },
          ],
          command: ["sh", "-c"],
          args: ["echo $(MSG) $(CFG_MODE)"],
        },
      ],
    });
    const { spec, invalidEnvKeys } = await buildContainerSpec(pod, pod.spec!.containers[0], 2, vols, { pod, ...ctx() });
    const env = Object.fromEntries(spec.env!.map((e) => [e.name, e.value]));
    expect(env).toEqual({
      "CFG_1X": "y",
      CFG_MODE: "fast",
      GREETING: "hello",
      MSG: "hello from $(POD_NAME) $(UNSET) $(GREETING)",
      POD_NAME: "app",
      NODE: "n1",
      PW: "hunter2",
      MEM: "8192",
    });
    expect(invalidEnvKeys).toEqual(["Keys [CFG_clé] from the EnvFrom configMap default/cfg were skipped since they are considered invalid environment variable names."]);
    expect(spec.args).toEqual(["echo hello from $(POD_NAME) $(UNSET) $(GREETING) fast"]);
    expect(spec.attempt).toBe(2);
  });

  it("missing references are CreateContainerConfigError with upstream's messages", async () => {
    const mk = (env: NonNullable<ReturnType<typeof testPod>["spec"]>["containers"][number]["env"]) => {
      const pod = testPod({ containers: [{ name: "app", image: "busybox", env }] });
      return buildContainerSpec(pod, pod.spec!.containers[0], 0, vols, { pod, ...ctx() });
    };
    await expect(mk([{ name: "A", valueFrom: { configMapKeyRef: { name: "nope", key: "k" } } }])).rejects.toMatchObject({ reason: "CreateContainerConfigError", message: 'configmap "nope" not found' });
    await expect(mk([{ name: "A", valueFrom: { configMapKeyRef: { name: "cfg", key: "k" } } }])).rejects.toThrow("couldn't find key k in ConfigMap default/cfg");
    await expect(mk([{ name: "A", valueFrom: { secretKeyRef: { name: "nope", key: "k" } } }])).rejects.toThrow('secret "nope" not found');
    await expect(mk([{ name: "A", valueFrom: { fieldRef: { fieldPath: "spec.nope" } } }])).rejects.toThrow("unsupported fieldPath: spec.nope");
  });

  it("maps volume mounts, read-only volumes, subPath translation and subPathExpr", async () => {
    const pod = testPod({
      containers: [
        {
          name: "app",
          image: "busybox",
          env: [{ name: "DIR", value: "logs" }],
          volumeMounts: [
            { name: "data", mountPath: "/data" },
            { name: "data", mountPath: "/logs", subPathExpr: "$(DIR)/x" },
            { name: "cfg", mountPath: "/etc/app.conf", subPath: "app.conf" },
          ],
        },
      ],
    });
    const { spec } = await buildContainerSpec(pod, pod.spec!.containers[0], 0, vols, { pod, ...ctx() });
    expect(spec.mounts).toEqual([
      { containerPath: "/data", hostPath: "/r/pods/u/volumes/kubernetes.io~csi/pv/mount", readOnly: false },
      { containerPath: "/logs", hostPath: "/r/pods/u/volumes/kubernetes.io~csi/pv/mount", subPath: "logs/x", readOnly: false },
      { containerPath: "/etc/app.conf", hostPath: "/r/pods/u/volumes/kubernetes.io~configmap/cfg", subPath: "..2024/app.conf", readOnly: true },
    ]);
    const bad = testPod({ containers: [{ name: "app", image: "busybox", env: [{ name: "D", value: "../.." }], volumeMounts: [{ name: "data", mountPath: "/x", subPathExpr: "$(D)" }] }] });
    await expect(buildContainerSpec(bad, bad.spec!.containers[0], 0, vols, { pod: bad, ...ctx() })).rejects.toThrow(/failed to prepare subPath for volumeMount "data"/);
    const missing = testPod({ containers: [{ name: "app", image: "busybox", volumeMounts: [{ name: "nope", mountPath: "/x" }] }] });
    await expect(buildContainerSpec(missing, missing.spec!.containers[0], 0, vols, { pod: missing, ...ctx() })).rejects.toThrow('cannot find volume "nope" to mount into container "app"');
  });

  it("merges pod security settings under the container's and converts limits", async () => {
    const pod = testPod({
      securityContext: { runAsUser: 1000, runAsGroup: 2000, fsGroup: 3000, supplementalGroups: [4000] },
      containers: [{ name: "app", image: "busybox", securityContext: { runAsUser: 1001, readOnlyRootFilesystem: true }, resources: { limits: { memory: "64Mi", cpu: "250m" } } }],
    });
    const { spec } = await buildContainerSpec(pod, pod.spec!.containers[0], 0, vols, { pod, ...ctx() });
    expect(spec.securityContext).toEqual({ runAsUser: 1001, runAsGroup: 2000, fsGroup: 3000, supplementalGroups: [4000], readOnlyRootFilesystem: true });
    expect(spec.resources).toEqual({ memoryLimitBytes: 64 << 20, cpuMillis: 250 });
  });
});
