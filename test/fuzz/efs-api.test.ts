/**
 * Hostile EFS API traffic, correctly signed, over raw HTTP to Cistern's EFS service: every operation's
 * path with hostile IDs and ARNs in its segments, bodies that are mutated valid requests, any JSON, or
 * not JSON at all, hostile query strings, and methods that do not belong to the path.
 * Properties: never a 5xx or a hang; every error is AWS-shaped (JSON ErrorCode matching the
 * x-amzn-ErrorType header); a refused request changes no resource and nothing on disk; an accepted
 * mount names a directory inside the file system's own directory; an accepted access point root is
 * a plain absolute path of at most 100 characters and 4 levels.
 */
import { realpathSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEfsTarget, rfc3986, type EfsReply, type EfsTarget } from "./support/efs-target.js";
import { hostileJson, hostilePiece, hostileString, mutateToText, mutation } from "./support/hostile.js";
import { expectNoPrototypePollution } from "./support/properties.js";
import { Tally, fcParams, timeoutFor } from "./support/runs.js";

let efs: EfsTarget;
const tally = new Tally("efs-api");
const ids: { fs: string; ap: string; mt: string; mount: string } = { fs: "fs-12345678", ap: "", mt: "", mount: "" };

beforeAll(async () => {
  efs = await startEfsTarget();
  const ap = await efs.send("POST", "/2015-02-01/access-points", {}, JSON.stringify({
    ClientToken: "fuzz-ap", FileSystemId: ids.fs, PosixUser: { Uid: 1000, Gid: 1000 }, RootDirectory: { Path: "/fuzz/ap", CreationInfo: { OwnerUid: 1000, OwnerGid: 1000, Permissions: "750" } },
  }));
  ids.ap = ap.json.AccessPointId;
  const mt = await efs.send("POST", "/2015-02-01/mount-targets", {}, JSON.stringify({ FileSystemId: ids.fs, SubnetId: "subnet-0123456789abcdef0" }));
  ids.mt = mt.json.MountTargetId;
  const mount = await efs.send("POST", "/cistern/v1/mounts", {}, JSON.stringify({ FileSystemId: ids.fs, AccessPointId: ids.ap, SecureTransport: true, NodeId: "fuzz" }));
  ids.mount = mount.json.MountId;
  expect([ids.ap, ids.mt, ids.mount].every(Boolean)).toBe(true);
});

afterAll(async () => {
  tally.report();
  await efs?.close();
});

const V = "/2015-02-01";
/** [method, path template, a valid body] for every route the service knows. */
const ROUTES: [string, string, (() => unknown) | undefined][] = [
  ["POST", `${V}/file-systems`, () => ({ CreationToken: "t", PerformanceMode: "generalPurpose", Encrypted: true, ThroughputMode: "bursting", Tags: [{ Key: "Name", Value: "x" }] })],
  ["GET", `${V}/file-systems`, undefined],
  ["PUT", `${V}/file-systems/{fs}`, () => ({ ThroughputMode: "provisioned", ProvisionedThroughputInMibps: 10 })],
  ["DELETE", `${V}/file-systems/{fs}`, undefined],
  ["PUT", `${V}/file-systems/{fs}/policy`, () => ({ Policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: ["elasticfilesystem:ClientMount"], Resource: "*" }] }), BypassPolicyLockoutSafetyCheck: false })],
  ["GET", `${V}/file-systems/{fs}/policy`, undefined],
  ["DELETE", `${V}/file-systems/{fs}/policy`, undefined],
  ["PUT", `${V}/file-systems/{fs}/lifecycle-configuration`, () => ({ LifecyclePolicies: [] })],
  ["POST", `${V}/access-points`, () => ({ ClientToken: "c", FileSystemId: ids.fs, PosixUser: { Uid: 1, Gid: 2, SecondaryGids: [3] }, RootDirectory: { Path: "/a/b", CreationInfo: { OwnerUid: 1, OwnerGid: 2, Permissions: "0755" } }, Tags: [{ Key: "k", Value: "v" }] })],
  ["GET", `${V}/access-points`, undefined],
  ["DELETE", `${V}/access-points/{ap}`, undefined],
  ["POST", `${V}/mount-targets`, () => ({ FileSystemId: ids.fs, SubnetId: "subnet-1", IpAddress: "10.0.0.5", SecurityGroups: ["sg-1"] })],
  ["GET", `${V}/mount-targets`, undefined],
  ["DELETE", `${V}/mount-targets/{mt}`, undefined],
  ["GET", `${V}/mount-targets/{mt}/security-groups`, undefined],
  ["POST", `${V}/resource-tags/{fs}`, () => ({ Tags: [{ Key: "k", Value: "v" }] })],
  ["DELETE", `${V}/resource-tags/{fs}`, undefined],
  ["GET", `${V}/resource-tags/{ap}`, undefined],
  ["POST", `${V}/create-tags/{fs}`, () => ({ Tags: [{ Key: "k", Value: "v" }] })],
  ["POST", `${V}/delete-tags/{fs}`, () => ({ TagKeys: ["k"] })],
  ["GET", `${V}/tags/{fs}`, undefined],
  ["GET", `${V}/account-preferences`, undefined],
  ["POST", "/cistern/v1/mounts", () => ({ FileSystemId: ids.fs, AccessPointId: ids.ap, Path: "/", PrincipalArn: "arn:aws:iam::123456789012:role/x", SecureTransport: true, ReadOnly: false, NodeId: "n" })],
  ["GET", "/cistern/v1/mounts", undefined],
  ["DELETE", "/cistern/v1/mounts/{mount}", undefined],
  ["POST", "/cistern/v1/mounts/{mount}/io", () => ({ DataReadIOBytes: 1, DataWriteIOBytes: 2, MetadataIOBytes: 3, DataReadOps: 1, DataWriteOps: 1, MetadataOps: 1 })],
  ["GET", "/cistern/v1/usage", undefined],
];

