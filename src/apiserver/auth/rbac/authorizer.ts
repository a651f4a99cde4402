/**
 * The RBAC authorizer: deny unless a binding grants the request. Members of system:masters are
 * allowed everything without consulting roles (as upstream). Roles and bindings are read from the
 * store into a snapshot that any RBAC write invalidates (and that expires after a few seconds,
 * for writes made by another API server on a shared store).
 */
import type { KubeObject } from "../../../api/types.js";
import { forbidden } from "../../../api/status.js";
import type { AdmissionReader } from "../../registry/admission.js";
import { ruleAllows } from "./rules.js";
import type { Attributes, PolicyRule, RoleRef, Subject } from "./types.js";

interface Binding {
  kind: "ClusterRoleBinding" | "RoleBinding";
  name: string;
  namespace?: string;
  roleRef: RoleRef;
  subjects: Subject[];
}

interface Snapshot {
  clusterRoles: Map<string, PolicyRule[]>;
  roles: Map<string, PolicyRule[]>; // "ns/name"
  clusterBindings: Binding[];
  bindingsByNamespace: Map<string, Binding[]>;
  loadedAt: number;
}

const TTL_MS = 5_000;

export const MASTERS = "system:masters";

export class RbacAuthorizer {
  private snapshot?: Snapshot;
  private loading?: Promise<Snapshot>;

  constructor(private reader: AdmissionReader) {}

  invalidate(): void {
    this.snapshot = undefined;
  }

