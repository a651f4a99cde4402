import { describe, it, expect } from "vitest";
import { resources, resourceFor, resourceForKind, groupVersions } from "./registry.js";
import { schemas } from "./openapi/schemas.js";

const byKind = (kind: string) => resources.find((r) => r.kind === kind)!;

describe("served kinds and discovery facts", () => {
  it("serves exactly the 17 kinds of the brief, each once", () => {
    expect(resources.map((r) => `${r.group || "core"}/${r.version}/${r.kind}`).sort()).toEqual(
      [
        "core/v1/ConfigMap",
        "core/v1/Event",
        "core/v1/Namespace",
        "core/v1/Node",
        "core/v1/PersistentVolume",
        "core/v1/PersistentVolumeClaim",
        "core/v1/Pod",
        "core/v1/Secret",
        "core/v1/ServiceAccount",
        "coordination.k8s.io/v1/Lease",
        "rbac.authorization.k8s.io/v1/ClusterRole",
        "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
        "rbac.authorization.k8s.io/v1/Role",
        "rbac.authorization.k8s.io/v1/RoleBinding",
        "storage.k8s.io/v1/CSIDriver",
        "storage.k8s.io/v1/CSINode",
        "storage.k8s.io/v1/StorageClass",
      ].sort(),
    );
    expect(new Set(resources.map((r) => r.plural)).size).toBe(17);
  });

  it("has upstream's short names", () => {
    const short = Object.fromEntries(resources.filter((r) => r.shortNames.length > 0).map((r) => [r.plural, r.shortNames]));
    expect(short).toEqual({
      persistentvolumes: ["pv"],
      persistentvolumeclaims: ["pvc"],
      pods: ["po"],
      namespaces: ["ns"],
      events: ["ev"],
      storageclasses: ["sc"],
      nodes: ["no"],
      serviceaccounts: ["sa"],
      configmaps: ["cm"],
    });
  });

  it("puts pods (only) in the 'all' category", () => {
    expect(resources.filter((r) => r.categories.includes("all")).map((r) => r.plural)).toEqual(["pods"]);
  });

  it("scopes kinds as upstream", () => {
    const clusterScoped = resources.filter((r) => !r.namespaced).map((r) => r.plural).sort();
    expect(clusterScoped).toEqual(["clusterrolebindings", "clusterroles", "csidrivers", "csinodes", "namespaces", "nodes", "persistentvolumes", "storageclasses"]);
  });

  it("declares status subresources where upstream has them, and pod log/exec/binding", () => {
    expect(byKind("Pod").subresources).toEqual(expect.arrayContaining(["status", "log", "exec", "binding"]));
    for (const k of ["PersistentVolume", "PersistentVolumeClaim", "Node", "Namespace"]) expect(byKind(k).subresources).toContain("status");
    for (const k of ["StorageClass", "ConfigMap", "Secret", "Event", "Lease", "Role"]) expect(byKind(k).subresources).not.toContain("status");
  });

  it("advertises upstream's verbs (namespaces have no deletecollection)", () => {
    expect(byKind("PersistentVolumeClaim").verbs).toEqual(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]);
    expect(byKind("Namespace").verbs).not.toContain("deletecollection");
  });

  it("looks kinds up by plural and by apiVersion/kind", () => {
    expect(resourceFor("", "v1", "persistentvolumeclaims")?.kind).toBe("PersistentVolumeClaim");
    expect(resourceFor("storage.k8s.io", "v1", "storageclasses")?.kind).toBe("StorageClass");
    expect(resourceFor("", "v1", "storageclasses")).toBeUndefined();
    expect(resourceForKind("storage.k8s.io/v1", "CSIDriver")?.plural).toBe("csidrivers");
    expect(resourceForKind("v1", "Pod")?.plural).toBe("pods");
    expect(resourceForKind("v1", "StorageClass")).toBeUndefined();
    expect(groupVersions()[0]).toEqual({ group: "", version: "v1" });
  });

  it("names a schema that exists for every kind and its list", () => {
    for (const r of resources) {
      expect(schemas[r.schemaName], r.schemaName).toBeDefined();
      expect(schemas[r.schemaName + "List"], r.schemaName + "List").toBeDefined();
      expect(r.listKind).toBe(r.kind + "List");
    }
  });

  it("gives every kind a Name-first (or Last-Seen-first for events) table whose rows match the columns", () => {
    const now = new Date("2025-01-01T00:00:00Z");
    for (const r of resources) {
      const obj = { apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind, metadata: { name: "x", namespace: r.namespaced ? "default" : undefined, creationTimestamp: "2025-01-01T00:00:00Z" } } as never;
      r.applyDefaults(obj);
      expect(r.tableRow(obj, now).length, r.kind).toBe(r.tableColumns.length);
    }
  });
});