/** Something for a path parameter: the live ID, an ARN of it, or hostile text (encoded so it is a legal path). */
function param(kind: "fs" | "ap" | "mt" | "mount"): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(ids[kind]) },
    { weight: 1, arbitrary: fc.constant(rfc3986(`arn:aws:elasticfilesystem:us-east-1:123456789012:${kind === "ap" ? "access-point" : "file-system"}/${ids[kind]}`)) },
    { weight: 2, arbitrary: hostileString.map((s) => rfc3986(s.replace(/[\ud800-\udfff]/g, "")) || "x") },
    { weight: 1, arbitrary: fc.constantFrom("fs-00000000", "fsap-0000000000000000a", "fsmt-00000000", "..", "%2e%2e", "%00", "a%2Fb") },
  );
}

const queryValue = fc.oneof(fc.constantFrom("0", "-1", "1", "1001", "99999999999999999999", "", "true", ids.fs, "fsap-x", "bm90LWEtdG9rZW4=", "%%"), hostilePiece).map((s) => s.replace(/[\ud800-\udfff]/g, ""));
const query = fc.dictionary(
  fc.constantFrom("MaxItems", "MaxResults", "Marker", "NextToken", "FileSystemId", "AccessPointId", "CreationToken", "MountTargetId", "tagKeys", "NodeId", "Refresh", "x"),
  fc.oneof(queryValue, fc.array(queryValue, { minLength: 2, maxLength: 3 })),
  { maxKeys: 3 },
);

