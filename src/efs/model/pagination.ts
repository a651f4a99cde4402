/**
 * Keyset pagination over creation order. Tokens (Marker/NextMarker, NextToken) are opaque to clients:
 * base64url of "v1:<seq>", the last sequence number returned. A page stays correct while items are
 * created or deleted between calls: nothing returned twice, nothing skipped that existed throughout.
 */
import { BadRequest } from "../errors.js";
import { SeqList } from "./seq-list.js";

const PREFIX = "v1:";

export function encodeToken(seq: number): string {
  return Buffer.from(`${PREFIX}${seq}`).toString("base64url");
}

/** The seq a token continues after; `what` names the parameter in the error ("Marker", "NextToken"). */
export function decodeToken(token: string | undefined, what: string): number {
  if (token === undefined) return 0;
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(token) ? Buffer.from(token, "base64url").toString() : "";
  const m = /^v1:(\d{1,15})$/.exec(text);
  if (!m) throw new BadRequest(`The ${what} '${token}' is not valid. Use the value returned by the previous call.`);
  return Number(m[1]);
}

export interface Page<T> {
  items: T[];
  next?: string;
}

export function pageOf<T extends { seq: number }>(list: SeqList<T>, token: string | undefined, limit: number, what: string): Page<T> {
  const { items, more } = list.page(decodeToken(token, what), limit);
  return { items, next: more && items.length > 0 ? encodeToken(items[items.length - 1].seq) : undefined };
}

/** The same over a plain iterable in seq order (small collections such as file systems). */
export function pageOfIterable<T extends { seq: number }>(all: Iterable<T>, token: string | undefined, limit: number, what: string): Page<T> {
  const after = decodeToken(token, what);
  const items: T[] = [];
  let more = false;
  for (const item of all) {
    if (item.seq <= after) continue;
    if (items.length === limit) {
      more = true;
      break;
    }
    items.push(item);
  }
  return { items, next: more ? encodeToken(items[items.length - 1].seq) : undefined };
}
