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

  /** Every rule the user holds where the request would apply (for escalation checks). */
  async rulesFor(user: Attributes["user"], namespace: string): Promise<PolicyRule[]> {
    if (user.groups.includes(MASTERS)) return [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }, { nonResourceURLs: ["*"], verbs: ["*"] }];
    const snap = await this.current();
    const out: PolicyRule[] = [];
    for (const b of snap.clusterBindings) if (b.subjects.some((s) => RbacAuthorizer.subjectMatches(s, user))) out.push(...this.rulesOf(snap, b.roleRef));
    if (namespace) {
      for (const b of snap.bindingsByNamespace.get(namespace) ?? []) {
        if (b.subjects.some((s) => RbacAuthorizer.subjectMatches(s, user, namespace))) out.push(...this.rulesOf(snap, b.roleRef, namespace));
      }
    }
    return out;
  }

  async allowed(a: Attributes): Promise<boolean> {
    if (a.user.groups.includes(MASTERS)) return true;
    const rules = await this.rulesFor(a.user, a.resourceRequest ? a.namespace : "");
    return rules.some((r) => ruleAllows(r, a));
  }

  /** Throws upstream's 403 when the request is not allowed. */
  async authorize(a: Attributes): Promise<void> {
    if (await this.allowed(a)) return;
    throw forbidden(forbiddenMessage(a));
  }
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
