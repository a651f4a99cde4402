/**
 * PV / StorageClass mountOptions. Upstream joins them with "," into the argument of `mount -t efs
 * -o …`, so an entry like "tls,awscredsuri=http://…" or a value carrying "," smuggles options in.
 * Here every entry is split on "," and each option must come from an allow-list, with its value
 * matching a fixed pattern; anything else is InvalidArgument. `awscredsuri` is dropped as upstream
 * does (credential-URI injection), `crossaccount` is refused when set by hand, and options naming
 * host paths (cafile, netns, jwtpath) are refused outright.
 *
 * Only `ro`, `iam`, `tls` and `accesspoint=` change what the Cistern data plane does; the rest are
 * NFS/efs-utils tuning, validated and kept for an efs-utils mounter.
 */
import { isIP } from "node:net";
import { AP_ID } from "./ids.js";
import { csiError } from "./spec.js";

type ValueRule = RegExp | ((v: string) => boolean);

const NUMBER = /^\d{1,7}$/;
const FLAGS = new Set([
  "ro", "rw", "tls", "iam", "ocsp", "noocsp", "noresvport", "resvport", "hard", "soft", "sync", "async",
  "noatime", "atime", "relatime", "nodiratime", "nosuid", "suid", "nodev", "dev", "noexec", "exec",
  "noac", "ac", "_netdev", "nofail", "nocto", "cto",
]);
const VALUED: Record<string, ValueRule> = {
  accesspoint: AP_ID,
  tlsport: (v) => /^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535,
  verify: /^[0-3]$/,
  awsprofile: /^[a-z0-9_.-]{1,64}$/,
  region: /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/,
  az: /^[a-z0-9-]{1,32}$/,
  mounttargetip: (v) => isIP(v) !== 0,
  nfsvers: /^4(\.[01])?$/,
  vers: /^4(\.[01])?$/,
  rsize: (v) => NUMBER.test(v) && Number(v) <= 1_048_576,
  wsize: (v) => NUMBER.test(v) && Number(v) <= 1_048_576,
  timeo: NUMBER,
  retrans: NUMBER,
  actimeo: NUMBER,
  acregmin: NUMBER,
  acregmax: NUMBER,
  acdirmin: NUMBER,
  acdirmax: NUMBER,
  lookupcache: /^(all|none|pos|positive)$/,
};
const REFUSED: Record<string, string> = {
  crossaccount: "crossaccount is set by the driver for cross-account volumes and cannot be given as a mount option",
  cafile: "options naming host files are not allowed",
  netns: "options naming host files are not allowed",
  jwtpath: "options naming host files are not allowed",
  rolearn: "the IAM identity comes from the pod's service account, not from mount options",
};
const DROPPED = new Set(["awscredsuri"]);

export interface MountOptionSet {
  readOnly: boolean;
  iam: boolean;
  tls: boolean;
  /** The deprecated way to name an access point; must agree with the volume handle's. */
  accessPointId?: string;
  /** Every accepted option, lower-cased and de-duplicated, in order (what an efs-utils mounter would pass). */
  options: string[];
}

function checkOne(opt: string, what: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (opt === "" || /[\s\u0000-\u001f\u007f"'\\]/.test(opt)) {
    throw csiError("InvalidArgument", `${what} ${JSON.stringify(opt)} is empty or contains whitespace, quotes or control characters`);
  }
  const eq = opt.indexOf("=");
  const name = eq < 0 ? opt : opt.slice(0, eq);
  const value = eq < 0 ? undefined : opt.slice(eq + 1);
  if (DROPPED.has(name)) return undefined;
  if (name in REFUSED) throw csiError("InvalidArgument", `${what} ${JSON.stringify(opt)}: ${REFUSED[name]}`);
  if (value === undefined) {
    if (FLAGS.has(name)) return name;
    if (name in VALUED) throw csiError("InvalidArgument", `${what} ${JSON.stringify(opt)} needs a value (${name}=…)`);
  } else {
    const rule = VALUED[name];
    if (rule) {
      const ok = typeof rule === "function" ? rule(value) : rule.test(value);
      if (!ok) throw csiError("InvalidArgument", `${what} ${JSON.stringify(opt)} has an invalid value for ${name}`);
      return `${name}=${value}`;
    }
    if (FLAGS.has(name)) throw csiError("InvalidArgument", `${what} ${JSON.stringify(opt)}: ${name} takes no value`);
  }
  throw csiError("InvalidArgument", `${what} ${JSON.stringify(opt)} is not supported`);
}

/** Validate mountOptions (each entry may hold several comma-separated options). */
export function parseMountOptions(entries: readonly string[] | undefined, what = "mount option"): MountOptionSet {
  const options: string[] = [];
  for (const entry of entries ?? []) {
    if (typeof entry !== "string") throw csiError("InvalidArgument", `${what} must be a string`);
    for (const part of entry.toLowerCase().split(",")) {
      const opt = checkOne(part, what);
      if (opt !== undefined && !options.includes(opt)) options.push(opt);
    }
  }
  const has = (o: string) => options.includes(o);
  if (has("ro") && has("rw")) throw csiError("InvalidArgument", `${what}s ro and rw contradict each other`);
  if (has("hard") && has("soft")) throw csiError("InvalidArgument", `${what}s hard and soft contradict each other`);
  const aps = options.filter((o) => o.startsWith("accesspoint=")).map((o) => o.slice("accesspoint=".length));
  if (aps.length > 1) throw csiError("InvalidArgument", `conflicting access point IDs in mount options: ${aps.join(", ")}`);
  return { readOnly: has("ro"), iam: has("iam"), tls: has("tls"), accessPointId: aps[0], options };
}
