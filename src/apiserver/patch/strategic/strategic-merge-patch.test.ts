import { describe, expect, it } from "vitest";
import { StatusError } from "../../../api/status.js";
import type { JsonObject } from "../json.js";
import { podCtx, pvcCtx, widgetCtx } from "../testdata/schemas.js";
import { strategicMergePatch } from "./strategic-merge-patch.js";

function pod(spec: JsonObject, metadata: JsonObject = {}): JsonObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "demo", namespace: "default", ...metadata }, spec };
}

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error("expected a StatusError");
}

describe("strategicMergePatch: maps and scalars", () => {
  it("merges maps recursively and deletes keys set to null", () => {
    const live = pod({ restartPolicy: "Always", nodeName: "n1", containers: [] }, { labels: { app: "a", tier: "web" } });
    const out = strategicMergePatch(live, { metadata: { labels: { tier: null, team: "x" } }, spec: { nodeName: null } }, podCtx);
    expect(out.metadata).toEqual({ name: "demo", namespace: "default", labels: { app: "a", team: "x" } });
    expect(out.spec).toEqual({ restartPolicy: "Always", containers: [] });
  });

  it("never modifies the original", () => {
    const live = pod({ containers: [{ name: "app", image: "a" }] });
    const before = structuredClone(live);
    const out = strategicMergePatch(live, { spec: { containers: [{ name: "app", image: "b" }] } }, podCtx);
    expect(live).toEqual(before);
    (out.spec as JsonObject).restartPolicy = "Never";
    expect(live).toEqual(before);
  });

  it("$patch: replace in a map replaces it, $patch: delete empties it, $patch: merge merges", () => {
    const live = pod({ containers: [], securityContext: { runAsUser: 1, runAsNonRoot: true } });
    const replaced = strategicMergePatch(live, { spec: { securityContext: { $patch: "replace", runAsUser: 2 } } }, podCtx);
    expect((replaced.spec as JsonObject).securityContext).toEqual({ runAsUser: 2 });
    const deleted = strategicMergePatch(live, { spec: { securityContext: { $patch: "delete" } } }, podCtx);
    expect((deleted.spec as JsonObject).securityContext).toEqual({});
    const merged = strategicMergePatch(live, { spec: { securityContext: { $patch: "merge", runAsUser: 3 } } }, podCtx);
    expect((merged.spec as JsonObject).securityContext).toEqual({ runAsUser: 3, runAsNonRoot: true });
  });

  it("treats fields the schema does not declare as JSON merge patch", () => {
    const live = pod({ containers: [], extra: { list: [1, 2], keep: 1, drop: 2 } });
    const out = strategicMergePatch(live, { spec: { extra: { list: [3], drop: null, add: { a: null, b: 1 } } } }, podCtx);
    expect((out.spec as JsonObject).extra).toEqual({ list: [3], keep: 1, add: { b: 1 } });
  });

  it("treats x-kubernetes-preserve-unknown-fields content as JSON merge patch (directives are data there)", () => {
    const live = { apiVersion: "example.io/v1", kind: "Widget", metadata: { name: "w" }, spec: { a: { b: 1 }, l: [1] } };
    const out = strategicMergePatch(live, { spec: { a: { c: 2 }, l: [2], $patch: "x" } }, widgetCtx);
    expect(out.spec).toEqual({ a: { b: 1, c: 2 }, l: [2], $patch: "x" });
  });
});

