/**
 * Authentication: bearer tokens compared in constant time. Without a valid token a request is
 * anonymous, and anonymous requests may only read the public health and version endpoints
 * (as upstream's system:public-info-viewer).
 */
import type { IncomingMessage } from "node:http";
import { createHash, timingSafeEqual } from "node:crypto";
import type { UserInfo } from "../registry/admission.js";

export interface TokenAuthenticator {
  authenticate(req: IncomingMessage): UserInfo | undefined;
  addToken(token: string, user: UserInfo): void;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

export function createTokenAuthenticator(): TokenAuthenticator {
  // Keyed by the token's hash so the lookup itself leaks nothing; the final compare is constant-time.
  const tokens = new Map<string, { hash: Buffer; user: UserInfo }>();
  return {
    addToken(token, user) {
      const hash = digest(token);
      tokens.set(hash.toString("hex"), { hash, user });
    },
    authenticate(req) {
      const h = req.headers.authorization;
      if (!h || !h.startsWith("Bearer ")) return undefined;
      const token = h.slice(7).trim();
      if (!token) return undefined;
      const hash = digest(token);
      const entry = tokens.get(hash.toString("hex"));
      if (!entry || !timingSafeEqual(entry.hash, hash)) return undefined;
      return entry.user;
    },
  };
}

const PUBLIC_PATHS = new Set(["/version", "/healthz", "/livez", "/readyz"]);

export function isPublicPath(path: string): boolean {
  if (PUBLIC_PATHS.has(path)) return true;
  return /^\/(healthz|livez|readyz)\/[a-z-]+$/.test(path);
}
