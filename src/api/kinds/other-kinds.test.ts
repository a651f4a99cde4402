import { describe, it, expect } from "vitest";
import { create, messages, stored, update, NOW } from "../testing/harness.js";
import { namespaces } from "./namespace.js";
import { nodes } from "./node.js";
import { events } from "./event.js";
import { secrets } from "./secret.js";
import { configMaps } from "./config-map.js";
import { csiDrivers } from "./csi-driver.js";
import { csiNodes } from "./csi-node.js";
import { leases } from "./lease.js";
import { roleBindings } from "./role-binding.js";
import { clusterRoles } from "./cluster-role.js";
import { serviceAccounts } from "./service-account.js";
import type { KubeObject } from "../types.js";

const later = new Date(NOW.getTime() + 3 * 3_600_000 + 2 * 60_000);
const obj = (apiVersion: string, kind: string, name: string, rest: Record<string, unknown> = {}, namespace?: string): KubeObject & Record<string, any> => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  ...rest,
});

describe("Namespace", () => {
  it("is created Active with the kubernetes finalizer and the name label", () => {
    const ns = obj("v1", "Namespace", "team-a");
    expect(messages(create(ns))).toEqual([]);
    expect(ns.status).toEqual({ phase: "Active" });
    expect(ns.spec.finalizers).toEqual(["kubernetes"]);
    expect(ns.metadata.labels).toEqual({ "kubernetes.io/metadata.name": "team-a" });
  });
  it("names are DNS labels", () => {
    expect(messages(create(obj("v1", "Namespace", "a.b")))[0]).toMatch(/^metadata\.name: Invalid value: "a\.b": a lowercase RFC 1123 label/);
  });
  it("status may only say Terminating once deletion started", () => {
    const old = stored(obj("v1", "Namespace", "team-a"));
    const next = structuredClone(old);
    next.status = { phase: "Terminating" };
    expect(messages(update(next, old, "status"))).toEqual(["status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty"]);
  });
  it("prints Name, Status, Age and selects on status.phase", () => {
    const ns = stored(obj("v1", "Namespace", "team-a"));
    expect(namespaces.tableRow(ns as never, later)).toEqual(["team-a", "Active", "3h2m"]);
    expect(namespaces.fieldSelectors["status.phase"](ns as never)).toBe("Active");
  });
});

describe("Node", () => {
  it("defaults allocatable to capacity and prints status, roles and wide info", () => {
    const node = obj("v1", "Node", "node-1", {
      status: {
        capacity: { cpu: "4", memory: "8Gi" },
        conditions: [{ type: "Ready", status: "True" }],
        addresses: [{ type: "InternalIP", address: "10.0.0.2" }],
        nodeInfo: { kubeletVersion: "v1.32.0-cistern", osImage: "Debian", kernelVersion: "6.1", containerRuntimeVersion: "runc://1.1" },
      },
      spec: { unschedulable: true },
    });
    node.metadata.labels = { "node-role.kubernetes.io/control-plane": "" };
    expect(messages(create(node))).toEqual([]);
    expect(node.status.allocatable).toEqual({ cpu: "4", memory: "8Gi" });
    node.metadata.creationTimestamp = NOW.toISOString();
    expect(nodes.tableRow(node as never, later)).toEqual([
      "node-1",
      "Ready,SchedulingDisabled",
      "control-plane",
      "3h2m",
      "v1.32.0-cistern",
      "10.0.0.2",
      "<none>",
      "Debian",
      "6.1",
      "runc://1.1",
    ]);
    expect(nodes.fieldSelectors["spec.unschedulable"](node as never)).toBe("true");
  });
  it("rejects a bad taint effect", () => {
    const node = obj("v1", "Node", "node-1", { spec: { taints: [{ key: "k", effect: "Never" }] } });
    expect(messages(create(node))).toEqual(['spec.taints[0].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"']);
  });
});