  private async load(): Promise<Snapshot> {
    const r = this.reader;
    const [cr, ro, crb, rb] = await Promise.all([
      r.list(r.resource("rbac.authorization.k8s.io", "clusterroles")),
      r.list(r.resource("rbac.authorization.k8s.io", "roles")),
      r.list(r.resource("rbac.authorization.k8s.io", "clusterrolebindings")),
      r.list(r.resource("rbac.authorization.k8s.io", "rolebindings")),
    ]);
    const rules = (o: KubeObject) => ((o as { rules?: PolicyRule[] }).rules ?? []);
    const binding = (o: KubeObject): Binding => ({
      kind: o.metadata.namespace ? "RoleBinding" : "ClusterRoleBinding",
      name: o.metadata.name ?? "",
      namespace: o.metadata.namespace,
      roleRef: (o as unknown as { roleRef: RoleRef }).roleRef,
      subjects: (o as unknown as { subjects?: Subject[] }).subjects ?? [],
    });
    const byNs = new Map<string, Binding[]>();
    for (const b of rb.map(binding)) {
      const list = byNs.get(b.namespace!) ?? [];
      list.push(b);
      byNs.set(b.namespace!, list);
    }
    return {
      clusterRoles: new Map(cr.map((o) => [o.metadata.name!, rules(o)])),
      roles: new Map(ro.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, rules(o)])),
      clusterBindings: crb.map(binding),
      bindingsByNamespace: byNs,
      loadedAt: Date.now(),
    };
  }

  private async current(): Promise<Snapshot> {
    if (this.snapshot && Date.now() - this.snapshot.loadedAt < TTL_MS) return this.snapshot;
    if (!this.loading) {
      this.loading = this.load().finally(() => (this.loading = undefined));
    }
    this.snapshot = await this.loading;
    return this.snapshot;
  }

  private static subjectMatches(s: Subject, user: Attributes["user"], bindingNs?: string): boolean {
    if (s.kind === "User") return s.name === user.name;
    if (s.kind === "Group") return user.groups.includes(s.name);
    if (s.kind === "ServiceAccount") return user.name === `system:serviceaccount:${s.namespace ?? bindingNs}:${s.name}`;
    return false;
  }

  private rulesOf(snap: Snapshot, ref: RoleRef, ns?: string): PolicyRule[] {
    if (ref.kind === "ClusterRole") return snap.clusterRoles.get(ref.name) ?? [];
    return snap.roles.get(`${ns}/${ref.name}`) ?? [];
  }

  /**
   * Visits every binding of the user that applies in `namespace` (cluster bindings first, as
   * upstream's rule resolver), with the rules of its role; stops when `visit` returns true.
   */
  private async visitRules(user: Attributes["user"], namespace: string, visit: (rules: PolicyRule[], source: () => string) => boolean): Promise<void> {
    const snap = await this.current();
    for (const b of snap.clusterBindings) {
      for (const s of b.subjects) {
        if (RbacAuthorizer.subjectMatches(s, user) && visit(this.rulesOf(snap, b.roleRef), () => describeGrant(b, s))) return;
      }
    }
    if (!namespace) return;
    for (const b of snap.bindingsByNamespace.get(namespace) ?? []) {
      for (const s of b.subjects) {
        if (RbacAuthorizer.subjectMatches(s, user, namespace) && visit(this.rulesOf(snap, b.roleRef, namespace), () => describeGrant(b, s))) return;
      }
    }
  }

  /** Every rule the user holds where the request would apply (for escalation checks and rules reviews). */
  async rulesFor(user: Attributes["user"], namespace: string): Promise<PolicyRule[]> {
    if (user.groups.includes(MASTERS)) return [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }, { nonResourceURLs: ["*"], verbs: ["*"] }];
    const out: PolicyRule[] = [];
    // A binding lists a subject once per match; a role's rules are counted once per binding.
    const seen = new Set<PolicyRule[]>();
    await this.visitRules(user, namespace, (rules) => {
      if (!seen.has(rules)) out.push(...rules);
      seen.add(rules);
      return false;
    });
    return out;
  }

  /**
   * The decision a request with these attributes gets, and upstream's reason for it: empty for
   * system:masters (the privileged-group authorizer) and for a denial (RBAC has no opinion),
   * `RBAC: allowed by <binding> of <role> to <subject>` otherwise.
   */
  async decide(a: Attributes): Promise<{ allowed: boolean; reason: string }> {
    if (a.user.groups.includes(MASTERS)) return { allowed: true, reason: "" };
    let reason = "";
    await this.visitRules(a.user, a.resourceRequest ? a.namespace : "", (rules, source) => {
      if (!rules.some((r) => ruleAllows(r, a))) return false;
      reason = `RBAC: allowed by ${source()}`;
      return true;
    });
    return { allowed: reason !== "", reason };
  }

  async allowed(a: Attributes): Promise<boolean> {
    return (await this.decide(a)).allowed;
  }

  /** Throws upstream's 403 when the request is not allowed. */
  async authorize(a: Attributes): Promise<void> {
    if (await this.allowed(a)) return;
    throw forbidden(forbiddenMessage(a));
  }
}

/** As upstream's binding describers: `RoleBinding "b/ns" of ClusterRole "view" to ServiceAccount "sa/ns"`. */
function describeGrant(b: Binding, s: Subject): string {
  const binding = b.kind === "RoleBinding" ? `RoleBinding "${b.name}/${b.namespace}"` : `ClusterRoleBinding "${b.name}"`;
  const subject = s.kind === "ServiceAccount" ? `ServiceAccount "${s.name}/${s.namespace ?? b.namespace ?? ""}"` : `${s.kind} "${s.name}"`;
  return `${binding} of ${b.roleRef.kind} "${b.roleRef.name}" to ${subject}`;
}

/** `pods "x" is forbidden: User "u" cannot create resource "pods/exec" in API group "" in the namespace "a"` */
export function forbiddenMessage(a: Attributes): string {
  const who = `User "${a.user.name}"`;
  if (!a.resourceRequest) return `forbidden: ${who} cannot ${a.verb} path "${a.path}"`;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const subject = a.name ? `${a.resource}${a.apiGroup ? "." + a.apiGroup : ""} "${a.name}"` : `${a.resource}${a.apiGroup ? "." + a.apiGroup : ""}`;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : "at the cluster scope";
  return `${subject} is forbidden: ${who} cannot ${a.verb} resource "${res}" in API group "${a.apiGroup}" ${scope}`;
}
