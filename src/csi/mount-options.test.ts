import { describe, expect, it } from "vitest";
import { capabilityProblem, checkCapabilities, isReaderOnly } from "./capabilities.js";
import { parseMountOptions } from "./mount-options.js";
import { isCsiError, type VolumeCapability } from "./spec.js";
import { parseVolumeContext } from "./volume-context.js";

function refusedOptions(opts: string[]): string {
  try {
    parseMountOptions(opts);
  } catch (e) {
    expect(isCsiError(e, "InvalidArgument")).toBe(true);
    return (e as Error).message;
  }
  throw new Error(`${JSON.stringify(opts)} was accepted`);
}

describe("parseMountOptions", () => {
  it("honours ro, iam, tls and accesspoint=, keeps tuning options, lower-cases and de-duplicates", () => {
    const s = parseMountOptions(["TLS", "iam", "ro,noresvport", "rsize=1048576", "tls", "accesspoint=fsap-0123456789abcdef0"]);
    expect(s).toEqual({
      readOnly: true,
      iam: true,
      tls: true,
      accessPointId: "fsap-0123456789abcdef0",
      options: ["tls", "iam", "ro", "noresvport", "rsize=1048576", "accesspoint=fsap-0123456789abcdef0"],
    });
    expect(parseMountOptions(undefined)).toEqual({ readOnly: false, iam: false, tls: false, accessPointId: undefined, options: [] });
  });

  it("drops awscredsuri as upstream does, even when smuggled after a comma", () => {
    expect(parseMountOptions(["tls,awscredsuri=/v2/credentials/x"]).options).toEqual(["tls"]);
  });

  it("refuses injection: unknown options, smuggled values, whitespace, quotes, empty segments", () => {
    expect(refusedOptions(["accesspoint=fsap-0123456789abcdef0,helper=/bin/sh"])).toMatch(/not supported/);
    expect(refusedOptions(["accesspoint=fsap-0123456789abcdef0 ,ro"])).toMatch(/whitespace/);
    expect(refusedOptions(["mounttargetip=10.0.0.1,foo"])).toMatch(/not supported/);
    expect(refusedOptions(["mounttargetip=10.0.0.1;rm"])).toMatch(/invalid value/);
    expect(refusedOptions(["tls,,ro"])).toMatch(/empty/);
    expect(refusedOptions(['ro"'])).toMatch(/quotes/);
    expect(refusedOptions(["ro\u0000rw"])).toMatch(/control/);
    expect(refusedOptions(["accesspoint=fsap-zz"])).toMatch(/invalid value/);
    expect(refusedOptions(["rsize=99999999"])).toMatch(/invalid value/);
    expect(refusedOptions(["tlsport=0"])).toMatch(/invalid value/);
    expect(refusedOptions(["ro=1"])).toMatch(/takes no value/);
    expect(refusedOptions(["rsize"])).toMatch(/needs a value/);
    expect(refusedOptions(["x".repeat(300)])).toMatch(/not supported/);
  });

  it("refuses options that name host files, crossaccount, and contradictions", () => {
    expect(refusedOptions(["cafile=/etc/shadow"])).toMatch(/host files/);
    expect(refusedOptions(["netns=/proc/1/ns/net"])).toMatch(/host files/);
    expect(refusedOptions(["crossaccount"])).toMatch(/crossaccount/);
    expect(refusedOptions(["ro", "rw"])).toMatch(/contradict/);
    expect(refusedOptions(["accesspoint=fsap-0123456789abcdef0", "accesspoint=fsap-0123456789abcdef1"])).toMatch(/conflicting/);
  });
});

describe("parseVolumeContext", () => {
  it("accepts upstream's keys case-insensitively and pod info", () => {
    expect(parseVolumeContext({ encryptInTransit: "false" })).toEqual({ encryptInTransit: false });
    expect(parseVolumeContext({ MountTargetIP: "10.1.2.3", "storage.kubernetes.io/csiProvisionerIdentity": "x" }).mountTargetIp).toBe("10.1.2.3");
    expect(parseVolumeContext({ "csi.storage.k8s.io/pod.name": "p", "csi.storage.k8s.io/serviceAccount.name": "sa" })).toEqual({ encryptInTransit: true });
    expect(parseVolumeContext({ mounttargetipmap: '{"us-east-1a":"10.0.0.1"}' })).toEqual({ encryptInTransit: true });
  });

  it("refuses unknown keys and bad values", () => {
    const bad: Record<string, string>[] = [
      { path: "/etc" },
      { foo: "bar" },
      { encryptInTransit: "yes" },
      { mounttargetip: "10.0.0.1,awscredsuri=x" },
      { mounttargetipmap: '{"az":"not-an-ip"}' },
      { mounttargetipmap: "[1]" },
    ];
    for (const ctx of bad) expect(() => parseVolumeContext(ctx), JSON.stringify(ctx)).toThrow(/Volume context property/);
  });
});

describe("volume capabilities", () => {
  const mount = (mode: VolumeCapability["accessMode"]["mode"], extra: Partial<NonNullable<VolumeCapability["mount"]>> = {}): VolumeCapability => ({
    mount: { ...extra },
    accessMode: { mode },
  });

  it("offers every access mode on mount volumes, including ReadOnlyMany and ReadWriteOncePod", () => {
    for (const m of ["SINGLE_NODE_WRITER", "MULTI_NODE_MULTI_WRITER", "MULTI_NODE_READER_ONLY", "SINGLE_NODE_SINGLE_WRITER"] as const) {
      expect(capabilityProblem(mount(m))).toBeUndefined();
    }
    expect(isReaderOnly(mount("MULTI_NODE_READER_ONLY"))).toBe(true);
    expect(isReaderOnly(mount("MULTI_NODE_MULTI_WRITER"))).toBe(false);
  });

  it("refuses block volumes, other file system types, unknown modes and bad mount flags", () => {
    expect(capabilityProblem({ block: {}, accessMode: { mode: "SINGLE_NODE_WRITER" } })).toMatch(/block/);
    expect(capabilityProblem(mount("SINGLE_NODE_WRITER", { fsType: "ext4" }))).toMatch(/fsType/);
    expect(capabilityProblem({ mount: {}, accessMode: { mode: "BOGUS" as never } })).toMatch(/access mode/);
    expect(capabilityProblem(mount("SINGLE_NODE_WRITER", { mountFlags: ["helper=/bin/sh"] }))).toMatch(/not supported/);
    expect(() => checkCapabilities([])).toThrow(/not provided/);
  });
});
