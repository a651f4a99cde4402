/**
 * Authentication and RBAC through real kubectl: no anonymous access, ServiceAccount tokens from
 * `kubectl create token`, a ServiceAccount bound only to `view` in namespace a cannot list claims
 * in b, cannot exec into a's pods, cannot write, and cannot grant itself more (escalation);
 * `kubectl auth can-i` (access and rules reviews) gives the same answers those requests get.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCistern, type CisternProcess } from "./support/cistern-process.js";
import { rawClient } from "./support/api-client.js";

let c: CisternProcess;
let token = "";

beforeAll(async () => {
  c = await startCistern();
  const setup = await c.kubectl(["apply", "-f", "-"], {
    input: `apiVersion: v1
kind: Namespace
metadata: {name: a}
---
apiVersion: v1
kind: Namespace
metadata: {name: b}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: viewer, namespace: a}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: viewer-view, namespace: a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: viewer, namespace: a}]
---
apiVersion: v1
kind: Pod
metadata: {name: p1, namespace: a}
spec:
  containers: [{name: app, image: busybox, command: [sleep, "3600"]}]
`,
  });
  expect(setup.code, setup.stderr).toBe(0);
  const t = await c.kubectl(["create", "token", "viewer", "-n", "a"]);
  expect(t.code, t.stderr).toBe(0);
  token = t.stdout.trim();
});

afterAll(async () => {
  await c?.stop();
  c?.cleanup();
});

const asViewer = (args: string[], opts: { input?: string } = {}) => c.kubectl(["--token", token, ...args], opts);

describe("authentication", () => {
  it("refuses requests without a valid token, but serves /version and /healthz", async () => {
    const api = rawClient(c.dataDir, c.url);
    const anon = async (path: string) => (await api.request("GET", path, undefined, { Authorization: "" })).status;
    expect(await anon("/api/v1/namespaces/default/persistentvolumeclaims")).toBe(401);
    expect(await anon("/version")).toBe(200);
    expect(await anon("/healthz")).toBe(200);
    expect((await api.request("GET", "/api/v1/pods", undefined, { Authorization: "Bearer not-a-token" })).status).toBe(401);
    api.close();
    const r = await c.kubectl(["--token", "bogus", "get", "pods"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("Unauthorized");
  });

  it("revokes a ServiceAccount token when the account is deleted", async () => {
    await c.kubectl(["create", "serviceaccount", "temp", "-n", "a"]);
    await c.kubectl(["create", "rolebinding", "temp-view", "--clusterrole=view", "--serviceaccount=a:temp", "-n", "a"]);
    const t = (await c.kubectl(["create", "token", "temp", "-n", "a"])).stdout.trim();
    expect((await c.kubectl(["--token", t, "get", "pods", "-n", "a"])).code).toBe(0);
    await c.kubectl(["delete", "serviceaccount", "temp", "-n", "a"]);
    await new Promise((r) => setTimeout(r, 11_000)); // past the verified-token cache
    const after = await c.kubectl(["--token", t, "get", "pods", "-n", "a"]);
    expect(after.code).not.toBe(0);
    expect(after.stderr).toContain("Unauthorized");
  });
});

// Before the escalation test below, which grants the viewer `edit` (and so pods/exec) in a.
describe("kubectl auth can-i (authorization.k8s.io/v1 reviews)", () => {
  it("answers for the view ServiceAccount as its real requests are decided", async () => {
    const own = await asViewer(["auth", "can-i", "list", "persistentvolumeclaims", "-n", "a"]);
    expect(own.stdout.trim(), own.stderr).toBe("yes");
    expect(own.code).toBe(0);
    const other = await asViewer(["auth", "can-i", "list", "persistentvolumeclaims", "-n", "b"]);
    expect(other.stdout.trim(), other.stderr).toBe("no");
    expect(other.code).toBe(1);
    const exec = await asViewer(["auth", "can-i", "create", "pods/exec", "-n", "a"]);
    expect(exec.stdout.trim(), exec.stderr).toBe("no");
    expect(exec.code).toBe(1);
    const pvs = await asViewer(["auth", "can-i", "get", "persistentvolumes"]);
    expect(pvs.stdout.trim(), pvs.stderr).toBe("no");
  });

  it("answers yes for the admin (system:masters)", async () => {
    for (const args of [["create", "pods/exec", "-n", "a"], ["list", "persistentvolumeclaims", "-n", "b"], ["*", "*", "--all-namespaces"]]) {
      const r = await c.kubectl(["auth", "can-i", ...args]);
      expect(r.stdout.trim(), `${args.join(" ")}: ${r.stderr}`).toBe("yes");
      expect(r.code).toBe(0);
    }
  });

  it("lists the viewer's rules in a namespace (SelfSubjectRulesReview)", async () => {
    const r = await asViewer(["auth", "can-i", "--list", "-n", "a"]);
    expect(r.code, r.stderr).toBe(0);
    const row = (resource: string) => r.stdout.split("\n").find((l) => l.trim().split(/\s+/)[0] === resource) ?? "";
    expect(row("persistentvolumeclaims")).toContain("[get list watch]");
    expect(row("selfsubjectaccessreviews.authorization.k8s.io")).toContain("[create]");
    expect(r.stdout).not.toMatch(/^secrets\s/m);
    const none = await asViewer(["auth", "can-i", "--list", "-n", "b"]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).not.toContain("persistentvolumeclaims");
  });

  it("answers SubjectAccessReviews for cluster admins only", async () => {
    const api = rawClient(c.dataDir, c.url);
    const sar = (resourceAttributes: Record<string, string>) => ({
      apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview",
      spec: { user: "system:serviceaccount:a:viewer", groups: ["system:serviceaccounts", "system:authenticated"], resourceAttributes },
    });
    const yes = await api.request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", sar({ namespace: "a", verb: "list", resource: "persistentvolumeclaims" }));
    expect(yes.status, yes.body).toBe(201);
    expect(JSON.parse(yes.body).status).toEqual({ allowed: true, reason: 'RBAC: allowed by RoleBinding "viewer-view/a" of ClusterRole "view" to ServiceAccount "viewer/a"' });
    const no = await api.request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", sar({ namespace: "b", verb: "list", resource: "persistentvolumeclaims" }));
    expect(JSON.parse(no.body).status).toEqual({ allowed: false });
    const asSa = await api.request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", sar({ namespace: "a", verb: "list", resource: "pods" }), { Authorization: `Bearer ${token}` });
    expect(asSa.status).toBe(403);
    expect(JSON.parse(asSa.body).message).toContain('cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope');
    const listed = await api.request("GET", "/apis/authorization.k8s.io/v1/subjectaccessreviews");
    expect(listed.status).toBe(405);
    api.close();
  });

  it("answers a review posted with kubectl create, and explains its fields (OpenAPI v3)", async () => {
    const r = await asViewer(["create", "--validate=false", "-o", "json", "-f", "-"], {
      input: "apiVersion: authorization.k8s.io/v1\nkind: SelfSubjectAccessReview\nspec:\n  nonResourceAttributes: {path: /apis, verb: get}\n",
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).status).toEqual({ allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"' });
    const explain = await c.kubectl(["explain", "selfsubjectaccessreview.spec.resourceAttributes"]);
    expect(explain.code, explain.stderr).toBe(0);
    expect(explain.stdout).toContain("subresource");
  });

  it("serves the group in discovery with create-only resources", async () => {
    const r = await c.kubectl(["api-resources", "--api-group=authorization.k8s.io", "-o", "wide"]);
    expect(r.code, r.stderr).toBe(0);
    for (const res of ["localsubjectaccessreviews", "selfsubjectaccessreviews", "selfsubjectrulesreviews", "subjectaccessreviews"]) {
      expect(r.stdout).toMatch(new RegExp(`^${res}\\s.*\\sauthorization\\.k8s\\.io/v1\\s.*\\screate\\s*$`, "m"));
    }
  });
});

describe("RBAC with upstream's default roles", () => {
  it("lets a view ServiceAccount read its own namespace", async () => {
    const r = await asViewer(["get", "pvc,pods", "-n", "a"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("p1");
  });

  it("does not let it list claims in another namespace", async () => {
    const r = await asViewer(["get", "pvc", "-n", "b"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('persistentvolumeclaims is forbidden: User "system:serviceaccount:a:viewer" cannot list resource "persistentvolumeclaims" in API group "" in the namespace "b"');
  });

  it("does not let it exec into its namespace's pods", async () => {
    const r = await asViewer(["exec", "-n", "a", "p1", "--", "cat", "/etc/hostname"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('cannot create resource "pods/exec" in API group "" in the namespace "a"');
  });

  it("does not let it read PVs (cluster-scoped) or write in its namespace", async () => {
    const pv = await asViewer(["get", "pv"]);
    expect(pv.stderr).toContain("at the cluster scope");
    const cm = await asViewer(["create", "configmap", "x", "-n", "a", "--from-literal=a=b"]);
    expect(cm.code).not.toBe(0);
    expect(cm.stderr).toContain("forbidden");
  });

  it("prevents escalation: an admin of a namespace cannot grant cluster-admin", async () => {
    await c.kubectl(["create", "serviceaccount", "nsadmin", "-n", "a"]);
    await c.kubectl(["create", "rolebinding", "nsadmin-admin", "--clusterrole=admin", "--serviceaccount=a:nsadmin", "-n", "a"]);
    const t = (await c.kubectl(["create", "token", "nsadmin", "-n", "a"])).stdout.trim();
    const ok = await c.kubectl(["--token", t, "create", "rolebinding", "viewer-edit", "--clusterrole=edit", "--serviceaccount=a:viewer", "-n", "a"]);
    expect(ok.code, ok.stderr).toBe(0);
    const bad = await c.kubectl(["--token", t, "create", "rolebinding", "viewer-root", "--clusterrole=cluster-admin", "--serviceaccount=a:viewer", "-n", "a"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("is attempting to grant RBAC permissions not currently held");
  });

  it("records writes in the audit log without bodies", async () => {
    const { readFileSync } = await import("node:fs");
    const lines = readFileSync(`${c.dataDir}/audit.log`, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const created = lines.find((e) => e.verb === "create" && e.objectRef.resource === "rolebindings" && e.objectRef.name === "viewer-edit");
    expect(created?.user.username).toBe("system:serviceaccount:a:nsadmin");
    expect(created?.responseStatus.code).toBe(201);
    expect(JSON.stringify(lines)).not.toContain("requestObject");
  });
});

describe("per-client limits", () => {
  it("answers 429 with Retry-After when a client exceeds its rate", async () => {
    const api = rawClient(c.dataDir, c.url);
    const statuses = await Promise.all(Array.from({ length: 600 }, () => api.request("GET", "/api/v1/namespaces/a/pods", undefined, { Authorization: `Bearer ${token}` })));
    const limited = statuses.filter((s) => s.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].headers["retry-after"]).toBe("1");
    expect(JSON.parse(limited[0].body).reason).toBe("TooManyRequests");
    api.close();
  });
});
