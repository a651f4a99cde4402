/** The cluster's admin bearer token, created on first start in DIR/pki/admin.token (0600). */
import { existsSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { writeFileAtomic } from "../lib/atomic-file.js";

export function ensureAdminToken(pkiDir: string): string {
  const path = join(pkiDir, "admin.token");
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  const token = randomBytes(32).toString("base64url");
  writeFileAtomic(path, token + "\n", 0o600);
  return token;
}
