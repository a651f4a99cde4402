import { describe, it, expect } from "vitest";
import { parsePolicy } from "./document.js";
import { evaluatePolicy, type RequestContext } from "./evaluate.js";
import { arnMatch, globMatch } from "./glob.js";
import { EfsError } from "../../errors.js";

const FS_ARN = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0";
const AP_ARN = "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0";
const ROLE = "arn:aws:iam::123456789012:role/app/reader";

function ctx(action: string, over: Partial<RequestContext> = {}, keys: Record<string, string> = {}): RequestContext {
  return { action: `elasticfilesystem:${action}`, resource: FS_ARN, keys: { "aws:securetransport": "true", ...keys }, ...over };
}

function invalid(text: string): string {
  try {
    parsePolicy(text);
  } catch (e) {
    if (e instanceof EfsError) return e.code;
    throw e;
  }
  return "accepted";
}

describe("policy parsing", () => {
  it("refuses what IAM refuses", () => {
    expect(invalid("{not json")).toBe("InvalidPolicyException");
    expect(invalid("[]")).toBe("InvalidPolicyException");
    expect(invalid(JSON.stringify({ Statement: [] }))).toBe("InvalidPolicyException");
    expect(invalid(JSON.stringify({ Statement: { Effect: "Maybe", Principal: "*", Action: "*" } }))).toBe("InvalidPolicyException");
    expect(invalid(JSON.stringify({ Statement: { Effect: "Allow", Action: "*" } }))).toBe("InvalidPolicyException");
    expect(invalid(JSON.stringify({ Statement: { Effect: "Allow", Principal: "*" } }))).toBe("InvalidPolicyException");
    expect(invalid(JSON.stringify({ Statement: { Effect: "Allow", Principal: { AWS: "bob" }, Action: "*" } }))).toBe("InvalidPolicyException");
    expect(invalid(JSON.stringify({ Statement: { Effect: "Allow", Principal: "*", Action: "*", Condition: { StringSortOf: { a: "b" } } } }))).toBe("InvalidPolicyException");
    expect(invalid(JSON.stringify({ Statement: { Effect: "Allow", Principal: "*", Action: "*", Bogus: 1 } }))).toBe("InvalidPolicyException");
    expect(invalid(JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Principal: { AWS: ["*", ROLE, "123456789012"] }, Action: ["elasticfilesystem:Client*"], Condition: { "ForAnyValue:StringLikeIfExists": { k: ["a", true] } } } }))).toBe("accepted");
  });
});

