/**
 * runc versions and the vulnerabilities this project knows about. The Debian bookworm runc (1.1.5+ds1-1+deb12u1)
 * carries the CVE-2024-21626 backport but none of the November 2025 fixes, so it is vulnerable to CVE-2025-31133,
 * CVE-2025-52565 and CVE-2025-52881; the runtime warns loudly about those at start.
 */

export interface RuncVersion {
  /** "1.1.5+ds1" */
  version: string;
  /** The commit / distribution package version line, e.g. "1.1.5+ds1-1+deb12u1". */
  commit: string;
  major: number;
  minor: number;
  patch: number;
}

export interface Vulnerability {
  id: string;
  summary: string;
  /** First fixed release on each maintained branch. */
  fixedIn: string[];
  /** True when the runtime has its own mitigation in place (the warning still names it). */
  mitigatedByRuntime?: string;
}

export function parseRuncVersion(text: string): RuncVersion {
  const v = /runc version\s+(\S+)/.exec(text)?.[1] ?? text.trim().split(/\s+/)[0] ?? "";
  const commit = /commit:\s*(\S+)/.exec(text)?.[1] ?? "";
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v);
  return { version: v, commit, major: Number(m?.[1] ?? 0), minor: Number(m?.[2] ?? 0), patch: Number(m?.[3] ?? 0) };
}

const TABLE: (Vulnerability & { backports?: RegExp[] })[] = [
  {
    id: "CVE-2024-21626",
    summary: "leaked fd lets process.cwd (image WORKDIR /proc/self/fd/N) reach the host filesystem",
    fixedIn: ["1.1.12"],
    backports: [/^1\.1\.5\+ds1-1\+deb12u\d+/],
    mitigatedByRuntime: "working directories under /proc are refused",
  },
  {
    id: "CVE-2025-31133",
    summary: "maskedPaths bind-mounts the container's /dev/null without checking it; a symlink there exposes host procfs files",
    fixedIn: ["1.2.8", "1.3.3", "1.4.0-rc.3"],
  },
  {
    id: "CVE-2025-52565",
    summary: "/dev/console bind mount can be redirected by a racing container",
    fixedIn: ["1.2.8", "1.3.3", "1.4.0-rc.3"],
  },
  {
    id: "CVE-2025-52881",
    summary: "runc's writes to /proc (LSM labels, sysctls) can be redirected through shared mounts, e.g. to /proc/sysrq-trigger",
    fixedIn: ["1.2.8", "1.3.3", "1.4.0-rc.3"],
    mitigatedByRuntime: "all mounts are private (no shared propagation)",
  },
  {
    id: "CVE-2026-41579",
    summary: "an image whose /dev is a symlink makes runc create or delete files in host directories",
    fixedIn: ["1.3.6"],
    mitigatedByRuntime: "images with a symlinked /dev, /proc or /sys are refused",
  },
];

function triple(v: string): [number, number, number, boolean] {
  const m = /^(\d+)\.(\d+)\.(\d+)(-\S+)?/.exec(v);
  return [Number(m?.[1] ?? 0), Number(m?.[2] ?? 0), Number(m?.[3] ?? 0), !!m?.[4]];
}

function compare(a: RuncVersion, fix: string): number {
  const [x, y, z, pre] = triple(fix);
  return a.major - x || a.minor - y || a.patch - z || (pre ? 1 : 0);
}

function isFixed(v: RuncVersion, fixes: string[]): boolean {
  const sameBranch = fixes.filter((f) => triple(f)[0] === v.major && triple(f)[1] === v.minor);
  if (sameBranch.length) return sameBranch.some((f) => compare(v, f) >= 0);
  // A branch newer than every fixed branch contains the fix; an older branch without a fix does not.
  return fixes.every((f) => compare(v, f) > 0);
}

/** Known vulnerabilities of a runc version (text of `runc --version`, a version string, or a parsed version). */
export function knownVulnerabilities(version: string | RuncVersion): Vulnerability[] {
  const v = typeof version === "string" ? parseRuncVersion(version.includes("runc version") ? version : `runc version ${version}`) : version;
  return TABLE.filter((t) => !isFixed(v, t.fixedIn) && !(t.backports ?? []).some((re) => re.test(v.commit))).map(({ backports: _b, ...rest }) => rest);
}
