import { describe, expect, it } from "vitest";
import { adoptionProblem } from "./adopt.js";
import { parseProvisionParams, type ProvisionParams } from "./params.js";
import { accessPointRootDir, interpolateSubPathPattern, stableUniqueId } from "./root-dir.js";
import { isCsiError } from "./spec.js";

const FS = "fs-0123456789abcdef0";
const base = { provisioningMode: "efs-ap", fileSystemId: FS };
const meta = { "csi.storage.k8s.io/pv/name": "pvc-1234", "csi.storage.k8s.io/pvc/name": "data", "csi.storage.k8s.io/pvc/namespace": "team-a" };

function invalid(params: Record<string, string>): string {
  try {
    parseProvisionParams(params);
  } catch (e) {
    expect(isCsiError(e, "InvalidArgument")).toBe(true);
    return (e as Error).message;
  }
  throw new Error(`${JSON.stringify(params)} was accepted`);
}

function rootOf(params: Record<string, string>, name = "pvc-1234"): string {
  return accessPointRootDir(parseProvisionParams(params), name).path;
}

function rootRefused(params: Record<string, string>, name = "pvc-1234"): string {
  try {
    rootOf(params, name);
  } catch (e) {
    expect(isCsiError(e, "InvalidArgument")).toBe(true);
    return (e as Error).message;
  }
  throw new Error(`${JSON.stringify(params)} gave a root directory`);
}

describe("parseProvisionParams", () => {
  it("applies upstream's defaults plus ours", () => {
    const p = parseProvisionParams({ ...base });
    expect(p).toMatchObject({
      fileSystemId: FS,
      directoryPerms: "700",
      gidRange: { min: 50000, max: 60000 },
      basePath: [],
      ensureUniqueDirectory: true,
      reuseAccessPoint: false,
      deleteAccessPointRootDir: true,
      enableTagging: true,
    });
    expect(p.uid).toBeUndefined();
  });

  it("parses every parameter", () => {
    const p = parseProvisionParams({
      ...base, ...meta, directoryPerms: "0750", uid: "1000", gid: "0", gidRangeStart: "100", gidRangeEnd: "200",
      basePath: "/dynamic/", subPathPattern: "${.PVC.namespace}/${.PVC.name}", ensureUniqueDirectory: "False",
      reuseAccessPoint: "t", deleteAccessPointRootDir: "false", enableTagging: "0", az: "us-east-1a",
    });
    expect(p).toMatchObject({
      directoryPerms: "0750", uid: 1000, gid: 0, gidRange: { min: 100, max: 200 }, basePath: ["dynamic"],
      ensureUniqueDirectory: false, reuseAccessPoint: true, deleteAccessPointRootDir: false, enableTagging: false,
      pvcName: "data", pvcNamespace: "team-a", pvName: "pvc-1234",
    });
  });

  it("names the parameter and the reason for every mistake", () => {
    expect(invalid({ fileSystemId: FS })).toBe("Missing provisioningMode parameter");
    expect(invalid({ provisioningMode: "efs-dir", fileSystemId: FS })).toMatch(/Provisioning mode efs-dir is not supported/);
    expect(invalid({ provisioningMode: "efs-ap" })).toBe("Missing fileSystemId parameter");
    expect(invalid({ ...base, fileSystemId: " " })).toMatch(/cannot be empty/);
    expect(invalid({ ...base, fileSystemId: "fs-xyz" })).toMatch(/fileSystemId: "fs-xyz" is not a file system ID/);
    expect(invalid({ ...base, directoryPerms: "rwx" })).toMatch(/directoryPerms/);
    expect(invalid({ ...base, uid: "-1" })).toMatch(/Failed to parse invalid uid/);
    expect(invalid({ ...base, gid: "1e3" })).toMatch(/Failed to parse invalid gid/);
    expect(invalid({ ...base, gid: "4294967295" })).toMatch(/gid must be at most/);
    expect(invalid({ ...base, gidRangeStart: "100" })).toMatch(/Missing gidRangeEnd/);
    expect(invalid({ ...base, gidRangeEnd: "100" })).toMatch(/Missing gidRangeStart/);
    expect(invalid({ ...base, gidRangeStart: "0", gidRangeEnd: "10" })).toMatch(/gidRangeStart must be greater than 0/);
    expect(invalid({ ...base, gidRangeStart: "10", gidRangeEnd: "10" })).toMatch(/gidRangeEnd must be greater than gidRangeStart/);
    expect(invalid({ ...base, ensureUniqueDirectory: "maybe" })).toMatch(/ensureUniqueDirectory/);
    expect(invalid({ ...base, reuseAccessPoint: "yes" })).toMatch(/Invalid value for reuseAccessPoint/);
    expect(invalid({ ...base, reuseAccessPoint: "true" })).toMatch(/reuseAccessPoint needs csi.storage.k8s.io\/pvc\/name/);
    expect(invalid({ ...base, gidRangestart: "1" })).toMatch(/"gidRangestart" is not a known StorageClass parameter/);
    expect(invalid({ ...base, fileSystemIdConfigRef: "ns/cm/key" })).toMatch(/not supported by Cistern/);
    expect(invalid({ ...base, "csi.storage.k8s.io/pvc/name": "../x" })).toMatch(/not a valid Kubernetes name/);
    expect(invalid({ ...base, "csi.storage.k8s.io/pvc/namespace": "a/b" })).toMatch(/not a valid Kubernetes name/);
  });

  it("refuses hostile base paths", () => {
    for (const bp of ["../x", "/a/../../b", "a//b", "./a", "/a/\u0000", "/a;rm", "/a$b", "/.hidden", "/a{b}"]) {
      expect(invalid({ ...base, basePath: bp }), bp).toMatch(/basePath/);
    }
  });
});

