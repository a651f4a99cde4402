/**
 * Authentication: bearer tokens — static tokens (the admin token), compared in constant time,
 * and ServiceAccount JWTs. Without a valid token a request is anonymous, and anonymous requests
 * may only read the public health and version endpoints (upstream's system:public-info-viewer).
 */
import type { IncomingMessage } from "node:http";
import { createHash, timingSafeEqual } from "node:crypto";
import type { UserInfo } from "../registry/admission.js";
import type { TokenIssuer } from "./service-account-tokens.js";

export interface TokenAuthenticator {
  authenticate(req: IncomingMessage): Promise<UserInfo | undefined>;
  addToken(token: string, user: UserInfo): void;
}

const digest = (s: string) => createHash("sha256").update(s).digest();
/** Verified JWTs are remembered briefly: verification costs a signature check and a store read. */
const JWT_CACHE_MS = 10_000;
const JWT_CACHE_MAX = 10_000;

export function createTokenAuthenticator(serviceAccounts?: TokenIssuer): TokenAuthenticator {
  // Keyed by the token's hash so the lookup itself leaks nothing; the final compare is constant-time.
  const tokens = new Map<string, { hash: Buffer; user: UserInfo }>();
  const jwtCache = new Map<string, { user: UserInfo; until: number }>();
  return {
    addToken(token, user) {
      const hash = digest(token);
      tokens.set(hash.toString("hex"), { hash, user });
    },
    async authenticate(req) {
      const h = req.headers.authorization;
      if (!h || !h.startsWith("Bearer ")) return undefined;
      const token = h.slice(7).trim();
      if (!token) return undefined;
      const hash = digest(token);
      const key = hash.toString("hex");
      const entry = tokens.get(key);
      if (entry && timingSafeEqual(entry.hash, hash)) return entry.user;
      if (!serviceAccounts) return undefined;
      const cached = jwtCache.get(key);
      if (cached && cached.until > Date.now()) return cached.user;
      const verified = await serviceAccounts.verify(token);
      if (!verified) return undefined;
      if (jwtCache.size >= JWT_CACHE_MAX) jwtCache.clear();
      jwtCache.set(key, { user: verified.user, until: Date.now() + JWT_CACHE_MS });
      return verified.user;
    },
  };
}

const PUBLIC_PATHS = new Set(["/version", "/healthz", "/livez", "/readyz"]);

export function isPublicPath(path: string): boolean {
  if (PUBLIC_PATHS.has(path)) return true;
  return /^\/(healthz|livez|readyz)\/[a-z-]+$/.test(path);
}