describe("strategicMergePatch: lists", () => {
  it("merges lists of maps by merge key, recursing into matched elements", () => {
    const live = pod({
      containers: [
        { name: "app", image: "a:1", env: [{ name: "A", value: "1" }, { name: "B", value: "2" }] },
        { name: "side", image: "s:1" },
      ],
    });
    const out = strategicMergePatch(live, { spec: { containers: [{ name: "app", env: [{ name: "B", value: "3" }, { name: "C", value: "4" }] }, { name: "new", image: "n" }] } }, podCtx);
    expect((out.spec as JsonObject).containers).toEqual([
      { name: "app", image: "a:1", env: [{ name: "A", value: "1" }, { name: "B", value: "3" }, { name: "C", value: "4" }] },
      // Upstream places new patch items before server-only items that followed the last match.
      { name: "new", image: "n" },
      { name: "side", image: "s:1" },
    ]);
  });

  it("merges ports on their merge key containerPort", () => {
    const live = pod({ containers: [{ name: "app", ports: [{ containerPort: 80, name: "http" }] }] });
    const out = strategicMergePatch(live, { spec: { containers: [{ name: "app", ports: [{ containerPort: 80, name: "web" }, { containerPort: 443 }] }] } }, podCtx);
    expect(((out.spec as JsonObject).containers as JsonObject[])[0].ports).toEqual([{ containerPort: 80, name: "web" }, { containerPort: 443 }]);
  });

  it("unions primitive lists with the merge strategy (finalizers) and replaces the rest (command, accessModes)", () => {
    const live = pod({ containers: [{ name: "app", command: ["sleep", "1"] }] }, { finalizers: ["a", "b"] });
    const out = strategicMergePatch(live, { metadata: { finalizers: ["c", "a"] }, spec: { containers: [{ name: "app", command: ["true"] }] } }, podCtx);
    expect((out.metadata as JsonObject).finalizers).toEqual(["c", "a", "b"]);
    expect(((out.spec as JsonObject).containers as JsonObject[])[0].command).toEqual(["true"]);
    const pvc = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "x" }, spec: { accessModes: ["ReadWriteOnce"] } };
    expect(strategicMergePatch(pvc, { spec: { accessModes: ["ReadWriteMany"] } }, pvcCtx).spec).toEqual({ accessModes: ["ReadWriteMany"] });
  });

  it("keeps the live list when a merge list patch is empty, and deletes it on null", () => {
    const live = pod({ containers: [{ name: "app" }] }, { finalizers: ["a"] });
    expect((strategicMergePatch(live, { metadata: { finalizers: [] } }, podCtx).metadata as JsonObject).finalizers).toEqual(["a"]);
    expect((strategicMergePatch(live, { metadata: { finalizers: null } }, podCtx).metadata as JsonObject).finalizers).toBeUndefined();
  });

  it("$patch: delete removes the element with that key; $patch: replace replaces the list", () => {
    const live = pod({ containers: [{ name: "a" }, { name: "b" }, { name: "c" }] });
    const del = strategicMergePatch(live, { spec: { containers: [{ name: "b", $patch: "delete" }, { name: "zz", $patch: "delete" }] } }, podCtx);
    expect((del.spec as JsonObject).containers).toEqual([{ name: "a" }, { name: "c" }]);
    const rep = strategicMergePatch(live, { spec: { containers: [{ $patch: "replace" }, { name: "x", image: "i" }] } }, podCtx);
    expect((rep.spec as JsonObject).containers).toEqual([{ name: "x", image: "i" }]);
    const merge = strategicMergePatch(live, { spec: { containers: [{ name: "b", image: "j", $patch: "merge" }] } }, podCtx);
    expect((merge.spec as JsonObject).containers).toEqual([{ name: "a" }, { name: "b", image: "j" }, { name: "c" }]);
  });

  it("$deleteFromPrimitiveList removes values from a primitive list", () => {
    const live = pod({ containers: [] }, { finalizers: ["a", "b", "c"] });
    const out = strategicMergePatch(live, { metadata: { "$deleteFromPrimitiveList/finalizers": ["b", "zz"] } }, podCtx);
    expect((out.metadata as JsonObject).finalizers).toEqual(["a", "c"]);
  });

  it("$setElementOrder orders merged lists; server-only items keep their relative place", () => {
    const live = pod({ containers: [{ name: "a" }, { name: "srv" }, { name: "b" }] });
    const out = strategicMergePatch(live, { spec: { "$setElementOrder/containers": [{ name: "b" }, { name: "a" }], containers: [{ name: "b", image: "x" }] } }, podCtx);
    // srv preceded b in the live list, so it stays ahead of b.
    expect((out.spec as JsonObject).containers).toEqual([{ name: "srv" }, { name: "b", image: "x" }, { name: "a" }]);

    const prim = pod({ containers: [] }, { finalizers: ["a", "b"] });
    const three = strategicMergePatch(prim, { metadata: { "$setElementOrder/finalizers": ["b", "c"], "$deleteFromPrimitiveList/finalizers": ["a"], finalizers: ["c"] } }, podCtx);
    expect((three.metadata as JsonObject).finalizers).toEqual(["b", "c"]);
  });

  it("$retainKeys drops live keys not listed (switching a volume's source)", () => {
    const live = pod({ containers: [], volumes: [{ name: "data", emptyDir: { medium: "Memory" } }] });
    const out = strategicMergePatch(live, { spec: { volumes: [{ name: "data", $retainKeys: ["name", "persistentVolumeClaim"], persistentVolumeClaim: { claimName: "x" } }] } }, podCtx);
    expect((out.spec as JsonObject).volumes).toEqual([{ name: "data", persistentVolumeClaim: { claimName: "x" } }]);
  });

  it("applies upstream's observed kubectl apply patch (kubectl-wire.md §2)", () => {
    const live = pod(
      {
        containers: [{ name: "app", image: "busybox:1.35", command: ["sleep", "3600"], volumeMounts: [{ mountPath: "/data", name: "data" }] }],
        volumes: [{ name: "data", persistentVolumeClaim: { claimName: "x" } }],
        restartPolicy: "Always",
      },
      { labels: { app: "demo" }, annotations: { "kubectl.kubernetes.io/last-applied-configuration": "old" } },
    );
    const observed = JSON.parse(`{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"new"},"labels":{"app":"demo2"}},
 "spec":{"$setElementOrder/containers":[{"name":"side"},{"name":"app"}],
         "$setElementOrder/volumes":[{"name":"data2"}],
         "containers":[{"command":["sleep","1"],"image":"alpine","name":"side"},
                       {"$setElementOrder/volumeMounts":[{"mountPath":"/data2"}],"env":[{"name":"A","value":"1"}],
                        "image":"busybox:1.36","name":"app",
                        "volumeMounts":[{"mountPath":"/data2","name":"data2"},{"$patch":"delete","mountPath":"/data"}]}],
         "volumes":[{"name":"data2","persistentVolumeClaim":{"claimName":"x"}},{"$patch":"delete","name":"data"}]}}`);
    const out = strategicMergePatch(live, observed, podCtx);
    expect(out).toEqual(
      pod(
        {
          containers: [
            { name: "side", image: "alpine", command: ["sleep", "1"] },
            { name: "app", image: "busybox:1.36", command: ["sleep", "3600"], volumeMounts: [{ mountPath: "/data2", name: "data2" }], env: [{ name: "A", value: "1" }] },
          ],
          volumes: [{ name: "data2", persistentVolumeClaim: { claimName: "x" } }],
          restartPolicy: "Always",
        },
        { labels: { app: "demo2" }, annotations: { "kubectl.kubernetes.io/last-applied-configuration": "new" } },
      ),
    );
    expect(JSON.stringify(out)).not.toContain("$");
  });
});

