/**
 * The numeric identity a container runs as: runAsUser/runAsGroup win; otherwise the image's USER, which may name
 * a user or group that is looked up in the image's /etc/passwd and /etc/group (read through safe-path: a symlinked
 * passwd file in an image is treated as absent). Supplementary groups: the user's groups in /etc/group, plus
 * fsGroup and supplementalGroups.
 */
import * as fs from "node:fs";
import { openBeneath } from "../../lib/safe-path/index.js";
import type { SecurityContext } from "./container-spec.js";
import { RuntimeError } from "./errors.js";

export interface ProcessUser {
  uid: number;
  gid: number;
  additionalGids: number[];
}

interface Entry {
  name: string;
  id: number;
  gid?: number;
  members?: string[];
}

function readImageFile(rootfs: string, rel: string): string {
  try {
    const h = openBeneath(rootfs, rel);
    try {
      if (h.stat.size > 1 << 20) return "";
      return fs.readFileSync(h.fd, "utf8");
    } finally {
      h.close();
    }
  } catch {
    return "";
  }
}

function parse(text: string, kind: "passwd" | "group"): Entry[] {
  const out: Entry[] = [];
  for (const line of text.split("\n")) {
    const f = line.split(":");
    if (f.length < 4 || !/^\d+$/.test(f[2])) continue;
    if (kind === "passwd") out.push({ name: f[0], id: Number(f[2]), gid: /^\d+$/.test(f[3]) ? Number(f[3]) : undefined });
    else out.push({ name: f[0], id: Number(f[2]), members: f[3] ? f[3].split(",").filter(Boolean) : [] });
  }
  return out;
}

function numeric(s: string): number | undefined {
  return /^\d+$/.test(s) ? Number(s) : undefined;
}

export function resolveUser(rootfs: string, imageUser: string, sc: SecurityContext = {}): ProcessUser {
  const passwd = parse(readImageFile(rootfs, "etc/passwd"), "passwd");
  const groups = parse(readImageFile(rootfs, "etc/group"), "group");
  const [userPart, groupPart] = (imageUser || "").split(":", 2);

  let uid = sc.runAsUser;
  let userName: string | undefined;
  if (uid === undefined) {
    if (!userPart) uid = 0;
    else if (numeric(userPart) !== undefined) uid = numeric(userPart);
    else {
      const e = passwd.find((p) => p.name === userPart);
      if (!e) throw new RuntimeError("InvalidSpec", `image user ${JSON.stringify(userPart)} is not in the image's /etc/passwd`);
      uid = e.id;
      userName = e.name;
    }
  }
  const pw = passwd.find((p) => p.id === uid);
  userName ??= pw?.name;

  let gid = sc.runAsGroup;
  if (gid === undefined && groupPart && sc.runAsUser === undefined) {
    if (numeric(groupPart) !== undefined) gid = numeric(groupPart);
    else {
      const g = groups.find((x) => x.name === groupPart);
      if (!g) throw new RuntimeError("InvalidSpec", `image group ${JSON.stringify(groupPart)} is not in the image's /etc/group`);
      gid = g.id;
    }
  }
  gid ??= pw?.gid ?? 0;

  const extra = new Set<number>();
  if (userName) for (const g of groups) if (g.members?.includes(userName) && g.id !== gid) extra.add(g.id);
  if (sc.fsGroup !== undefined) extra.add(sc.fsGroup);
  for (const g of sc.supplementalGroups ?? []) extra.add(g);
  if (sc.runAsNonRoot && uid === 0) {
    throw new RuntimeError("InvalidSpec", "container has runAsNonRoot and image will run as root");
  }
  return { uid: uid!, gid, additionalGids: [...extra].sort((a, b) => a - b) };
}
