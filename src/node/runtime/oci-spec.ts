/**
 * The OCI runtime config (bundle/config.json) for one container, as a pure function of resolved inputs.
 * Choices, each as a container runtime would make them unless noted:
 *   - namespaces: new pid and mount; ipc and uts joined from the pod sandbox; NO network namespace — containers
 *     share the host network (documented simplification: this runtime has no CNI);
 *   - capabilities: the containerd/Docker default set, adjusted by securityContext add/drop; nothing inheritable
 *     or ambient (the kernel clears permitted/effective at exec for non-root users);
 *   - masked and read-only /proc and /sys paths as containerd's defaults;
 *   - every mount private (rprivate), rootfs propagation rprivate: nothing propagates in or out;
 *   - cgroup under /cistern/<id>, optional memory and CPU limits; no seccomp profile (documented gap).
 */
import type { ContainerSpec, SecurityContext } from "./container-spec.js";
import { RuntimeError } from "./errors.js";

export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

export interface OciProcess {
  terminal: boolean;
  user: { uid: number; gid: number; additionalGids?: number[] };
  args: string[];
  env: string[];
  cwd: string;
  capabilities: { bounding: string[]; effective: string[]; permitted: string[]; inheritable: string[]; ambient: string[] };
  noNewPrivileges: boolean;
  oomScoreAdj?: number;
}

export const DEFAULT_CAPABILITIES = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_FSETID",
  "CAP_FOWNER",
  "CAP_MKNOD",
  "CAP_NET_RAW",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETFCAP",
  "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE",
  "CAP_SYS_CHROOT",
  "CAP_KILL",
  "CAP_AUDIT_WRITE",
];

const ALL_CAPABILITIES = new Set([
  ...DEFAULT_CAPABILITIES,
  "CAP_DAC_READ_SEARCH", "CAP_LINUX_IMMUTABLE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
  "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
  "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_LEASE", "CAP_AUDIT_CONTROL", "CAP_MAC_OVERRIDE",
  "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
]);

export const MASKED_PATHS = [
  "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
  "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
];
export const READONLY_PATHS = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

function capName(c: string): string {
  const n = c.toUpperCase().startsWith("CAP_") ? c.toUpperCase() : `CAP_${c.toUpperCase()}`;
  if (!ALL_CAPABILITIES.has(n)) throw new RuntimeError("InvalidSpec", `unknown capability ${JSON.stringify(c)}`);
  return n;
}

/** Default capabilities adjusted by securityContext.capabilities ("ALL" allowed in drop and add). */
export function capabilitySet(sc: SecurityContext | undefined): string[] {
  const add = sc?.capabilities?.add ?? [];
  const drop = sc?.capabilities?.drop ?? [];
  let caps = new Set(DEFAULT_CAPABILITIES);
  if (drop.some((d) => d.toUpperCase() === "ALL")) caps = new Set();
  else for (const d of drop) caps.delete(capName(d));
  if (add.some((a) => a.toUpperCase() === "ALL")) for (const c of ALL_CAPABILITIES) caps.add(c);
  else for (const a of add) caps.add(capName(a));
  return [...caps].sort();
}

export function capabilitiesOf(caps: string[]): OciProcess["capabilities"] {
  return { bounding: [...caps], effective: [...caps], permitted: [...caps], inheritable: [], ambient: [] };
}

export interface PodFiles {
  hostname: string; // host file bound at /etc/hostname
  hosts: string;
  resolvConf: string;
  shm: string; // tmpfs directory shared by the pod's containers
}

/** The mounts every container gets, before volume mounts. */
export function baseMounts(files: PodFiles): OciMount[] {
  return [
    { destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"] },
    { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"] },
    { destination: "/dev/pts", type: "devpts", source: "devpts", options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
    { destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"] },
    { destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"] },
    { destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup", options: ["nosuid", "noexec", "nodev", "relatime", "ro"] },
    { destination: "/dev/shm", type: "bind", source: files.shm, options: ["rbind", "rprivate", "nosuid", "nodev", "noexec"] },
    { destination: "/etc/hostname", type: "bind", source: files.hostname, options: ["rbind", "rprivate", "ro"] },
    { destination: "/etc/hosts", type: "bind", source: files.hosts, options: ["rbind", "rprivate", "ro"] },
    { destination: "/etc/resolv.conf", type: "bind", source: files.resolvConf, options: ["rbind", "rprivate", "ro"] },
  ];
}

export interface OciSpecInput {
  id: string;
  hostname: string;
  process: OciProcess;
  readonlyRootfs: boolean;
  /** Namespaces to join: { type: "ipc", path } etc. Types not listed here get a new namespace only if in `newNamespaces`. */
  joinNamespaces: { type: "ipc" | "uts"; path: string }[];
  mounts: OciMount[];
  resources?: ContainerSpec["resources"];
}

export function buildOciSpec(input: OciSpecInput): Record<string, unknown> {
  const joined = new Map(input.joinNamespaces.map((n) => [n.type, n.path]));
  const namespaces: { type: string; path?: string }[] = [{ type: "pid" }, { type: "mount" }];
  for (const t of ["ipc", "uts"] as const) namespaces.push(joined.has(t) ? { type: t, path: joined.get(t)! } : { type: t });
  const resources: Record<string, unknown> = { devices: [{ allow: false, access: "rwm" }] };
  if (input.resources?.memoryLimitBytes) resources.memory = { limit: input.resources.memoryLimitBytes };
  if (input.resources?.cpuMillis) {
    resources.cpu = { quota: input.resources.cpuMillis * 100, period: 100_000, shares: Math.max(2, Math.floor((input.resources.cpuMillis * 1024) / 1000)) };
  }
  return {
    ociVersion: "1.0.2",
    process: input.process,
    root: { path: "rootfs", readonly: input.readonlyRootfs },
    hostname: input.hostname,
    mounts: input.mounts,
    linux: {
      namespaces,
      resources,
      cgroupsPath: `/cistern/${input.id}`,
      rootfsPropagation: "rprivate",
      maskedPaths: MASKED_PATHS,
      readonlyPaths: READONLY_PATHS,
    },
  };
}
