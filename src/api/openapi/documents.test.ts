import { describe, it, expect } from "vitest";
import { openApiV2Document, openApiV3Document, openApiV3Hash, openApiV3Root } from "./documents.js";
import { referencedClosure, schemas } from "./schemas.js";
import { resources } from "../registry.js";
import type { Schema } from "../types.js";

type Json = Record<string, any>;

function refsIn(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.add(v);
      else refsIn(v, out);
    }
  }
  return out;
}

const prop = (schemaName: string, field: string): Schema => schemas[schemaName].properties![field];

describe("OpenAPI v3 root", () => {
  it("lists every served group/version with a hashed URL", () => {
    const root = openApiV3Root() as Json;
    expect(Object.keys(root.paths).sort()).toEqual(["api/v1", "apis/coordination.k8s.io/v1", "apis/rbac.authorization.k8s.io/v1", "apis/storage.k8s.io/v1"]);
    expect(root.paths["api/v1"].serverRelativeURL).toBe(`/openapi/v3/api/v1?hash=${openApiV3Hash("", "v1")}`);
    expect(openApiV3Hash("", "v1")).toMatch(/^[0-9A-F]{128}$/);
  });
  it("takes the hash from the caller when given", () => {
    const root = openApiV3Root((g, v) => `${g || "core"}-${v}`) as Json;
    expect(root.paths["apis/storage.k8s.io/v1"].serverRelativeURL).toBe("/openapi/v3/apis/storage.k8s.io/v1?hash=storage.k8s.io-v1");
  });
});

describe("OpenAPI v3 group/version documents: what kubectl's validation needs", () => {
  for (const [group, version] of [
    ["", "v1"],
    ["storage.k8s.io", "v1"],
    ["coordination.k8s.io", "v1"],
    ["rbac.authorization.k8s.io", "v1"],
  ]) {
    it(`${group || "core"}/${version}: a patch operation per kind with GVK and fieldValidation; every $ref resolves`, () => {
      const doc = openApiV3Document(group, version) as Json;
      expect(doc.openapi).toBe("3.0.0");
      const patchKinds = new Set<string>();
      for (const item of Object.values(doc.paths) as Json[]) {
        const patch = item.patch as Json | undefined;
        if (!patch) continue;
        expect(patch["x-kubernetes-group-version-kind"]).toMatchObject({ group, version });
        expect(patch.parameters.map((p: Json) => p.name)).toEqual(expect.arrayContaining(["fieldValidation", "dryRun", "fieldManager", "force"]));
        expect(Object.keys(patch.requestBody.content)).toContain("application/apply-patch+yaml");
        patchKinds.add(patch["x-kubernetes-group-version-kind"].kind);
      }
      const served = resources.filter((r) => r.group === group && r.version === version).map((r) => r.kind);
      expect([...patchKinds].sort()).toEqual([...served].sort());
      for (const ref of refsIn(doc)) {
        expect(ref.startsWith("#/components/schemas/")).toBe(true);
        expect(doc.components.schemas[ref.slice("#/components/schemas/".length)], ref).toBeDefined();
      }
    });
  }

  it("has upstream's operations and ids for a namespaced kind", () => {
    const doc = openApiV3Document("", "v1") as Json;
    const coll = doc.paths["/api/v1/namespaces/{namespace}/persistentvolumeclaims"];
    const item = doc.paths["/api/v1/namespaces/{namespace}/persistentvolumeclaims/{name}"];
    const status = doc.paths["/api/v1/namespaces/{namespace}/persistentvolumeclaims/{name}/status"];
    expect(coll.get.operationId).toBe("listCoreV1NamespacedPersistentVolumeClaim");
    expect(coll.post.operationId).toBe("createCoreV1NamespacedPersistentVolumeClaim");
    expect(coll.delete.operationId).toBe("deleteCoreV1CollectionNamespacedPersistentVolumeClaim");
    expect(item.get["x-kubernetes-action"]).toBe("get");
    expect(item.put.operationId).toBe("replaceCoreV1NamespacedPersistentVolumeClaim");
    expect(item.delete["x-kubernetes-action"]).toBe("delete");
    expect(status.patch.operationId).toBe("patchCoreV1NamespacedPersistentVolumeClaimStatus");
    expect(doc.paths["/api/v1/persistentvolumeclaims"].get.operationId).toBe("listCoreV1PersistentVolumeClaimForAllNamespaces");
    expect(openApiV3Document("storage.k8s.io", "v1")!.paths).toHaveProperty(["/apis/storage.k8s.io/v1/storageclasses/{name}"]);
    expect(openApiV3Document("apps", "v1")).toBeUndefined();
  });
});

