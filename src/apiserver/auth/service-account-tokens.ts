/**
 * ServiceAccount tokens: ES256 JWTs as kube-apiserver issues them (iss, sub
 * "system:serviceaccount:<ns>:<name>", aud, exp, and the kubernetes.io claim naming the
 * namespace and the account's uid). A token is accepted only while its account still exists
 * with the same uid (bound tokens), so deleting the account revokes its tokens.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SignJWT, jwtVerify } from "jose";
import { writeFileAtomic } from "../../lib/atomic-file.js";
import type { UserInfo } from "../registry/admission.js";

export const ISSUER = "https://kubernetes.default.svc.cluster.local";
export const DEFAULT_AUDIENCE = "https://kubernetes.default.svc.cluster.local";

export interface ServiceAccountRef {
  namespace: string;
  name: string;
  uid: string;
}

export interface TokenIssuer {
  issue(sa: ServiceAccountRef, opts: { audiences?: string[]; expirationSeconds?: number; now?: Date }): Promise<{ token: string; expiresAt: Date }>;
  /** The account a token names, if the signature, issuer, audience and expiry hold. */
  verify(token: string): Promise<{ sa: ServiceAccountRef; user: UserInfo } | undefined>;
}

/** The signing key, created on first start in DIR/pki/sa.key (0600). */
export function loadSigningKey(pkiDir: string): { privateKey: KeyObject; publicKey: KeyObject } {
  const path = join(pkiDir, "sa.key");
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    writeFileAtomic(path, privateKey.export({ type: "pkcs8", format: "pem" }) as string, 0o600);
  }
  const privateKey = createPrivateKey(readFileSync(path, "utf8"));
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

export function userForServiceAccount(sa: { namespace: string; name: string }): UserInfo {
  return {
    name: `system:serviceaccount:${sa.namespace}:${sa.name}`,
    groups: ["system:serviceaccounts", `system:serviceaccounts:${sa.namespace}`, "system:authenticated"],
  };
}

export function createTokenIssuer(keys: { privateKey: KeyObject; publicKey: KeyObject }, accountExists: (sa: ServiceAccountRef) => Promise<boolean>): TokenIssuer {
  return {
    async issue(sa, opts) {
      const now = opts.now ?? new Date();
      const seconds = Math.min(Math.max(opts.expirationSeconds ?? 3600, 600), 48 * 3600);
      const expiresAt = new Date(now.getTime() + seconds * 1000);
      const token = await new SignJWT({ "kubernetes.io": { namespace: sa.namespace, serviceaccount: { name: sa.name, uid: sa.uid } } })
        .setProtectedHeader({ alg: "ES256", typ: "JWT" })
        .setIssuer(ISSUER)
        .setSubject(`system:serviceaccount:${sa.namespace}:${sa.name}`)
        .setAudience(opts.audiences?.length ? opts.audiences : [DEFAULT_AUDIENCE])
        .setIssuedAt(Math.floor(now.getTime() / 1000))
        .setNotBefore(Math.floor(now.getTime() / 1000))
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(keys.privateKey);
      return { token, expiresAt };
    },
    async verify(token) {
      if (token.split(".").length !== 3) return undefined;
      try {
        const { payload } = await jwtVerify(token, keys.publicKey, { issuer: ISSUER, audience: DEFAULT_AUDIENCE, algorithms: ["ES256"] });
        const k = payload["kubernetes.io"] as { namespace?: string; serviceaccount?: { name?: string; uid?: string } } | undefined;
        const sa = { namespace: k?.namespace ?? "", name: k?.serviceaccount?.name ?? "", uid: k?.serviceaccount?.uid ?? "" };
        if (!sa.namespace || !sa.name || payload.sub !== `system:serviceaccount:${sa.namespace}:${sa.name}`) return undefined;
        if (!(await accountExists(sa))) return undefined;
        return { sa, user: userForServiceAccount(sa) };
      } catch {
        return undefined;
      }
    },
  };
}
