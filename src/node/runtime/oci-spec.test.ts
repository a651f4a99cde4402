import { describe, expect, it } from "vitest";
import { isRuntimeError } from "./errors.js";
import { DEFAULT_CAPABILITIES, MASKED_PATHS, baseMounts, buildOciSpec, capabilitiesOf, capabilitySet } from "./oci-spec.js";

const files = { hostname: "/d/hostname", hosts: "/d/hosts", resolvConf: "/d/resolv.conf", shm: "/d/shm" };

describe("capabilities", () => {
  it("defaults to the container-runtime set, with add and drop", () => {
    expect(capabilitySet(undefined)).toEqual([...DEFAULT_CAPABILITIES].sort());
    const adjusted = capabilitySet({ capabilities: { add: ["NET_ADMIN", "cap_sys_time"], drop: ["CHOWN", "CAP_KILL"] } });
    expect(adjusted).toContain("CAP_NET_ADMIN");
    expect(adjusted).toContain("CAP_SYS_TIME");
    expect(adjusted).not.toContain("CAP_CHOWN");
    expect(adjusted).not.toContain("CAP_KILL");
    expect(capabilitySet({ capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } })).toEqual(["CAP_NET_BIND_SERVICE"]);
    expect(capabilitySet({ capabilities: { add: ["ALL"] } })).toContain("CAP_SYS_ADMIN");
  });

  it("refuses unknown capability names", () => {
    let err: unknown;
    try {
      capabilitySet({ capabilities: { add: ["CAP_EVERYTHING"] } });
    } catch (e) {
      err = e;
    }
    expect(isRuntimeError(err, "InvalidSpec")).toBe(true);
  });

  it("never grants inheritable or ambient capabilities", () => {
    const c = capabilitiesOf(["CAP_KILL"]);
    expect(c).toEqual({ bounding: ["CAP_KILL"], effective: ["CAP_KILL"], permitted: ["CAP_KILL"], inheritable: [], ambient: [] });
  });
});

describe("buildOciSpec", () => {
  const spec = buildOciSpec({
    id: "abc",
    hostname: "web-0",
    process: {
      terminal: false,
      user: { uid: 1, gid: 2 },
      args: ["sh"],
      env: [],
      cwd: "/",
      capabilities: capabilitiesOf([]),
      noNewPrivileges: false,
    },
    readonlyRootfs: true,
    joinNamespaces: [
      { type: "ipc", path: "/proc/1/fd/10" },
      { type: "uts", path: "/proc/1/fd/11" },
    ],
    mounts: baseMounts(files),
    resources: { memoryLimitBytes: 64 << 20, cpuMillis: 500 },
  }) as any;

  it("joins the sandbox's ipc/uts, has its own pid and mount namespaces and no network namespace", () => {
    expect(spec.linux.namespaces).toEqual([{ type: "pid" }, { type: "mount" }, { type: "ipc", path: "/proc/1/fd/10" }, { type: "uts", path: "/proc/1/fd/11" }]);
    expect(spec.hostname).toBe("web-0");
  });

  it("keeps every mount private and masks kernel files", () => {
    expect(spec.linux.rootfsPropagation).toBe("rprivate");
    for (const m of spec.mounts as { type: string; options: string[] }[]) {
      if (m.type === "bind") expect(m.options).toContain("rprivate");
      expect(m.options.some((o: string) => /shared|slave/.test(o))).toBe(false);
    }
    expect(spec.linux.maskedPaths).toEqual(MASKED_PATHS);
    expect(spec.linux.readonlyPaths).toContain("/proc/sys");
    expect(spec.root).toEqual({ path: "rootfs", readonly: true });
    expect(spec.mounts.map((m: { destination: string }) => m.destination)).toEqual(
      expect.arrayContaining(["/proc", "/dev", "/dev/pts", "/dev/shm", "/sys", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf"]),
    );
  });

  it("maps resource limits and scopes the cgroup", () => {
    expect(spec.linux.cgroupsPath).toBe("/cistern/abc");
    expect(spec.linux.resources.memory).toEqual({ limit: 64 << 20 });
    expect(spec.linux.resources.cpu).toEqual({ quota: 50_000, period: 100_000, shares: 512 });
    expect(spec.linux.resources.devices).toEqual([{ allow: false, access: "rwm" }]);
  });
});
