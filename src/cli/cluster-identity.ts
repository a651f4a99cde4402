/**
 * Facts about this installation that must stay the same across restarts: the AWS-style account
 * ID and region the EFS service puts in ARNs. Created on first start in DIR/cluster.json.
 */
import { existsSync, readFileSync } from "node:fs";
import { randomInt } from "node:crypto";
import { join } from "node:path";
import { writeFileAtomic } from "../lib/atomic-file.js";

export interface ClusterIdentity {
  accountId: string;
  region: string;
}

export function loadClusterIdentity(dataDir: string): ClusterIdentity {
  const path = join(dataDir, "cluster.json");
  if (existsSync(path)) {
    const raw = JSON.parse(readFileSync(path, "utf8")) as Partial<ClusterIdentity>;
    if (typeof raw.accountId === "string" && /^\d{12}$/.test(raw.accountId) && typeof raw.region === "string") return raw as ClusterIdentity;
    throw new Error(`${path} is damaged: expected {"accountId": "<12 digits>", "region": "..."}`);
  }
  let accountId = String(randomInt(1, 10));
  for (let i = 0; i < 11; i++) accountId += String(randomInt(0, 10));
  const identity = { accountId, region: process.env.AWS_REGION ?? "us-east-1" };
  writeFileAtomic(path, JSON.stringify(identity, null, 2) + "\n", 0o644);
  return identity;
}