const body = (valid: (() => unknown) | undefined) =>
  fc.oneof(
    { weight: valid ? 4 : 0, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => mutateToText(valid ? valid() : {}, ms)) },
    { weight: 1, arbitrary: hostileJson.map((j) => JSON.stringify(j) ?? "null") },
    { weight: 1, arbitrary: fc.oneof(hostileString, fc.constantFrom("{", "{}", "[]", "null", '{"a":1,"a":2}', '{"__proto__":{"polluted":1}}', "\u0000")) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

const request = fc.nat(ROUTES.length - 1).chain((i) => {
  const [method, template, valid] = ROUTES[i];
  const kinds = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as "fs" | "ap" | "mt" | "mount");
  return fc.record({
    method: fc.oneof({ weight: 9, arbitrary: fc.constant(method) }, { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS") }),
    path: fc.tuple(...kinds.map(param)).map((vals) => kinds.reduce((p, k, j) => p.replace(`{${k}}`, vals[j]), template)),
    query,
    body: body(valid),
  });
});

function expectAwsShaped(r: EfsReply, input: string, head: boolean): void {
  const what = `${r.status} ${r.text.slice(0, 300)}\n  for ${input.slice(0, 600)}`;
  if (r.oversizeHead && (r.status === 400 || r.status === 431) && r.text === "") return;
  expect(r.status, what).toBeGreaterThanOrEqual(200);
  expect(r.status, what).toBeLessThan(500);
  if (r.status >= 400 && head) expect(typeof r.headers["x-amzn-errortype"], what).toBe("string"); // HEAD: no body
  else if (r.status >= 400) {
    expect(typeof r.json?.ErrorCode, what).toBe("string");
    expect(typeof r.json?.Message, what).toBe("string");
    expect(String(r.headers["x-amzn-errortype"]).split(":")[0], what).toBe(r.json.ErrorCode);
  }
}

function checkAccepted(method: string, path: string, r: EfsReply, input: string): void {
  if (path === "/cistern/v1/mounts" && method === "POST") {
    const fsDir = realpathSync(join(efs.dataDir, "fs", r.json.FileSystemId));
    const host = String(r.json.HostPath);
    expect(host === fsDir || host.startsWith(fsDir + "/"), `mount ${host} outside ${fsDir} for ${input}`).toBe(true);
    expect(realpathSync(host), `mount path ${host} goes through a symlink`).toBe(host);
  }
  if (path === `${V}/access-points` && method === "POST") {
    const root = String(r.json.RootDirectory?.Path ?? "/");
    const parts = root.split("/").slice(1);
    expect(root.startsWith("/") && root.length <= 100 && parts.length <= 4, `access point root ${root}`).toBe(true);
    if (root !== "/") expect(parts.every((p) => p !== "" && p !== "." && p !== ".."), `access point root ${root}`).toBe(true);
  }
}

describe("hostile EFS API requests", () => {
  it(
    "every operation: no 5xx, AWS-shaped errors, refusals change nothing, accepted paths stay inside",
    async () => {
      await fc.assert(
        fc.asyncProperty(request, async (q) => {
          const input = `${q.method} ${q.path} ${JSON.stringify(q.query)} ${q.body ?? ""}`;
          const mutating = q.method !== "GET" && q.method !== "HEAD";
          const before = mutating ? await efs.settledSnapshot() : "";
          const r = await efs.send(q.method, q.path, q.query, q.body);
          tally.count(r.status);
          expectAwsShaped(r, input, q.method === "HEAD");
          if (r.status >= 400 && mutating) expect(efs.snapshot(), `refused ${r.status} ${r.json?.ErrorCode} changed the service: ${input.slice(0, 500)}`).toBe(before);
          if (r.status < 300) checkAccepted(q.method, q.path, r, input);
          expectNoPrototypePollution();
          // Keep the fixtures alive: release extra mounts, recreate what a DELETE removed.
          if (q.method === "POST" && q.path === "/cistern/v1/mounts" && r.status === 200) await efs.send("DELETE", `/cistern/v1/mounts/${r.json.MountId}`, {}, undefined);
          if (q.method === "DELETE" && r.status < 300) await restoreFixtures();
        }),
        fcParams(500),
      );
    },
    timeoutFor(500, 30),
  );
});

async function restoreFixtures(): Promise<void> {
  const fs = await efs.send("GET", `${V}/file-systems`, { FileSystemId: ids.fs }, undefined);
  if (fs.status !== 200) {
    const created = await efs.send("POST", `${V}/file-systems`, {}, JSON.stringify({ CreationToken: `fuzz-${Date.now()}` }));
    ids.fs = created.json.FileSystemId;
  }
  const ap = await efs.send("POST", `${V}/access-points`, {}, JSON.stringify({ ClientToken: `fuzz-ap-${ids.fs}`, FileSystemId: ids.fs, PosixUser: { Uid: 1000, Gid: 1000 }, RootDirectory: { Path: "/fuzz/ap", CreationInfo: { OwnerUid: 1000, OwnerGid: 1000, Permissions: "750" } } }));
  if (ap.status === 200) ids.ap = ap.json.AccessPointId;
  const mts = await efs.send("GET", `${V}/mount-targets`, { FileSystemId: ids.fs }, undefined);
  if (!mts.json?.MountTargets?.length) {
    const mt = await efs.send("POST", `${V}/mount-targets`, {}, JSON.stringify({ FileSystemId: ids.fs, SubnetId: "subnet-0123456789abcdef0" }));
    if (mt.status === 200) ids.mt = mt.json.MountTargetId;
  }
  const mounts = await efs.send("GET", "/cistern/v1/mounts", { FileSystemId: ids.fs }, undefined);
  if (!mounts.json?.Mounts?.length) {
    const m = await efs.send("POST", "/cistern/v1/mounts", {}, JSON.stringify({ FileSystemId: ids.fs, AccessPointId: ids.ap, SecureTransport: true, NodeId: "fuzz" }));
    if (m.status === 200) ids.mount = m.json.MountId;
  }
}