describe("access point root directory", () => {
  it("is the volume name under basePath by default", () => {
    expect(rootOf({ ...base })).toBe("/pvc-1234");
    expect(rootOf({ ...base, basePath: "/dyn" })).toBe("/dyn/pvc-1234");
    expect(rootOf({ ...base, basePath: "/" })).toBe("/pvc-1234");
  });

  it("interpolates subPathPattern and appends a per-volume unique id unless told not to", () => {
    const uniq = stableUniqueId("pvc-1234");
    expect(uniq).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(stableUniqueId("pvc-1235")).not.toBe(uniq);
    expect(rootOf({ ...base, ...meta, subPathPattern: "${.PVC.namespace}/${.PVC.name}" })).toBe(`/team-a/data-${uniq}`);
    expect(rootOf({ ...base, ...meta, basePath: "/k8s", subPathPattern: "${.PVC.namespace}-${.PV.name}", ensureUniqueDirectory: "false" })).toBe("/k8s/team-a-pvc-1234");
  });

  it("refuses leftover template syntax: other fields, nesting, stray braces", () => {
    const params = parseProvisionParams({ ...base, ...meta });
    const msg = (pattern: string) => {
      try {
        return interpolateSubPathPattern(pattern, params);
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(msg("${.PVC.annotations}")).toMatch(/contains invalid elements. Can only contain \[.PV.name .PVC.name .PVC.namespace\]/);
    expect(msg("${.PVC.labels.team}")).toMatch(/invalid elements/);
    expect(msg("${${.PVC.name}}")).toMatch(/invalid elements/);
    expect(msg("a}b")).toMatch(/invalid elements/);
    expect(msg("${.PVC.name")).toMatch(/invalid elements/);
    expect(msg("${.PVC.name}")).toBe("data");
  });

  it("needs the metadata a pattern uses", () => {
    expect(rootRefused({ ...base, subPathPattern: "${.PVC.name}" })).toMatch(/extra-create-metadata/);
  });

  it("refuses .., absolute escapes, EFS-forbidden characters, >100 characters, >4 levels, and the file system root", () => {
    expect(rootRefused({ ...base, ...meta, subPathPattern: "../${.PVC.name}" })).toMatch(/not a plain path/);
    expect(rootRefused({ ...base, ...meta, subPathPattern: "a/../../etc", ensureUniqueDirectory: "false" })).toMatch(/not a plain path/);
    expect(rootRefused({ ...base, ...meta, subPathPattern: "a;b" })).toMatch(/character EFS does not allow/);
    expect(rootRefused({ ...base, ...meta, subPathPattern: "x".repeat(101), ensureUniqueDirectory: "false" })).toMatch(/not a plain path|exceeds EFS limit of 100 characters/);
    expect(rootRefused({ ...base, basePath: "/" + "b".repeat(95) })).toMatch(/exceeds EFS limit of 100 characters/);
    expect(rootRefused({ ...base, basePath: "/a/b/c/d" })).toMatch(/exceeds EFS limit of 4 subdirectories/);
    expect(rootOf({ ...base, basePath: "/a/b/c" })).toBe("/a/b/c/pvc-1234");
    expect(rootRefused({ ...base, basePath: "/", subPathPattern: "", ensureUniqueDirectory: "false" })).toMatch(/file system root/);
    expect(rootRefused({ ...base, basePath: "/", subPathPattern: "/", ensureUniqueDirectory: "false" })).toMatch(/file system root/);
  });
});

describe("adopting an existing access point", () => {
  const params = (extra: Record<string, string> = {}): ProvisionParams => parseProvisionParams({ ...base, basePath: "/dyn", ...extra });
  const ap = (over: Record<string, unknown> = {}) => ({
    accessPointId: "fsap-0123456789abcdef0",
    fileSystemId: FS,
    rootPath: "/dyn/pvc-1",
    posixUser: { uid: 50001, gid: 50001 },
    tags: {},
    ...over,
  });

  it("accepts an access point that fits the class", () => {
    expect(adoptionProblem(ap(), params())).toBeUndefined();
    expect(adoptionProblem(ap({ posixUser: { uid: 1000, gid: 50010 } }), params({ uid: "1000" }))).toBeUndefined();
  });

  it("refuses another file system, another base path, no or foreign POSIX identity", () => {
    expect(adoptionProblem(ap({ fileSystemId: "fs-00000000" }), params())).toMatch(/belongs to file system/);
    expect(adoptionProblem(ap({ rootPath: "/dynamic/pvc-1" }), params())).toMatch(/not below the storage class's base path/);
    expect(adoptionProblem(ap({ rootPath: "/dyn" }), params())).toMatch(/not below/);
    expect(adoptionProblem(ap({ posixUser: undefined }), params())).toMatch(/no POSIX user/);
    expect(adoptionProblem(ap({ posixUser: { uid: 50001, gid: 1 } }), params())).toMatch(/GID 1 is outside/);
    expect(adoptionProblem(ap({ posixUser: { uid: 0, gid: 50001 } }), params())).toMatch(/UID 0 is outside/);
    expect(adoptionProblem(ap(), params({ gid: "7" }))).toMatch(/not the storage class's gid 7/);
  });
});