describe("strategicMergePatch: bad patches", () => {
  const live = pod({ containers: [{ name: "app" }] }, { finalizers: ["a"] });

  it("wrong types are 422 Invalid on field patch", () => {
    const e = statusOf(() => strategicMergePatch(live, { spec: { containers: "x" } }, podCtx));
    expect([e.code, e.reason]).toEqual([422, "Invalid"]);
    expect(e.details?.causes?.[0]?.field).toBe("patch");
    expect(e.message).toContain(".spec.containers: expected array, got string");
    expect(statusOf(() => strategicMergePatch(live, { spec: { terminationGracePeriodSeconds: "10" } }, podCtx)).code).toBe(422);
    expect(statusOf(() => strategicMergePatch(live, { spec: { containers: [{ name: "app", ports: [{ containerPort: 1, protocol: true }] }] } }, podCtx)).code).toBe(422);
  });

  it("a merge-list element without its merge key is 400 with upstream's wording", () => {
    const e = statusOf(() => strategicMergePatch(live, { spec: { containers: [{ image: "x" }] } }, podCtx));
    expect([e.code, e.message]).toEqual([400, "map: map[image:x] does not contain declared merge key: name"]);
    expect(statusOf(() => strategicMergePatch(live, { spec: { containers: [{ $patch: "delete", image: "x" }] } }, podCtx)).code).toBe(400);
  });

  it("unknown directives are 400", () => {
    const e = statusOf(() => strategicMergePatch(live, { spec: { $patch: "explode" } }, podCtx));
    expect([e.code, e.message]).toEqual([400, "unknown patch type: explode in map: map[$patch:explode]"]);
    expect(statusOf(() => strategicMergePatch(live, { spec: { containers: [{ name: "app", $patch: "nope" }] } }, podCtx)).code).toBe(400);
    expect(statusOf(() => strategicMergePatch(live, { spec: { "$frobnicate/containers": [] } }, podCtx)).code).toBe(400);
  });

  it("malformed directives are 400 with upstream's mergepatch texts", () => {
    expect(statusOf(() => strategicMergePatch(live, { metadata: { "$deleteFromPrimitiveList/finalizers": "a" } }, podCtx)).message).toBe("invalid patch format of primitive list");
    expect(statusOf(() => strategicMergePatch(live, { spec: { $retainKeys: "x" } }, podCtx)).message).toBe("invalid patch format of retainKeys");
    expect(statusOf(() => strategicMergePatch(live, { spec: { $retainKeys: ["containers"], nodeName: "n" } }, podCtx)).message).toBe("invalid patch format of retainKeys");
    expect(statusOf(() => strategicMergePatch(live, { spec: { "$setElementOrder/containers": "x" } }, podCtx)).message).toBe("invalid patch format of setElementOrder list");
    const order = statusOf(() => strategicMergePatch(live, { spec: { "$setElementOrder/containers": [{ name: "a" }, { name: "b" }], containers: [{ name: "b" }, { name: "a" }] } }, podCtx));
    expect([order.code, order.message.startsWith("The order in patch list:")]).toEqual([400, true]);
  });

  it("lists of lists are 422; a patch that is not an object is 400; absurd nesting is 400", () => {
    expect(statusOf(() => strategicMergePatch(live, { metadata: { finalizers: [["a"]] } }, podCtx)).code).toBe(422);
    expect(statusOf(() => strategicMergePatch(live, [] as unknown as JsonObject, podCtx)).code).toBe(400);
    let deep: JsonObject = {};
    const root = deep;
    for (let i = 0; i < 2000; i++) deep = (deep.a = {}) as JsonObject;
    expect(statusOf(() => strategicMergePatch(live, { spec: { extra: root } }, podCtx)).code).toBe(400);
  });
});