describe("Event", () => {
  const ev = () =>
    obj(
      "v1",
      "Event",
      "efs-pvc.17a",
      {
        involvedObject: { kind: "PersistentVolumeClaim", namespace: "default", name: "efs-pvc", uid: "u1", apiVersion: "v1" },
        reason: "ProvisioningSucceeded",
        message: "Successfully provisioned volume pvc-u1 ",
        type: "Normal",
        source: { component: "persistentvolume-controller" },
        firstTimestamp: "2025-01-01T00:00:00Z",
        lastTimestamp: "2025-01-01T03:00:00Z",
        count: 2,
      },
      "default",
    );
  it("validates the involved object's namespace", () => {
    expect(messages(create(ev()))).toEqual([]);
    const bad = ev();
    bad.involvedObject.namespace = "other";
    expect(messages(create(bad))).toEqual(['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
  });
  it("prints upstream's event columns in order, wide included", () => {
    expect(events.tableColumns.map((c) => [c.name, c.priority])).toEqual([
      ["Last Seen", 0],
      ["Type", 0],
      ["Reason", 0],
      ["Object", 0],
      ["Subobject", 1],
      ["Source", 1],
      ["Message", 0],
      ["First Seen", 1],
      ["Count", 1],
      ["Name", 1],
    ]);
    expect(events.tableRow(ev() as never, later)).toEqual(["2m", "Normal", "ProvisioningSucceeded", "persistentvolumeclaim/efs-pvc", "", "persistentvolume-controller", "Successfully provisioned volume pvc-u1", "3h2m", 2, "efs-pvc.17a"]);
  });
  it("serves the involvedObject field selectors kubectl describe uses", () => {
    const e = ev();
    expect(events.fieldSelectors["involvedObject.name"](e as never)).toBe("efs-pvc");
    expect(events.fieldSelectors["involvedObject.kind"](e as never)).toBe("PersistentVolumeClaim");
    expect(events.fieldSelectors["involvedObject.uid"](e as never)).toBe("u1");
    expect(events.fieldSelectors["source"](e as never)).toBe("persistentvolume-controller");
  });
});

describe("Secret and ConfigMap", () => {
  it("secrets default to Opaque and fold stringData into data", () => {
    const s = obj("v1", "Secret", "creds", { stringData: { password: "hunter2" } }, "default");
    expect(messages(create(s))).toEqual([]);
    expect(s.type).toBe("Opaque");
    expect(s.data).toEqual({ password: Buffer.from("hunter2").toString("base64") });
    expect(s.stringData).toBeUndefined();
    expect(secrets.fieldSelectors.type(s as never)).toBe("Opaque");
  });
  it("TLS secrets need their keys, and the type is immutable", () => {
    expect(messages(create(obj("v1", "Secret", "tls", { type: "kubernetes.io/tls", data: {} }, "default")))).toEqual(["data[tls.crt]: Required value", "data[tls.key]: Required value"]);
    const old = stored(obj("v1", "Secret", "s", { data: {} }, "default"));
    const next = structuredClone(old);
    next.type = "kubernetes.io/basic-auth";
    next.data = { username: "YQ==" };
    expect(messages(update(next, old))).toEqual(['type: Invalid value: "kubernetes.io/basic-auth": field is immutable']);
  });
  it("config map keys follow the config-key syntax and immutable freezes data", () => {
    expect(messages(create(obj("v1", "ConfigMap", "c", { data: { "bad key": "v" } }, "default")))[0]).toMatch(/^data\[bad key\]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters/);
    const old = stored(obj("v1", "ConfigMap", "c", { data: { a: "1" }, immutable: true }, "default"));
    const next = structuredClone(old);
    next.data = { a: "2" };
    expect(messages(update(next, old))).toEqual(["data: Forbidden: field is immutable when `immutable` is set"]);
    expect(configMaps.tableRow(old as never, later)).toEqual(["c", 1, "3h2m"]);
  });
});

describe("CSIDriver and CSINode", () => {
  it("defaults a driver as upstream and prints its row", () => {
    const d = obj("storage.k8s.io/v1", "CSIDriver", "efs.csi.aws.com", { spec: {} });
    expect(messages(create(d))).toEqual([]);
    expect(d.spec).toEqual({
      attachRequired: true,
      podInfoOnMount: false,
      storageCapacity: false,
      fsGroupPolicy: "ReadWriteOnceWithFSType",
      volumeLifecycleModes: ["Persistent"],
      requiresRepublish: false,
      seLinuxMount: false,
    });
    d.metadata.creationTimestamp = NOW.toISOString();
    expect(csiDrivers.tableRow(d as never, later)).toEqual(["efs.csi.aws.com", true, false, false, "<unset>", false, "Persistent", "3h2m"]);
  });
  it("freezes attachRequired (at upstream's misspelt path) and lifecycle modes, not fsGroupPolicy", () => {
    const old = stored(obj("storage.k8s.io/v1", "CSIDriver", "efs.csi.aws.com", { spec: {} }));
    const next = structuredClone(old);
    next.spec.attachRequired = false;
    next.spec.fsGroupPolicy = "File";
    expect(messages(update(next, old))).toEqual(["spec.attachedRequired: Invalid value: false: field is immutable"]);
  });
  it("CSINode drivers need a node id and may not change once registered", () => {
    expect(messages(create(obj("storage.k8s.io/v1", "CSINode", "node-1", { spec: { drivers: [{ name: "efs.csi.aws.com" }] } })))).toEqual(["spec.drivers[0].nodeID: Required value"]);
    const old = stored(obj("storage.k8s.io/v1", "CSINode", "node-1", { spec: { drivers: [{ name: "efs.csi.aws.com", nodeID: "node-1" }] } }));
    const next = structuredClone(old);
    next.spec.drivers[0].nodeID = "other";
    expect(messages(update(next, old))[0]).toMatch(/^CSINodeDriver: Invalid value: .*: field is immutable$/);
    expect(csiNodes.tableRow(old as never, NOW)).toEqual(["node-1", 1, "0s"]);
  });
});

describe("Lease, RBAC and ServiceAccount", () => {
  it("leases need positive durations", () => {
    expect(messages(create(obj("coordination.k8s.io/v1", "Lease", "leader", { spec: { leaseDurationSeconds: 0 } }, "kube-system")))).toEqual([
      "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
    ]);
    const l = stored(obj("coordination.k8s.io/v1", "Lease", "leader", { spec: { holderIdentity: "c-1" } }, "kube-system"));
    expect(leases.tableRow(l as never, later)).toEqual(["leader", "c-1", "3h2m"]);
  });
  it("role bindings default the API groups, check the roleRef and never change it", () => {
    const rb = obj(
      "rbac.authorization.k8s.io/v1",
      "RoleBinding",
      "rb",
      { roleRef: { kind: "ClusterRole", name: "edit" }, subjects: [{ kind: "User", name: "alice" }, { kind: "ServiceAccount", name: "ci", namespace: "default" }] },
      "default",
    );
    expect(messages(create(rb))).toEqual([]);
    expect(rb.roleRef.apiGroup).toBe("rbac.authorization.k8s.io");
    expect(rb.subjects[0].apiGroup).toBe("rbac.authorization.k8s.io");
    rb.metadata.creationTimestamp = NOW.toISOString();
    expect(roleBindings.tableRow(rb as never, later)).toEqual(["rb", "ClusterRole/edit", "3h2m", "alice", "", "default/ci"]);
    const old = stored(rb);
    const next = structuredClone(old);
    next.roleRef.name = "admin";
    expect(messages(update(next, old))).toEqual(['roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"admin"}: cannot change roleRef']);
  });
  it("rules need verbs; cluster roles print the default NAME / CREATED AT table", () => {
    expect(messages(create(obj("rbac.authorization.k8s.io/v1", "ClusterRole", "r", { rules: [{ apiGroups: [""], resources: ["pods"] }] })))).toEqual([
      "rules[0].verbs: Required value: verbs must contain at least one value",
    ]);
    expect(clusterRoles.tableColumns.map((c) => [c.name, c.type])).toEqual([
      ["Name", "string"],
      ["Created At", "date"],
    ]);
    const r = stored(obj("rbac.authorization.k8s.io/v1", "ClusterRole", "r", { rules: [] }));
    expect(clusterRoles.tableRow(r as never, later)).toEqual(["r", "2025-01-01T00:00:00Z"]);
  });
  it("service accounts print their secret count", () => {
    const sa = stored(obj("v1", "ServiceAccount", "default", { secrets: [{ name: "t" }] }, "default"));
    expect(serviceAccounts.tableRow(sa as never, later)).toEqual(["default", 1, "3h2m"]);
  });
});
