/**
 * Issue "Foundation": the real kubectl drives Cistern's API server. Every command in the
 * acceptance list, through /usr/bin/kubectl (the dispatcher picks its 1.32 build from /version).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { startCistern, REPO, KUBECTL, type CisternProcess } from "./support/cistern-process.js";

const GUIDE = join(REPO, "examples", "guide");
const manifests = ["storageclass.yaml", "pv.yaml", "pvc.yaml", "pod.yaml"].map((f) => join(GUIDE, f));

let c: CisternProcess;

beforeAll(async () => {
  c = await startCistern();
});

afterAll(async () => {
  await c?.stop();
  c?.cleanup();
});

async function k(args: string[], input?: string) {
  const r = await c.kubectl(args, { input });
  return r;
}

async function ok(args: string[], input?: string): Promise<string> {
  const r = await k(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

describe("kubectl apply of the guide's YAMLs", () => {
  it("creates all four objects, then reports unchanged, then configured", async () => {
    const first = await ok(["apply", ...manifests.flatMap((m) => ["-f", m])]);
    expect(first).toContain("storageclass.storage.k8s.io/efs-sc created");
    expect(first).toContain("persistentvolume/efs-pv created");
    expect(first).toContain("persistentvolumeclaim/efs-pvc created");
    expect(first).toContain("pod/app-pod created");
    const second = await ok(["apply", ...manifests.flatMap((m) => ["-f", m])]);
    for (const line of ["storageclass.storage.k8s.io/efs-sc unchanged", "persistentvolume/efs-pv unchanged", "persistentvolumeclaim/efs-pvc unchanged", "pod/app-pod unchanged"]) {
      expect(second).toContain(line);
    }
    const changed = (await import("node:fs")).readFileSync(manifests[2], "utf8").replace("name: efs-pvc", "name: efs-pvc\n  labels:\n    tier: data");
    expect(await ok(["apply", "-f", "-"], changed)).toContain("persistentvolumeclaim/efs-pvc configured");
    expect(await ok(["get", "pvc", "efs-pvc", "-o", "jsonpath={.metadata.labels.tier}"])).toBe("data");
  });

  it("applies server-side too, and a second server-side apply changes nothing", async () => {
    const out = await ok(["apply", "--server-side", ...manifests.flatMap((m) => ["-f", m])]);
    expect(out).toContain("persistentvolumeclaim/efs-pvc serverside-applied");
    const rv1 = await ok(["get", "pv", "efs-pv", "-o", "jsonpath={.metadata.resourceVersion}"]);
    await ok(["apply", "--server-side", "-f", manifests[1]]);
    const rv2 = await ok(["get", "pv", "efs-pv", "-o", "jsonpath={.metadata.resourceVersion}"]);
    expect(rv2).toBe(rv1);
    const fresh = (await import("node:fs")).readFileSync(manifests[0], "utf8").replace("efs-sc", "ssa-sc");
    expect(await ok(["apply", "--server-side", "-f", "-"], fresh)).toContain("storageclass.storage.k8s.io/ssa-sc serverside-applied");
  });
});

describe("kubectl get", () => {
  it("prints upstream's columns with -o wide", async () => {
    const out = await ok(["get", "sc,pv,pvc,pods", "-o", "wide"]);
    expect(out).toMatch(/NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE/);
    expect(out).toMatch(/NAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+REASON\s+AGE\s+VOLUMEMODE/);
    expect(out).toMatch(/NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE\s+VOLUMEMODE/);
    expect(out).toMatch(/NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/);
    expect(out).toMatch(/storageclass\.storage\.k8s\.io\/efs-sc\s+efs\.csi\.aws\.com\s+Delete\s+Immediate\s+false/);
    expect(out).toMatch(/persistentvolume\/efs-pv\s+100Gi\s+RWX\s+Retain/);
    // The node agent is running the pod by now (or still creating it): READY and STATUS vary.
    expect(out).toMatch(/pod\/app-pod\s+[01]\/1\s+\S+\s+\d+\s+\S+\s+(127\.0\.0\.1|<none>)\s+(cistern-node|<none>)/);
  });

  it("supports -o yaml, json, jsonpath, custom-columns and name", async () => {
    expect(await ok(["get", "pvc", "efs-pvc", "-o", "yaml"])).toMatch(/kind: PersistentVolumeClaim[\s\S]*storage: 5Gi/);
    const json = JSON.parse(await ok(["get", "pv", "-o", "json"]));
    expect(json.kind).toBe("List");
    expect(json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toContain("efs-pv");
    expect(await ok(["get", "pv", "efs-pv", "-o", "jsonpath={.spec.csi.volumeHandle}"])).toBe("fs-12345678");
    expect(await ok(["get", "pvc", "-o", "custom-columns=NAME:.metadata.name,REQ:.spec.resources.requests.storage"])).toMatch(/NAME\s+REQ\nefs-pvc\s+5Gi/);
    expect((await ok(["get", "sc", "-o", "name"])).split("\n")).toContain("storageclass.storage.k8s.io/efs-sc");
  });

  it("streams changes with get -w", async () => {
    const child = spawn(KUBECTL, ["get", "configmaps", "-w"], { env: { PATH: process.env.PATH, HOME: c.home, KUBECONFIG: c.kubeconfig } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    try {
      // kubectl prints nothing while there are no config maps; give the watch a moment to start.
      await new Promise((r) => setTimeout(r, 1000));
      await ok(["create", "configmap", "watched", "--from-literal=a=1"]);
      await waitFor(() => /watched\s+1\s/.test(out), 20_000);
      await ok(["patch", "configmap", "watched", "--type=merge", "-p", '{"data":{"b":"2"}}']);
      await waitFor(() => /watched\s+2\s/.test(out), 20_000);
    } finally {
      child.kill();
    }
    expect(out).toMatch(/watched\s+2\s/);
  });
});

describe("kubectl describe, wait, delete", () => {
  it("describe pvc shows Used By and Events", async () => {
    const out = await ok(["describe", "pvc", "efs-pvc"]);
    expect(out).toMatch(/Used By:\s+app-pod/);
    expect(out).toMatch(/Events:/);
  });

  it("wait --for=jsonpath returns once the condition holds", async () => {
    await ok(["create", "configmap", "waiter", "--from-literal=ready=no"]);
    const waiting = c.kubectl(["wait", "--for=jsonpath={.data.ready}=yes", "configmap/waiter", "--timeout=30s"]);
    await new Promise((r) => setTimeout(r, 1500));
    await ok(["patch", "configmap", "waiter", "--type=merge", "-p", '{"data":{"ready":"yes"}}']);
    const r = await waiting;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("configmap/waiter condition met");
    const timedOut = await k(["wait", "--for=jsonpath={.data.ready}=never", "configmap/waiter", "--timeout=2s"]);
    expect(timedOut.code).toBe(1);
    expect(timedOut.stderr).toContain("timed out waiting for the condition");
  });

  it("delete waits until finalizers are gone", async () => {
    await ok(["apply", "-f", "-"], "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: guarded\n  finalizers: [example.com/hold]\ndata:\n  a: b\n");
    const del = c.kubectl(["delete", "configmap", "guarded", "--timeout=60s"]);
    await waitFor(async () => (await ok(["get", "configmap", "guarded", "-o", "jsonpath={.metadata.deletionTimestamp}"])) !== "", 20_000);
    let settled = false;
    void del.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 1000));
    expect(settled).toBe(false);
    await ok(["patch", "configmap", "guarded", "--type=json", "-p", '[{"op":"remove","path":"/metadata/finalizers"}]']);
    const r = await del;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('configmap "guarded" deleted');
    expect((await k(["get", "configmap", "guarded"])).code).toBe(1);
  });
});

describe("kubectl patch, diff, explain, create, replace, edit", () => {
  it("patches with strategic, merge and json patches", async () => {
    await ok(["patch", "pod", "app-pod", "-p", '{"metadata":{"labels":{"s":"1"}}}']);
    await ok(["patch", "pod", "app-pod", "--type=merge", "-p", '{"metadata":{"labels":{"m":"2"}}}']);
    await ok(["patch", "pod", "app-pod", "--type=json", "-p", '[{"op":"add","path":"/metadata/labels/j","value":"3"}]']);
    const labels = JSON.parse(await ok(["get", "pod", "app-pod", "-o", "jsonpath={.metadata.labels}"]));
    expect(labels).toMatchObject({ s: "1", m: "2", j: "3" });
  });

  it("diffs a changed manifest without storing it", async () => {
    const changed = (await import("node:fs")).readFileSync(manifests[1], "utf8").replace("Retain", "Delete");
    const r = await k(["diff", "-f", "-"], changed);
    expect(r.code).toBe(1); // kubectl diff exits 1 when there are differences
    expect(r.stdout).toMatch(/-\s+persistentVolumeReclaimPolicy: Retain/);
    expect(r.stdout).toMatch(/\+\s+persistentVolumeReclaimPolicy: Delete/);
    expect(await ok(["get", "pv", "efs-pv", "-o", "jsonpath={.spec.persistentVolumeReclaimPolicy}"])).toBe("Retain");
  });

  it("explains pvc.spec from the served OpenAPI", async () => {
    const out = await ok(["explain", "pvc.spec"]);
    expect(out).toContain("KIND:       PersistentVolumeClaim");
    expect(out).toMatch(/accessModes\s+<\[\]string>/);
    expect(out).toMatch(/storageClassName\s+<string>/);
  });

  it("creates, replaces and edits", async () => {
    expect(await ok(["create", "namespace", "team-a"])).toContain("namespace/team-a created");
    const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rep\n  namespace: team-a\ndata:\n  v: one\n";
    expect(await ok(["create", "-f", "-"], cm)).toContain("configmap/rep created");
    expect(await ok(["replace", "-f", "-"], cm.replace("one", "two"))).toContain("configmap/rep replaced");
    expect(await ok(["get", "cm", "rep", "-n", "team-a", "-o", "jsonpath={.data.v}"])).toBe("two");
    const edited = await c.kubectl(["edit", "configmap", "rep", "-n", "team-a"], { env: { KUBE_EDITOR: join(REPO, "test/e2e/support/edit-add-label.mjs") } });
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stdout).toContain("configmap/rep edited");
    expect(await ok(["get", "cm", "rep", "-n", "team-a", "-o", "jsonpath={.metadata.labels.edited}"])).toBe("yes");
  });
});

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not met in time");
}
