/**
 * File system policies (Put/Describe/DeleteFileSystemPolicy) and the client authorisation they drive.
 * No policy means EFS's default: every client, anonymous ones included, may mount, write and act as
 * root; DescribeFileSystemPolicy then answers PolicyNotFound. With a policy, the three client actions
 * are evaluated per mount (see policy/evaluate.ts for the rules and simplifications).
 */
import { InvalidPolicyException, PolicyNotFound } from "../errors.js";
import { accessPointArn, fileSystemArn } from "../ids.js";
import type { FileSystems } from "./file-systems.js";
import { parsePolicy, type PolicyDocument } from "./policy/document.js";
import { evaluatePolicy } from "./policy/evaluate.js";
import type { State } from "./state.js";
import type { PolicyRecord } from "./types.js";
import { checkLength } from "./validation.js";

export interface ClientIdentity {
  principalArn?: string;
  secureTransport: boolean;
  accessPointId?: string;
}

export interface ClientAccess {
  mount: boolean;
  write: boolean;
  root: boolean;
}

export class Policies {
  private readonly parsed = new Map<string, PolicyDocument>();

  constructor(
    private readonly s: State,
    private readonly fileSystems: FileSystems,
  ) {}

  private document(fsId: string): PolicyDocument | undefined {
    const rec = this.s.policies.get(fsId);
    if (!rec) return undefined;
    let doc = this.parsed.get(fsId);
    if (!doc) {
      doc = parsePolicy(rec.text);
      this.parsed.set(fsId, doc);
    }
    return doc;
  }

  /**
   * Sets the policy. Refuses (unless bypassed) a policy that explicitly denies this account's root the
   * right to change it again, AWS's lockout safety check applied to the one caller this API has.
   */
  put(fileSystemId: string, text: string, bypassLockoutCheck = false): PolicyRecord {
    const fs = this.fileSystems.getAvailable(fileSystemId);
    checkLength(text, "policy", 1, 20000);
    const doc = parsePolicy(text);
    if (!bypassLockoutCheck) {
      const decision = evaluatePolicy(doc, {
        principalArn: `arn:aws:iam::${this.s.scope.accountId}:root`,
        action: "elasticfilesystem:PutFileSystemPolicy",
        resource: fileSystemArn(this.s.scope, fs.id),
        keys: { "aws:securetransport": "true" },
      });
      if (decision === "Deny") {
        throw new InvalidPolicyException("The policy would prevent you from making future PutFileSystemPolicy requests on this file system. Set BypassPolicyLockoutSafetyCheck to apply it anyway.");
      }
    }
    const prev = this.s.policies.get(fs.id);
    const rec: PolicyRecord = { fsId: fs.id, seq: prev?.seq ?? this.s.nextSeq(), text };
    this.s.policies.set(fs.id, rec);
    this.parsed.set(fs.id, doc);
    this.s.persist("policy", rec, fs.id);
    return rec;
  }

  describe(fileSystemId: string): PolicyRecord {
    const fs = this.fileSystems.get(fileSystemId);
    const rec = this.s.policies.get(fs.id);
    if (!rec) throw new PolicyNotFound(`File system '${fs.id}' has no policy; the default policy (full access for any client) is in effect.`);
    return rec;
  }

  /** Removes the policy, restoring the default. Succeeds when there is none. */
  delete(fileSystemId: string): void {
    const fs = this.fileSystems.get(fileSystemId);
    this.parsed.delete(fs.id);
    if (this.s.policies.delete(fs.id)) this.s.unpersist("policy", fs.id);
  }

  /** What a client may do on a file system: ClientMount, ClientWrite, ClientRootAccess. */
  clientAccess(fsId: string, who: ClientIdentity): ClientAccess {
    const doc = this.document(fsId);
    if (!doc) return { mount: true, write: true, root: true };
    const keys: Record<string, string> = {
      "aws:securetransport": String(who.secureTransport),
      "elasticfilesystem:accessedviamounttarget": "true",
    };
    if (who.accessPointId) keys["elasticfilesystem:accesspointarn"] = accessPointArn(this.s.scope, who.accessPointId);
    if (who.principalArn) {
      keys["aws:principalarn"] = who.principalArn;
      keys["aws:principalaccount"] = who.principalArn.split(":")[4] ?? "";
    }
    const allowed = (action: string) =>
      evaluatePolicy(doc, { principalArn: who.principalArn, action: `elasticfilesystem:${action}`, resource: fileSystemArn(this.s.scope, fsId), keys }) === "Allow";
    return { mount: allowed("ClientMount"), write: allowed("ClientWrite"), root: allowed("ClientRootAccess") };
  }

  /** Forgets cached parses (after a reload from the store). */
  reset(): void {
    this.parsed.clear();
  }
}
