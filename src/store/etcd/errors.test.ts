import { describe, expect, it } from "vitest";
import { classifyEtcdError, isUnreachable } from "./errors.js";

describe("classifyEtcdError", () => {
  it("tells definite etcd answers apart", () => {
    expect(classifyEtcdError(new Error("11 OUT_OF_RANGE: etcdserver: mvcc: required revision has been compacted"))).toBe("compacted");
    expect(classifyEtcdError(new Error("11 OUT_OF_RANGE: etcdserver: mvcc: required revision is a future revision"))).toBe("future");
    expect(classifyEtcdError(new Error("3 INVALID_ARGUMENT: etcdserver: request is too large"))).toBe("tooLarge");
    expect(classifyEtcdError(new Error("Lease 5 NOT_FOUND: etcdserver: requested lease not found"))).toBe("leaseNotFound");
    expect(classifyEtcdError(new Error("7 PERMISSION_DENIED: etcdserver: permission denied"))).toBe("refused");
  });

  it("only calls a failure safe to resend when nothing was proposed", () => {
    const refused = new Error("14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:2379");
    expect(classifyEtcdError(refused)).toBe("notSent");
    expect(isUnreachable(refused)).toBe(true);
    expect(classifyEtcdError(new Error("14 UNAVAILABLE: etcdserver: no leader"))).toBe("notSent");
    expect(isUnreachable(new Error("14 UNAVAILABLE: etcdserver: no leader"))).toBe(false);
    expect(classifyEtcdError(new Error("14 UNAVAILABLE: etcdserver: request timed out"))).toBe("ambiguous");
    expect(classifyEtcdError(new Error("4 DEADLINE_EXCEEDED: Deadline exceeded"))).toBe("ambiguous");
    expect(classifyEtcdError(new Error("14 UNAVAILABLE: Connection dropped"))).toBe("ambiguous");
  });
});