describe("policy evaluation", () => {
  const readOnlyForAll = parsePolicy(
    JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "elasticfilesystem:ClientMount", Resource: FS_ARN }] }),
  );

  it("grants only what is allowed: mount without write or root", () => {
    expect(evaluatePolicy(readOnlyForAll, ctx("ClientMount"))).toBe("Allow");
    expect(evaluatePolicy(readOnlyForAll, ctx("ClientWrite"))).toBe("ImplicitDeny");
    expect(evaluatePolicy(readOnlyForAll, ctx("ClientRootAccess"))).toBe("ImplicitDeny");
    expect(evaluatePolicy(readOnlyForAll, ctx("ClientMount", { resource: FS_ARN.replace("abcdef0", "abcdef1") }))).toBe("ImplicitDeny");
  });

  it("lets an explicit Deny win over any Allow and requires TLS when asked", () => {
    const p = parsePolicy(
      JSON.stringify({
        Statement: [
          { Effect: "Allow", Principal: "*", Action: "elasticfilesystem:*" },
          { Effect: "Deny", Principal: "*", Action: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
        ],
      }),
    );
    expect(evaluatePolicy(p, ctx("ClientWrite"))).toBe("Allow");
    expect(evaluatePolicy(p, ctx("ClientWrite", {}, { "aws:securetransport": "false" }))).toBe("Deny");
  });

  it("matches role principals, their assumed-role sessions and account principals, never anonymous callers", () => {
    const p = parsePolicy(JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: ROLE }, Action: "elasticfilesystem:Client*" }] }));
    expect(evaluatePolicy(p, ctx("ClientRootAccess", { principalArn: ROLE }))).toBe("Allow");
    expect(evaluatePolicy(p, ctx("ClientMount", { principalArn: "arn:aws:sts::123456789012:assumed-role/reader/i-0abc" }))).toBe("Allow");
    expect(evaluatePolicy(p, ctx("ClientMount", { principalArn: "arn:aws:iam::123456789012:role/writer" }))).toBe("ImplicitDeny");
    expect(evaluatePolicy(p, ctx("ClientMount"))).toBe("ImplicitDeny");
    const acct = parsePolicy(JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "*" }] }));
    expect(evaluatePolicy(acct, ctx("ClientMount", { principalArn: ROLE }))).toBe("Allow");
    expect(evaluatePolicy(acct, ctx("ClientMount", { principalArn: "arn:aws:iam::999999999999:role/x" }))).toBe("ImplicitDeny");
    expect(evaluatePolicy(acct, ctx("ClientMount"))).toBe("ImplicitDeny");
    const notP = parsePolicy(JSON.stringify({ Statement: [{ Effect: "Deny", NotPrincipal: { AWS: ROLE }, Action: "*" }, { Effect: "Allow", Principal: "*", Action: "*" }] }));
    expect(evaluatePolicy(notP, ctx("ClientMount", { principalArn: ROLE }))).toBe("Allow");
    expect(evaluatePolicy(notP, ctx("ClientMount"))).toBe("Deny");
  });

  it("pins a principal to an access point with the AccessPointArn condition, missing keys behaving as IAM says", () => {
    const p = parsePolicy(
      JSON.stringify({
        Statement: [
          { Effect: "Allow", Principal: "*", Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": AP_ARN } } },
          { Effect: "Deny", Principal: "*", Action: "elasticfilesystem:ClientWrite", Condition: { ArnNotLike: { "elasticfilesystem:AccessPointArn": "arn:aws:elasticfilesystem:*:*:access-point/fsap-0123*" } } },
        ],
      }),
    );
    const viaAp = { "elasticfilesystem:accesspointarn": AP_ARN };
    expect(evaluatePolicy(p, ctx("ClientWrite", {}, viaAp))).toBe("Allow");
    // No access point: StringEquals with the key absent is false; ArnNotLike with it absent is true → Deny.
    expect(evaluatePolicy(p, ctx("ClientMount"))).toBe("ImplicitDeny");
    expect(evaluatePolicy(p, ctx("ClientWrite"))).toBe("Deny");
    const ifExists = parsePolicy(JSON.stringify({ Statement: { Effect: "Allow", Principal: "*", Action: "*", Condition: { StringEqualsIfExists: { "elasticfilesystem:AccessPointArn": AP_ARN } } } }));
    expect(evaluatePolicy(ifExists, ctx("ClientMount"))).toBe("Allow");
    const nullCheck = parsePolicy(JSON.stringify({ Statement: { Effect: "Allow", Principal: "*", Action: "*", Condition: { Null: { "elasticfilesystem:AccessPointArn": "false" } } } }));
    expect(evaluatePolicy(nullCheck, ctx("ClientMount"))).toBe("ImplicitDeny");
    expect(evaluatePolicy(nullCheck, ctx("ClientMount", {}, viaAp))).toBe("Allow");
  });

  it("matches wildcards the IAM way", () => {
    expect(globMatch("elasticfilesystem:Client*", "elasticfilesystem:ClientMount")).toBe(true);
    expect(globMatch("elasticfilesystem:client?ount", "elasticfilesystem:ClientMount", true)).toBe(true);
    expect(globMatch("a.b", "axb")).toBe(false);
    expect(arnMatch("arn:aws:elasticfilesystem:*:*:file-system/*", FS_ARN)).toBe(true);
    expect(arnMatch("arn:aws:elasticfilesystem:*:111111111111:file-system/*", FS_ARN)).toBe(false);
  });
});