describe("schemas", () => {
  it("every referenced schema exists", () => {
    const missing = [...refsIn(schemas)].filter((r) => !schemas[r.slice("#/components/schemas/".length)]);
    expect(missing).toEqual([]);
  });
  it("kind schemas carry x-kubernetes-group-version-kind", () => {
    for (const r of resources) {
      expect(schemas[r.schemaName]["x-kubernetes-group-version-kind"]).toEqual([{ group: r.group, version: r.version, kind: r.kind }]);
      expect(schemas[r.schemaName + "List"]["x-kubernetes-group-version-kind"]).toEqual([{ group: r.group, version: r.version, kind: r.listKind }]);
    }
  });
  it("carries the strategic-merge and apply extensions upstream has", () => {
    const spec = "io.k8s.api.core.v1.PodSpec";
    expect(prop(spec, "containers")).toMatchObject({
      "x-kubernetes-patch-merge-key": "name",
      "x-kubernetes-patch-strategy": "merge",
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["name"],
    });
    expect(prop(spec, "volumes")).toMatchObject({ "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge,retainKeys" });
    expect(prop(spec, "tolerations")["x-kubernetes-list-type"]).toBe("atomic");
    expect(prop("io.k8s.api.core.v1.Container", "volumeMounts")).toMatchObject({ "x-kubernetes-patch-merge-key": "mountPath", "x-kubernetes-list-map-keys": ["mountPath"] });
    expect(prop("io.k8s.api.core.v1.Container", "ports")).toMatchObject({ "x-kubernetes-patch-merge-key": "containerPort", "x-kubernetes-list-map-keys": ["containerPort", "protocol"] });
    expect(prop("io.k8s.api.core.v1.Container", "env")["x-kubernetes-patch-merge-key"]).toBe("name");
    expect(prop("io.k8s.api.core.v1.Container", "command")["x-kubernetes-list-type"]).toBe("atomic");
    const meta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    expect(prop(meta, "finalizers")).toMatchObject({ "x-kubernetes-patch-strategy": "merge", "x-kubernetes-list-type": "set" });
    expect(prop(meta, "ownerReferences")).toMatchObject({ "x-kubernetes-patch-merge-key": "uid", "x-kubernetes-list-map-keys": ["uid"] });
    expect(prop("io.k8s.api.core.v1.PersistentVolumeClaimSpec", "accessModes")["x-kubernetes-list-type"]).toBe("atomic");
    expect(prop("io.k8s.api.core.v1.PersistentVolumeSpec", "claimRef")["x-kubernetes-map-type"]).toBe("granular");
    expect(schemas["io.k8s.api.core.v1.ObjectReference"]["x-kubernetes-map-type"]).toBe("atomic");
    expect(prop("io.k8s.api.core.v1.PodStatus", "conditions")["x-kubernetes-patch-merge-key"]).toBe("type");
    expect(prop("io.k8s.api.storage.v1.CSINodeSpec", "drivers")["x-kubernetes-patch-merge-key"]).toBe("name");
    expect(prop("io.k8s.api.rbac.v1.RoleBinding", "subjects")["x-kubernetes-list-type"]).toBe("atomic");
  });
  it("types every field Cistern uses and declares upstream's required lists", () => {
    expect(schemas["io.k8s.api.core.v1.CSIPersistentVolumeSource"].required).toEqual(["driver", "volumeHandle"]);
    expect(schemas["io.k8s.api.core.v1.Container"].required).toEqual(["name"]);
    expect(schemas["io.k8s.api.core.v1.PodSpec"].required).toEqual(["containers"]);
    expect(schemas["io.k8s.api.storage.v1.StorageClass"].required).toEqual(["provisioner"]);
    expect(schemas["io.k8s.api.core.v1.VolumeMount"].required).toEqual(["name", "mountPath"]);
    expect(prop("io.k8s.api.core.v1.PersistentVolumeSpec", "gcePersistentDisk")["x-kubernetes-preserve-unknown-fields"]).toBe(true);
    expect(prop("io.k8s.api.core.v1.PersistentVolumeSpec", "csi").allOf![0].$ref).toBe("#/components/schemas/io.k8s.api.core.v1.CSIPersistentVolumeSource");
    expect(referencedClosure(["io.k8s.api.core.v1.PersistentVolumeClaim"])).toContain("io.k8s.apimachinery.pkg.api.resource.Quantity");
  });
});

describe("Swagger 2.0 document", () => {
  it("has every definition, with #/definitions refs and no single-ref allOf", () => {
    const doc = openApiV2Document() as Json;
    expect(doc.swagger).toBe("2.0");
    expect(Object.keys(doc.definitions).length).toBe(Object.keys(schemas).length);
    const metadata = doc.definitions["io.k8s.api.core.v1.Pod"].properties.metadata;
    expect(metadata.$ref).toBe("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    expect(metadata.allOf).toBeUndefined();
    for (const ref of refsIn(doc)) expect(ref.startsWith("#/definitions/")).toBe(true);
  });
});
